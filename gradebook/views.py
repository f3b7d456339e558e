"""The gradebook in the Wagtail admin: the course listing (ReportView with
CSV and XLSX export), one trainee's record, and the forms that change a
result or grant an extra attempt. Every view asks gradebook.permissions
first; a course, trainee, attempt or step the user may not see answers 404,
exactly like one that does not exist."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django.views.generic.edit import FormView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from courses import progress
from courses.exceptions import CourseError
from courses.reports import CourseProgressFilterSet, CourseProgressIndexView
from lms.exports import SafeSpreadsheetMixin, neutralise

from . import permissions, records, services
from .forms import GrantForm, OverrideForm

# ---------------------------------------------------------------- helpers


class SafeHeadingsMixin(SafeSpreadsheetMixin):
    """Headings carry quiz titles (authored text): neutralise them as cells."""

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))


def _trainee_name(user):
    return user.get_full_name() or user.get_username()


def _agency(user):
    profile = getattr(user, "profile", None)
    agency = profile.agency if profile else None
    return agency.acronym if agency else ""


def _course_or_404(request, course_id):
    course = permissions.gradebook_course(request.user, course_id)
    if course is None:
        raise Http404
    return course


def _record_url(course_id, trainee_id):
    return reverse("gradebook_trainee", args=[course_id, trainee_id])


# ---------------------------------------------------------------- index


class GradebookIndexView(CourseProgressIndexView):
    """The courses whose gradebook the user may open, with their enrolment
    counts: the course progress index, leading to the gradebooks."""

    page_title = gettext_lazy("Gradebook")
    header_icon = "table"
    index_url_name = "gradebook_index"
    index_results_url_name = "gradebook_index_results"
    course_url_name = "gradebook_course"

    def get_filename(self):
        return f"gradebook-courses-{datetime.date.today().isoformat()}"


# ---------------------------------------------------------------- one course


class GradebookView(SafeHeadingsMixin, ReportView):
    """Every current trainee of one course: progress, the best and latest
    score of each quiz and exercise, certification and time in assessments.
    Filter by agency and status; export to CSV or XLSX."""

    header_icon = "table"
    filterset_class = CourseProgressFilterSet
    index_url_name = "gradebook_course"
    index_results_url_name = "gradebook_course_results"
    default_ordering = "user__last_name"
    paginate_by = 50

    def setup(self, request, *args, course_id=None, **kwargs):
        super().setup(request, *args, course_id=course_id, **kwargs)
        self.course = _course_or_404(request, course_id)
        self.outline = progress.outline_of(self.course)
        self.graded = records.graded_steps(self.outline)
        self.diagnostic = records.diagnostic_ids(self.graded)

    # -- columns and export fields, one pair per quiz or exercise

    @property
    def columns(self):
        columns = [
            TitleColumn(
                "trainee_name",
                label=_("Trainee"),
                sort_key="user__last_name",
                get_url=lambda row: _record_url(self.course.pk, row.user_id),
            ),
            Column("agency_name", label=_("Agency")),
            Column("steps_display", label=_("Required steps done"), sort_key="required_done"),
            Column("percent_display", label=_("Percent complete")),
        ]
        for step in self.graded:
            columns.append(
                Column(
                    f"step_{step.page_id}",
                    label=step.title,
                    accessor=lambda row, step_id=step.page_id: self._scores_display(row, step_id),
                )
            )
        columns += [
            Column("certified_display", label=_("Certified")),
            Column("time_display", label=_("Time in quizzes and exercises")),
        ]
        return columns

    @property
    def list_export(self):
        fields = ["trainee_name", "username", "agency_name", "cycle", "steps_done", "steps_required", "percent"]
        for step in self.graded:
            fields += [f"best_{step.page_id}", f"latest_{step.page_id}", f"passed_{step.page_id}"]
        return [*fields, "certified_display", "assessment_minutes", "last_activity_at", "completed_at"]

    @property
    def export_headings(self):
        headings = {
            "trainee_name": _("Trainee"),
            "username": _("Username"),
            "agency_name": _("Agency"),
            "cycle": _("Cycle"),
            "steps_done": _("Required steps done"),
            "steps_required": _("Required steps"),
            "percent": _("Percent complete"),
            "certified_display": _("Certified"),
            "assessment_minutes": _("Minutes in quizzes and exercises"),
            "last_activity_at": _("Last activity"),
            "completed_at": _("Completion date"),
        }
        for step in self.graded:
            headings[f"best_{step.page_id}"] = _("%(step)s: best score (%%)") % {"step": step.title}
            headings[f"latest_{step.page_id}"] = _("%(step)s: latest score (%%)") % {"step": step.title}
            headings[f"passed_{step.page_id}"] = _("%(step)s: passed") % {"step": step.title}
        return headings

    @staticmethod
    def _scores_display(row, step_id):
        entry = row.scores.get(step_id)
        if entry is None:
            return "—"
        return _("best %(best)s · latest %(latest)s · %(count)s attempt(s)") % {
            "best": records.format_score(entry.best),
            "latest": records.format_score(entry.latest),
            "count": entry.attempts,
        }

    def _passed_display(self, step, entry, yes, no):
        if entry is None:
            return ""
        if step.page_id in self.diagnostic:  # ungraded: a score, no pass or fail
            return _("Pre-assessment")
        return yes if entry.passed else no

    # -- page

    def get_page_title(self):
        return _("Gradebook of %(course)s") % {"course": self.course.title}

    def get_breadcrumbs_items(self):
        return [{"url": reverse("gradebook_index"), "label": _("Gradebook")}, {"url": "", "label": self.course.title}]

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Course progress"),
                url=reverse("courses_progress", args=[self.course.pk]),
                icon_name="tasks",
            )
        ]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.course.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.course.pk])

    def get_filename(self):
        return f"gradebook-{self.course.code}-{datetime.date.today().isoformat()}"

    def get_base_queryset(self):
        enrollments = permissions.gradebook_enrollments(self.request.user, self.course)
        return progress.with_progress(enrollments, self.course).select_related("user", "user__profile__agency")

    def decorate_paginated_queryset(self, object_list):
        rows = records.decorate_rows(self.course, object_list, outline=self.outline)
        yes, no = _("Yes"), _("No")
        for row in rows:
            user = row.user
            row.trainee_name = _trainee_name(user)
            row.username = user.get_username()
            row.agency_name = _agency(user)
            row.steps_display = f"{row.steps_done} / {row.steps_required}"
            row.percent_display = f"{row.percent} %"
            row.certified_display = yes if row.certified else no
            row.time_display = records.format_duration(row.assessment_time)
            row.assessment_minutes = round(row.assessment_time.total_seconds() / 60, 1)
            for step in self.graded:
                entry = row.scores.get(step.page_id)
                setattr(row, f"best_{step.page_id}", entry.best if entry else None)
                setattr(row, f"latest_{step.page_id}", entry.latest if entry else None)
                setattr(row, f"passed_{step.page_id}", self._passed_display(step, entry, yes, no))
        return rows


# ---------------------------------------------------------------- one trainee


class TraineeAccessMixin:
    """Resolves the course and the trainee's current enrolment, or 404."""

    def dispatch(self, request, *args, course_id=None, trainee_id=None, **kwargs):
        self.course = _course_or_404(request, course_id)
        self.enrollment = permissions.trainee_enrollment(request.user, self.course, trainee_id)
        if self.enrollment is None:
            raise Http404
        self.trainee = self.enrollment.user
        return super().dispatch(request, *args, course_id=course_id, trainee_id=trainee_id, **kwargs)

    def record_url(self):
        return _record_url(self.course.pk, self.trainee.pk)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("gradebook_index"), "label": _("Gradebook")},
            {"url": reverse("gradebook_course", args=[self.course.pk]), "label": self.course.title},
            {"url": self.record_url(), "label": _trainee_name(self.trainee)},
        ]


