"""Practice reports in the Wagtail admin (ReportView: HTML, CSV and XLSX):
the exercises with their figures, per-field statistics of one exercise and
its search log. Only administrators and the instructors of an exercise's
course see them; every view checks through practice.permissions."""

import datetime
from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from lms.exports import SafeSpreadsheetMixin

from . import permissions
from .models import SearchLog
from .search import CRITERIA, SearchForm
from .statistics import exercise_statistics, exercise_summaries


def _percent(value):
    return "—" if value is None else f"{value:.1f} %"


def describe_criteria(criteria):
    """A search's criteria as one readable line, labels in the active language."""
    form = SearchForm()
    parts = []
    for name in CRITERIA:
        if criteria.get(name):
            parts.append(f"{form.fields[name].label}: {criteria[name]}")
    return "; ".join(parts) or str(_("(no criteria: everything)"))


class ExerciseIndexView(SafeSpreadsheetMixin, ReportView):
    """Every exercise the user may follow, with attempts, pass rate, mean score and searches."""

    page_title = _("Practice exercises")
    header_icon = "form"
    index_url_name = "practice_admin:index"
    index_results_url_name = "practice_admin:index_results"
    columns = (
        TitleColumn("title", label=_("Exercise"), url_name="practice_admin:detail"),
        Column("attempt_count", label=_("Graded attempts")),
        Column("pass_rate_display", label=_("Pass rate")),
        Column("mean_score_display", label=_("Mean score")),
        Column("search_count", label=_("Searches")),
    )
    list_export = ("title", "attempt_count", "pass_count", "pass_rate", "mean_score", "search_count")
    export_headings: ClassVar[dict] = {
        "title": _("Exercise"),
        "attempt_count": _("Graded attempts"),
        "pass_count": _("Passed"),
        "pass_rate": _("Pass rate (%)"),
        "mean_score": _("Mean score (%)"),
        "search_count": _("Searches"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_statistics_menu(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None  # permissions.statistics_exercises scopes the rows

    def get_filename(self):
        return f"practice-exercises-{datetime.date.today().isoformat()}"

    def get_queryset(self):
        self.queryset = permissions.statistics_exercises(self.request.user).order_by("path")
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        exercises = list(object_list)
        summaries = exercise_summaries([exercise.pk for exercise in exercises])
        for exercise in exercises:
            attempts, passed, mean, searches = summaries.get(exercise.pk, (0, 0, None, 0))
            exercise.attempt_count, exercise.pass_count, exercise.search_count = attempts, passed, searches
            exercise.pass_rate = round(100 * passed / attempts, 1) if attempts else None
            exercise.mean_score = round(float(mean), 1) if mean is not None else None
            exercise.pass_rate_display = _percent(exercise.pass_rate)
            exercise.mean_score_display = _percent(exercise.mean_score)
        return exercises


class ExerciseScopedMixin:
    def dispatch(self, request, *args, **kwargs):
        # A missing exercise and someone else's exercise get the same answer.
        self.exercise = permissions.statistics_exercise(request.user, kwargs["exercise_id"])
        if self.exercise is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("practice_admin:index"), "label": _("Practice exercises")},
            {"url": "", "label": self.exercise.title},
        ]


class ExerciseStatisticsView(ExerciseScopedMixin, SafeSpreadsheetMixin, ReportView):
    """One exercise: summary, then per task and graded field how often it was wrong."""

    header_icon = "form"
    results_template_name = "practice/admin/statistics_results.html"
    paginate_by = None
    list_export = ("task", "field", "rule", "graded", "wrong", "wrong_percent", "common_wrong")
    export_headings: ClassVar[dict] = {
        "task": _("Task"),
        "field": _("Field"),
        "rule": _("Tolerance"),
        "graded": _("Times graded"),
        "wrong": _("Times wrong"),
        "wrong_percent": _("Wrong (%)"),
        "common_wrong": _("Most common wrong answers"),
    }

    def get_page_title(self):
        return _("Statistics: %(exercise)s") % {"exercise": self.exercise.title}

    def get_index_url(self):
        return reverse("practice_admin:detail", args=[self.exercise.pk])

    def get_filename(self):
        return f"practice-{self.exercise.pk}-statistics-{datetime.date.today().isoformat()}"

    @cached_property
    def stats(self):
        return exercise_statistics(self.exercise)

    def get_queryset(self):
        return [
            {
                "task": item.task,
                "field": item.label,
                "rule": item.rule,
                "graded": item.graded,
                "wrong": item.wrong,
                "wrong_percent": item.wrong_percent,
                "common_wrong": "; ".join(f"{value} ({count})" for value, count in item.common_wrong),
            }
            for item in self.stats.fields
        ]

    def to_row_dict(self, item):
        return {name: item[name] for name in self.list_export}

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        stats = self.stats
        context.update(
            exercise=self.exercise,
            stats=stats,
            pass_rate=_percent(stats.pass_rate),
            mean_score=_percent(stats.mean_score),
        )
        return context


class SearchLogView(ExerciseScopedMixin, SafeSpreadsheetMixin, ReportView):
    """Every search trainees ran in this exercise, newest first."""

    header_icon = "search"
    index_url_name = "practice_admin:searches"
    index_results_url_name = "practice_admin:searches_results"
    columns = (
        Column("ran_at_display", label=_("Ran at")),
        Column("trainee", label=_("Trainee")),
        Column("attempt_number", label=_("Attempt")),
        Column("criteria_display", label=_("Criteria")),
        Column("result_count", label=_("Results")),
    )
    list_export = ("ran_at", "trainee", "username", "attempt_number", "criteria_display", "result_count")
    export_headings: ClassVar[dict] = {
        "ran_at": _("Ran at"),
        "trainee": _("Trainee"),
        "username": _("Username"),
        "attempt_number": _("Attempt"),
        "criteria_display": _("Criteria"),
        "result_count": _("Results"),
    }

    def get_page_title(self):
        return _("Search log: %(exercise)s") % {"exercise": self.exercise.title}

    def get_index_url(self):
        return reverse("practice_admin:searches", args=[self.exercise.pk])

    def get_index_results_url(self):
        return reverse("practice_admin:searches_results", args=[self.exercise.pk])

    def get_filename(self):
        return f"practice-{self.exercise.pk}-searches-{datetime.date.today().isoformat()}"

    def get_queryset(self):
        self.queryset = (
            SearchLog.objects.filter(attempt__exercise=self.exercise)
            .select_related("attempt__user")
            .order_by("-ran_at", "-pk")
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            user = row.attempt.user
            row.trainee = user.get_full_name() or user.get_username()
            row.username = user.get_username()
            row.attempt_number = row.attempt.number
            row.criteria_display = describe_criteria(row.criteria)
            row.ran_at_display = row.ran_at.strftime("%Y-%m-%d %H:%M")
        return rows
