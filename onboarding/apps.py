from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses import dashboard

        from . import receivers  # noqa: F401
        from .dashboard import assigned_courses_panel

        dashboard.register_panel(assigned_courses_panel, order=-10)
