from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Agency, Profile


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    menu_order = 250
    add_to_admin_menu = True
    form_fields = ["name_en", "name_es", "acronym", "country", "level", "is_active", "email_domains"]
    list_display = ["acronym", "name", "country", "level", "is_active"]
    list_filter = ["country", "level", "is_active"]
    search_fields = ["acronym", "name_en", "name_es"]


class ProfileViewSet(ModelViewSet):
    """Agency and language of each user; Wagtail's Users screen keeps the rest."""

    model = Profile
    icon = "user"
    menu_label = _("Profiles")
    menu_order = 260
    add_to_admin_menu = True
    form_fields = ["agency", "preferred_language"]
    list_display = ["user", "agency", "preferred_language"]
    list_filter = ["agency", "preferred_language"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    inspect_view_enabled = False

    def get_queryset(self, request):
        return Profile.objects.select_related("user", "agency")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [AgencyViewSet("agencies"), ProfileViewSet("profiles")]


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    actions.register_action("lms.two_factor.enrol", _("Two-factor on"), _("Set up two-factor authentication"))
    actions.register_action("lms.two_factor.recovery_codes", _("New recovery codes"), _("Generated new recovery codes"))
    actions.register_action("lms.two_factor.disable", _("Two-factor off"), _("Turned two-factor authentication off"))
    actions.register_action("lms.logout_everywhere", _("Logged out everywhere"), _("Ended every session"))


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    """The admin's Account page ("More actions") links to the two-factor
    management page (lms.two_factor_views.manage), in the user's language."""
    return {
        "url": reverse("two_factor"),
        "label": _("Two-factor authentication"),
        "help_text": _("Your authenticator app, recovery codes, and logging out everywhere."),
    }
