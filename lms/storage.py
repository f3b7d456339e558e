"""The private file storage: files served only through permission-checked
views (bulk certificate ZIPs), never under ``MEDIA_URL``.

``STORAGES["private"]`` configures it (a folder outside the media root
locally, a private prefix of the bucket on S3). Fields use
``storage=private_storage``; the storage is looked up lazily, so settings
overridden in tests apply.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _forget_storage(setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        _private._wrapped = empty


def private_storage():
    return _private
