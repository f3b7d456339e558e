from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import structure

        structure.connect()
        # After wagtail-modeltranslation has replaced route() on the page
        # models (its app is first in INSTALLED_APPS, so its ready() has run).
        structure.install()
