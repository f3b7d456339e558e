import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401

        if importlib.util.find_spec("courses.dashboard") is not None:
            from courses import dashboard

            from .dashboard import certificates_panel, course_certificate_panel

            dashboard.register_panel(certificates_panel, order=10)
            dashboard.register_course_panel(course_certificate_panel, order=10)