class TraineeRecordView(TraineeAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every step of the course for one trainee: completions, and each
    attempt of each quiz and exercise with its answers, duration, changes of
    result and extra attempts."""

    template_name = "gradebook/trainee_record.html"
    header_icon = "user"

    def get_page_title(self):
        return _trainee_name(self.trainee)

    def get_page_subtitle(self):
        return self.course.title

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items()[:-1] + [{"url": "", "label": _trainee_name(self.trainee)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = records.trainee_record(self.enrollment)
        state = progress.progress_for(self.enrollment)
        from certificates.models import Certificate

        context.update(
            course=self.course,
            enrollment=self.enrollment,
            trainee=self.trainee,
            agency=_agency(self.trainee),
            lines=lines,
            progress=state,
            assessment_time=records.format_duration(records.assessment_time(lines)),
            certificates=list(Certificate.objects.filter(enrollment=self.enrollment).order_by("-issued_at")),
            gradebook_url=reverse("gradebook_course", args=[self.course.pk]),
        )
        return context


class ChangeFormView(TraineeAccessMixin, WagtailAdminTemplateMixin, FormView):
    """Shared by the two forms: 400 with the errors on bad input, 409 with
    the service's reason when it refuses; nothing is written either way."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(course=self.course, trainee=self.trainee, record_url=self.record_url())
        return context

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, form, error):
        form.add_error(None, error.message)
        return self.render_to_response(self.get_context_data(form=form), status=409)


