from django.templatetags.static import static
from django.urls import path, re_path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import authoring, permissions, translation_copy
from . import urls as _urls  # noqa: F401 - registers the "courses_id" path converter
from .reports import CourseProgressIndexView, CourseProgressView


@hooks.register("register_log_actions")
def register_course_actions(actions):
    actions.register_action("courses.enroll", _("Enrol"), _("Enrolled in a course"))
    actions.register_action("courses.new_cycle", _("New cycle"), _("Started a new cycle of a course"))
    actions.register_action("courses.complete", _("Complete"), _("Completed a course"))


@hooks.register("register_admin_urls")
def register_progress_report_urls():
    return [
        path("reports/course-progress/", CourseProgressIndexView.as_view(), name="courses_progress_index"),
        path(
            "reports/course-progress/results/",
            CourseProgressIndexView.as_view(results_only=True),
            name="courses_progress_index_results",
        ),
        path("reports/course-progress/<courses_id:course_id>/", CourseProgressView.as_view(), name="courses_progress"),
        path(
            "reports/course-progress/<courses_id:course_id>/results/",
            CourseProgressView.as_view(results_only=True),
            name="courses_progress_results",
        ),
    ]


@hooks.register("register_admin_urls", order=-1)
def guard_translation_copy_url():
    """Before wagtail-modeltranslation's own pattern (same route), so that
    its unguarded view is never reached."""
    return [
        re_path(
            translation_copy.ROUTE,
            translation_copy.copy_translation_content,
            name="courses_copy_translation_content",
        )
    ]


class CourseProgressMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_follow_courses(request.user)


@hooks.register("register_reports_menu_item")
def register_progress_report_menu_item():
    return CourseProgressMenuItem(
        _("Course progress"),
        reverse("courses_progress_index"),
        name="course-progress",
        icon_name="tasks",
        order=300,
    )


@hooks.register("home_page_panels")
def continue_learning_panel(request):
    """On the home page of a signed-in trainee: where to continue (the most
    recently studied course in progress) and a link to My learning."""
    from django.template.loader import render_to_string

    from . import progress
    from .models import Enrollment

    if not request.user.is_authenticated:
        return None
    enrollment = (
        Enrollment.objects.filter(user=request.user, is_current=True, completed_at__isnull=True, course__live=True)
        .select_related("course")
        .order_by("-last_activity_at", "-enrolled_at")
        .first()
    )
    state = progress.progress_for_many([enrollment])[enrollment.pk] if enrollment is not None else None
    return render_to_string(
        "courses/includes/home_continue.html",
        {"enrollment": enrollment, "progress": state, "step": state.resume_step if state else None},
        request=request,
    )


@hooks.register("after_create_page")
def new_steps_go_before_the_module_quiz(request, page):
    """A lesson created in a module lands before the module's quiz."""
    authoring.place_new_step(page.specific)


class MyDraftsPanel(Component):
    """The pages the user started or changed and has not published, with a
    link to continue and, for never-published pages, to discard them."""

    name = "my_drafts"
    order = 60
    template_name = "courses/admin/my_drafts_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        pages = list(authoring.drafts_of(user)[: authoring.DRAFTS_SHOWN])
        parents = {page.pk: page.get_parent() for page in pages}
        drafts = [
            {
                "page": page,
                "parent_title": parents[page.pk].get_admin_display_title() if parents[page.pk] else "",
                "may_delete": not page.live and page.permissions_for_user(user).can_delete(),
            }
            for page in pages
        ]
        return {"drafts": drafts, "request": self.request}


@hooks.register("construct_homepage_panels")
def add_my_drafts_panel(request, panels):
    panels.append(MyDraftsPanel(request))


@hooks.register("insert_editor_js")
def translated_editor_strings():
    """Strings that wagtail-modeltranslation's scripts write in English."""
    strings = json_script({"copyContentFrom": gettext("Copy content from")}, "lms-admin-strings")
    return format_html('{}<script src="{}"></script>', strings, static("courses/admin_strings.js"))
