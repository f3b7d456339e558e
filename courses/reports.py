"""Course progress reports in the Wagtail admin, for instructors (the
courses they teach) and administrators (every course), with CSV and XLSX
export through Wagtail's ReportView."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from lms.exports import SafeSpreadsheetMixin
from lms.models import Agency

from . import permissions, progress
from .models import CoursePage, Enrollment

#: Characters that make a spreadsheet treat a cell as a formula.


class ReportAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_follow_courses(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------- index


class CourseProgressIndexView(ReportAccessMixin, SafeSpreadsheetMixin, ReportView):
    """The courses the user teaches, with enrolment counts."""

    page_title = _("Course progress")
    header_icon = "tasks"
    index_url_name = "courses_progress_index"
    index_results_url_name = "courses_progress_index_results"
    default_ordering = "title"
    #: Where a course's title leads (the gradebook's index reuses this view).
    course_url_name = "courses_progress"
    list_export = ["title", "code", "enrolled", "in_progress", "completed"]
    export_headings = {
        "title": _("Course"),
        "code": _("Course code"),
        "enrolled": _("Trainees enrolled"),
        "in_progress": _("In progress"),
        "completed": _("Completed the course"),
    }

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Course"),
                sort_key="title",
                get_url=lambda course: reverse(self.course_url_name, args=[course.pk]),
            ),
            Column("code", label=_("Course code"), sort_key="code"),
            Column("enrolled", label=_("Trainees enrolled"), sort_key="enrolled"),
            Column("in_progress", label=_("In progress"), sort_key="in_progress"),
            Column("completed", label=_("Completed the course"), sort_key="completed"),
        ]

    def get_filename(self):
        return f"course-progress-{datetime.date.today().isoformat()}"

    def get_base_queryset(self):
        current = Q(enrollments__is_current=True)
        return permissions.taught_courses(self.request.user).annotate(
            enrolled=Count("enrollments", filter=current),
            in_progress=Count("enrollments", filter=current & Q(enrollments__completed_at__isnull=True)),
            completed=Count("enrollments", filter=current & Q(enrollments__completed_at__isnull=False)),
        )


# ---------------------------------------------------------------- one course


class Status:
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CHOICES = [(IN_PROGRESS, _("In progress")), (COMPLETED, _("Completed"))]


class CourseProgressFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.CHOICES, method="filter_status", empty_label=_("Any")
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), field_name="user__profile__agency", queryset=Agency.objects.all(), empty_label=_("Any")
    )

    class Meta:
        model = Enrollment
        fields = []

    def filter_status(self, queryset, name, value):
        if value == Status.COMPLETED:
            return queryset.filter(completed_at__isnull=False)
        if value == Status.IN_PROGRESS:
            return queryset.filter(completed_at__isnull=True)
        return queryset


class CourseProgressView(ReportAccessMixin, SafeSpreadsheetMixin, ReportView):
    """Who is enrolled in one course (current cycle), how far they got, when
    they were last active and when they completed it."""

    header_icon = "tasks"
    filterset_class = CourseProgressFilterSet
    index_url_name = "courses_progress"
    index_results_url_name = "courses_progress_results"
    default_ordering = "user__last_name"
    list_export = [
        "trainee_name",
        "username",
        "agency_name",
        "cycle",
        "enrolled_at",
        "percent",
        "last_activity_at",
        "completed_at",
    ]
    export_headings = {
        "trainee_name": _("Trainee"),
        "username": _("Username"),
        "agency_name": _("Agency"),
        "cycle": _("Cycle"),
        "enrolled_at": _("Enrolment date"),
        "percent": _("Percent complete"),
        "last_activity_at": _("Last activity"),
        "completed_at": _("Completion date"),
    }
    columns = [
        Column("trainee_name", label=_("Trainee"), sort_key="user__last_name"),
        Column("username", label=_("Username"), sort_key="user__username"),
        Column("agency_name", label=_("Agency")),
        Column("cycle", label=_("Cycle")),
        DateColumn("enrolled_at", label=_("Enrolment date"), sort_key="enrolled_at"),
        Column("percent_display", label=_("Percent complete"), sort_key="required_done"),
        DateColumn("last_activity_at", label=_("Last activity"), sort_key="last_activity_at"),
        DateColumn("completed_at", label=_("Completion date"), sort_key="completed_at"),
    ]

    def setup(self, request, *args, course_id=None, **kwargs):
        super().setup(request, *args, course_id=course_id, **kwargs)
        self.course = get_object_or_404(CoursePage, pk=course_id)

    def dispatch(self, request, *args, **kwargs):
        if permissions.may_follow_courses(request.user) and not permissions.may_view_course_progress(
            request.user, self.course
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Progress in %(course)s") % {"course": self.course.title}

    def get_breadcrumbs_items(self):
        return [{"url": reverse("courses_progress_index"), "label": _("Course progress")}] + [
            {"url": "", "label": self.course.title}
        ]

    @property
    def header_buttons(self):
        """A link to the course's gradebook (the gradebook app registers it)."""
        try:
            url = reverse("gradebook_course", args=[self.course.pk])
        except NoReverseMatch:
            return []
        return [HeaderButton(_("Gradebook"), url=url, icon_name="table")]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.course.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.course.pk])

    def get_filename(self):
        return f"course-progress-{self.course.code}-{datetime.date.today().isoformat()}"

    def get_base_queryset(self):
        enrollments = permissions.course_progress_enrollments(self.request.user, self.course).filter(is_current=True)
        return progress.with_progress(enrollments, self.course).select_related("user", "user__profile__agency")

    def decorate_paginated_queryset(self, object_list):
        total = len(progress.required_step_ids(self.course))
        for enrollment in object_list:
            user = enrollment.user
            profile = getattr(user, "profile", None)
            agency = profile.agency if profile else None
            enrollment.trainee_name = user.get_full_name() or user.get_username()
            enrollment.username = user.get_username()
            enrollment.agency_name = agency.acronym if agency else ""
            enrollment.percent = progress.percent_complete(enrollment.required_done, total, enrollment.completed_at)
            enrollment.percent_display = f"{enrollment.percent} %"
        return object_list
