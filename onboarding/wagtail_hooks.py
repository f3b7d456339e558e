from django.urls import NoReverseMatch, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views, permissions


@hooks.register("register_log_actions")
def register_onboarding_actions(actions):
    actions.register_action("onboarding.register", _("Register"), _("Registered"))
    actions.register_action("onboarding.verify", _("Verify e-mail"), _("E-mail address verified"))
    actions.register_action("onboarding.approve", _("Approve registration"), _("Registration approved"))
    actions.register_action("onboarding.reject", _("Reject registration"), _("Registration rejected"))
    actions.register_action("onboarding.import", _("Import people"), _("People imported"))
    actions.register_action("onboarding.assign", _("Assign course"), _("Course assigned"))
    actions.register_action("onboarding.deactivate", _("Deactivate person"), _("Person deactivated"))
    actions.register_action("onboarding.reactivate", _("Reactivate person"), _("Person reactivated"))


admin_urlpatterns = [
    path("people/", admin_views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", admin_views.PersonView.as_view(), name="person"),
    path("registrations/", admin_views.RegistrationsView.as_view(), name="registrations"),
    path("registrations/<int:pk>/", admin_views.RegistrationView.as_view(), name="registration"),
    path("imports/", admin_views.ImportsView.as_view(), name="imports"),
    path("assignments/", admin_views.AssignmentsView.as_view(), name="assignments"),
    path("assignments/new/", admin_views.AssignView.as_view(), name="assign"),
    path("assignments/required/", admin_views.AssignRequiredView.as_view(), name="assign_required"),
    path("assignments/<int:pk>/", admin_views.AssignmentView.as_view(), name="assignment"),
    path("assignments/overdue/", admin_views.OverdueView.as_view(), name="overdue"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("onboarding/", include((admin_urlpatterns, "onboarding_admin"), namespace="onboarding_admin"))]


class WorkspaceMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_onboard(request.user)


class WorkspaceSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return permissions.may_onboard(request.user)


def _progress_item():
    """The agency's certification by person (tracking's report), when installed."""
    try:
        url = reverse("tracking_admin:people")
    except NoReverseMatch:
        return []
    return [WorkspaceMenuItem(_("Progress"), url, name="progress", icon_name="table", order=60)]


def _workspace_menu():
    return Menu(
        items=_progress_item()
        + [
            WorkspaceMenuItem(
                _("People"), reverse("onboarding_admin:people"), name="people", icon_name="user", order=10
            ),
            WorkspaceMenuItem(
                _("Pending approvals"),
                reverse("onboarding_admin:registrations"),
                name="registrations",
                icon_name="tick",
                order=20,
            ),
            WorkspaceMenuItem(
                _("Imports"), reverse("onboarding_admin:imports"), name="imports", icon_name="upload", order=30
            ),
            WorkspaceMenuItem(
                _("Assignments"),
                reverse("onboarding_admin:assignments"),
                name="assignments",
                icon_name="list-ul",
                order=40,
            ),
            WorkspaceMenuItem(
                _("Overdue"), reverse("onboarding_admin:overdue"), name="overdue", icon_name="warning", order=50
            ),
        ]
    )


@hooks.register("register_admin_menu_item")
def register_workspace_menu():
    return WorkspaceSubmenu(_("My agency"), _workspace_menu(), name="onboarding", icon_name="group", order=240)
