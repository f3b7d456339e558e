from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses import urls as _urls  # noqa: F401 - registers the "courses_id" path converter

from . import permissions
from .views import GradebookIndexView, GradebookView, GrantView, OverrideView, TraineeRecordView


@hooks.register("register_log_actions")
def register_gradebook_actions(actions):
    actions.register_action("gradebook.override", _("Change result"), _("Changed the result of an attempt"))
    actions.register_action("gradebook.extra_attempt", _("Extra attempt"), _("Granted an extra attempt"))


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    trainee = "reports/gradebook/<courses_id:course_id>/trainee/<courses_id:trainee_id>/"
    return [
        path("reports/gradebook/", GradebookIndexView.as_view(), name="gradebook_index"),
        path(
            "reports/gradebook/results/",
            GradebookIndexView.as_view(results_only=True),
            name="gradebook_index_results",
        ),
        path("reports/gradebook/<courses_id:course_id>/", GradebookView.as_view(), name="gradebook_course"),
        path(
            "reports/gradebook/<courses_id:course_id>/results/",
            GradebookView.as_view(results_only=True),
            name="gradebook_course_results",
        ),
        path(trainee, TraineeRecordView.as_view(), name="gradebook_trainee"),
        path(
            trainee + "override/<str:kind>/<courses_id:attempt_id>/",
            OverrideView.as_view(),
            name="gradebook_override",
        ),
        path(trainee + "extra-attempt/<courses_id:step_id>/", GrantView.as_view(), name="gradebook_grant"),
    ]


class GradebookMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_open_gradebooks(request.user)


@hooks.register("register_reports_menu_item")
def register_gradebook_menu_item():
    return GradebookMenuItem(_("Gradebook"), reverse("gradebook_index"), name="gradebook", icon_name="table", order=310)


class GradebookPanel(Component):
    """On the admin home of an instructor (or administrator): the courses
    they teach, each with a link to its gradebook and progress report."""

    name = "gradebook"
    order = 120
    template_name = "gradebook/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        courses = list(permissions.gradebook_courses(self.request.user).order_by("title")[:20])
        return {"courses": courses, "request": self.request}


@hooks.register("construct_homepage_panels")
def add_gradebook_panel(request, panels):
    if permissions.may_open_gradebooks(request.user) and permissions.gradebook_courses(request.user).exists():
        panels.append(GradebookPanel(request))
