from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import routing, signal_handlers

        signal_handlers.connect()
        # After wagtail-modeltranslation has patched Page.route (its app is
        # first in INSTALLED_APPS, so its ready() has run).
        routing.install()
