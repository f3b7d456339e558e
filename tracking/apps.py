from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_states(sender, **kwargs):
    from .certification import fill_if_empty

    fill_if_empty()


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Certification tracking")

    def ready(self):
        from . import receivers  # noqa: F401 (connects the receivers)

        post_migrate.connect(fill_states, sender=self, dispatch_uid="tracking_fill_states")
