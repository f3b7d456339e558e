"""Settings for the test suite: fast hashing, in-memory e-mail, immediate tasks."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-but-long-enough-for-checks-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BASE_DIR / ".test-private-media", "base_url": "/private-files-have-no-url/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
ALLOWED_HOSTS = ["*"]
# Two-factor for staff is on everywhere else; tests of other areas log staff
# in without it. The 2FA tests turn it on (see tests/conftest.py).
TWO_FACTOR_REQUIRED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Static files straight from the apps (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No search indexing on every page save (about 13 % of the time of the
# tests that build courses); tests about search are marked `search_index`, which
# turns it back on (tests/conftest.py).
WAGTAILSEARCH_BACKENDS = {"default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
