"""Quiz statistics in the Wagtail admin (ReportView: HTML, CSV and XLSX).

Only administrators and the instructors of a quiz's course see it; every
view checks through quizzes.permissions, whatever the menu shows.
"""

import datetime
from typing import ClassVar

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from courses.models import CoursePage
from courses.permissions import taught_courses
from lms.exports import SafeSpreadsheetMixin

from . import permissions
from .models import QuestionKind, QuizPage
from .statistics import quiz_statistics, quiz_summaries


def _percent(value):
    return "—" if value is None else f"{value:.1f} %"


class QuizFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=lambda request: taught_courses(request.user).order_by("code"),
        method="filter_course",
        empty_label=_("All courses"),
    )

    class Meta:
        model = QuizPage
        fields = ("course",)

    def filter_course(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path) if value else queryset


class QuizStatisticsIndexView(SafeSpreadsheetMixin, ReportView):
    """Every quiz the user may follow, with attempts, pass rate and mean score."""

    page_title = _("Quiz statistics")
    header_icon = "form"
    index_url_name = "quizzes_statistics:index"
    index_results_url_name = "quizzes_statistics:index_results"
    filterset_class = QuizFilterSet
    model = QuizPage
    columns = (
        TitleColumn("title", label=_("Quiz"), url_name="quizzes_statistics:detail"),
        Column("course_title", label=_("Course")),
        Column("attempt_count", label=_("Attempts")),
        Column("pass_rate_display", label=_("Pass rate")),
        Column("mean_score_display", label=_("Mean score")),
    )
    list_export = ("title", "course_code", "course_title", "attempt_count", "pass_count", "pass_rate", "mean_score")
    export_headings: ClassVar[dict] = {
        "title": _("Quiz"),
        "course_code": _("Course code"),
        "course_title": _("Course"),
        "attempt_count": _("Attempts"),
        "pass_count": _("Passed"),
        "pass_rate": _("Pass rate (%)"),
        "mean_score": _("Mean score (%)"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_statistics_menu(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None  # permissions.statistics_quizzes scopes the rows

    def get_filename(self):
        return f"quiz-statistics-{datetime.date.today().isoformat()}"

    def get_queryset(self):
        self.queryset = permissions.statistics_quizzes(self.request.user).order_by("path")
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        quizzes = list(object_list)
        summaries = quiz_summaries([quiz.pk for quiz in quizzes])
        # A quiz sits two levels below its course (course > module > quiz).
        course_paths = {quiz.path[: -2 * quiz.steplen] for quiz in quizzes}
        courses = {course.path: course for course in CoursePage.objects.filter(path__in=course_paths)}
        for quiz in quizzes:
            attempts, passed, mean = summaries.get(quiz.pk, (0, 0, None))
            course = courses.get(quiz.path[: -2 * quiz.steplen])
            quiz.course_code = course.code if course else ""
            quiz.course_title = course.title if course else ""
            quiz.attempt_count, quiz.pass_count = attempts, passed
            quiz.pass_rate = round(100 * passed / attempts, 1) if attempts else None
            quiz.mean_score = round(float(mean), 1) if mean is not None else None
            quiz.pass_rate_display = _percent(quiz.pass_rate)
            quiz.mean_score_display = _percent(quiz.mean_score)
        return quizzes


class QuizStatisticsView(SafeSpreadsheetMixin, ReportView):
    """One quiz: summary, then per question the share answered right and how
    often each choice was picked. Exports one row per choice."""

    header_icon = "form"
    results_template_name = "quizzes/admin/statistics_results.html"
    paginate_by = None
    list_export = (
        "position",
        "question",
        "kind",
        "points",
        "asked",
        "right_share",
        "choice",
        "choice_is_correct",
        "picked",
        "picked_share",
    )
    export_headings: ClassVar[dict] = {
        "position": _("No."),
        "question": _("Question"),
        "kind": _("Kind"),
        "points": _("Points"),
        "asked": _("Times asked"),
        "right_share": _("Answered right (%)"),
        "choice": _("Choice"),
        "choice_is_correct": _("Correct choice"),
        "picked": _("Times picked"),
        "picked_share": _("Picked (%)"),
    }

    def dispatch(self, request, *args, **kwargs):
        # A missing quiz and someone else's quiz get the same answer.
        self.quiz = permissions.statistics_quiz(request.user, kwargs["quiz_id"])
        if self.quiz is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None

    def get_page_title(self):
        return _("Statistics: %(quiz)s") % {"quiz": self.quiz.title}

    def get_index_url(self):
        return reverse("quizzes_statistics:detail", args=[self.quiz.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("quizzes_statistics:index"), "label": _("Quiz statistics")},
            {"url": "", "label": self.quiz.title},
        ]

    def get_filename(self):
        return f"quiz-{self.quiz.pk}-statistics-{datetime.date.today().isoformat()}"

    @cached_property
    def stats(self):
        return quiz_statistics(self.quiz)

    def get_queryset(self):
        rows = []
        for position, item in enumerate(self.stats.questions, start=1):
            for choice in item.choices:
                rows.append(
                    {
                        "position": position,
                        "question": item.question.text,
                        "kind": str(QuestionKind(item.question.kind).label),
                        "points": item.points,
                        "asked": item.asked,
                        "right_share": _share_percent(item.right_share),
                        "choice": choice.text,
                        "choice_is_correct": bool(choice.is_correct),
                        "picked": choice.picked,
                        "picked_share": _share_percent(choice.share),
                    }
                )
        return rows

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        stats = self.stats
        context.update(
            quiz=self.quiz,
            stats=stats,
            pass_rate=_percent(stats.pass_rate),
            mean_score=_percent(stats.mean_score),
            may_retire=permissions.may_retire_questions(self.request.user),
        )
        return context


def _share_percent(share):
    return None if share is None else round(float(share) * 100, 1)