class OverrideView(ChangeFormView):
    template_name = "gradebook/override.html"
    form_class = OverrideForm
    page_title = gettext_lazy("Change an attempt's result")
    header_icon = "edit"

    def dispatch(self, request, *args, kind=None, attempt_id=None, **kwargs):
        self.kind, self.attempt_id = kind, attempt_id
        return super().dispatch(request, *args, **kwargs)

    def setup_attempt(self):
        from practice.models import PracticeAttempt
        from quizzes.models import QuizAttempt

        model = {"quiz": QuizAttempt, "practice": PracticeAttempt}.get(self.kind)
        if model is None or not 0 < self.attempt_id <= permissions.MAX_ID:
            raise Http404
        related = "quiz" if self.kind == "quiz" else "exercise"
        attempt = model.objects.filter(pk=self.attempt_id, enrollment=self.enrollment).select_related(related).first()
        if attempt is None:
            raise Http404
        return attempt

    def get(self, request, *args, **kwargs):
        self.attempt = self.setup_attempt()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.attempt = self.setup_attempt()
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"score": self.attempt.score}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        step = self.attempt.quiz if self.kind == "quiz" else self.attempt.exercise
        context.update(attempt=self.attempt, step=step)
        return context

    def form_valid(self, form):
        try:
            services.override_grade(
                self.request.user, self.attempt, score=form.cleaned_data["score"], reason=form.cleaned_data["reason"]
            )
        except CourseError as error:
            return self.refused(form, error)
        messages.success(self.request, _("The result of the attempt was changed and recorded."))
        return redirect(self.record_url())


class GrantView(ChangeFormView):
    template_name = "gradebook/grant.html"
    form_class = GrantForm
    page_title = gettext_lazy("Grant an extra attempt")
    header_icon = "plus"

    def dispatch(self, request, *args, step_id=None, **kwargs):
        self.step_id = step_id
        return super().dispatch(request, *args, **kwargs)

    def setup_step(self):
        outline = progress.outline_of(self.course)
        step = outline.step(self.step_id)
        if step is None or step.model not in records.GRADED_MODELS:
            raise Http404
        return records.step_page(step)

    def get(self, request, *args, **kwargs):
        self.step = self.setup_step()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.step = self.setup_step()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(step=self.step, granted=services.extra_attempts(self.enrollment, self.step.pk))
        return context

    def form_valid(self, form):
        try:
            services.grant_extra_attempts(
                self.request.user,
                self.enrollment,
                self.step,
                extra=form.cleaned_data["extra"],
                reason=form.cleaned_data["reason"],
            )
        except CourseError as error:
            return self.refused(form, error)
        messages.success(self.request, _("The extra attempt was granted and recorded."))
        return redirect(self.record_url())
