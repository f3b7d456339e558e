from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    default = True  # this module also holds UsersConfig
    name = "lms"
    verbose_name = _("People and site")

    def ready(self):
        from . import signals  # noqa: F401
        from .exports import neutralise_wagtail_exports

        neutralise_wagtail_exports()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the rights-limited Users screens (lms.users)."""

    user_viewset = "lms.users.UserViewSet"
