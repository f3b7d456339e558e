"""Trainee views: parse input, ask permissions, call a service, render.

Every view below the exercise page goes through ``permissions.attempt_for``
(only the trainee's own attempt), then reaches records only through that
attempt's case database: editing an id in the URL or the form reaches
nothing else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import progress
from courses.exceptions import CourseError
from courses.models import StepPage

from . import entry as entry_service
from . import grading, permissions, review
from . import search as search_service
from .attempts import exercise_state, has_tasks, start_attempt
from .exceptions import (
    AlreadySubmitted,
    AttemptNotFound,
    InvalidAnswers,
    InvalidEntry,
    InvalidSearch,
    NotFound,
    PracticeError,
)
from .models import ExercisePage, Record, ReviewPolicy
from .vocabulary import CALIBERS

MAX_BODY = 64 * 1024


# ---------------------------------------------------------------- helpers


def step_context(request, exercise):
    """Where the exercise sits in its course, as courses gives every step page."""
    return StepPage.get_context(exercise, request)


def _step_position(context, exercise):
    outline = context.get("outline")
    steps = outline.steps if outline is not None else []
    index = next((i for i, step in enumerate(steps) if step.page_id == exercise.pk), None)
    if index is None:
        return {}
    return {"step_number": index + 1, "step_total": len(steps)}


def review_policy_text(exercise):
    return {
        ReviewPolicy.SCORE_ONLY: _("After each attempt you see your score."),
        ReviewPolicy.AFTER_EACH: _(
            "After each attempt you see your score and, field by field, what was expected and why."
        ),
        ReviewPolicy.AFTER_PASS_OR_LAST: _(
            "After each attempt you see your score; what was expected and why once you pass "
            "or have used your last attempt."
        ),
    }[ReviewPolicy(exercise.review_policy)]


def _error(request, message, status, exercise=None):
    return render(request, "practice/error.html", {"message": message, "exercise": exercise}, status=status)


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _workspace_url(attempt):
    return reverse("practice:workspace", args=[attempt.pk])


def _result_url(attempt):
    return reverse("practice:result", args=[attempt.pk])


def _read_post(request):
    """The POST data, or None when it is too large or unreadable."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            return None
        return request.POST
    except (ValueError, RequestDataTooBig, TooManyFieldsSent):
        return None


def _own_attempt(request, attempt_id):
    try:
        return permissions.attempt_for(request.user, attempt_id), None
    except AttemptNotFound as error:
        return None, _error(request, error.message, 404)


def _base_context(request, attempt, current=None):
    exercise = attempt.exercise
    context = step_context(request, exercise)
    context.update(page=exercise, attempt=attempt, current=current, calibers=list(CALIBERS))
    return context


# ---------------------------------------------------------------- exercise page


def exercise_page_context(exercise, request, context):
    """Add to the step context: instructions, the trainee's state and history."""
    user = request.user
    context.update(_step_position(context, exercise))
    context.update(
        review_policy_text=review_policy_text(exercise),
        entry_count=exercise.entry_tasks.count(),
        retrieval_count=exercise.retrieval_tasks.count(),
        state=None,
        refusal=None,
        history=[],
    )
    enrollment = context.get("enrollment")
    if not user.is_authenticated or enrollment is None:
        return context
    state = exercise_state(user, exercise, enrollment=enrollment)
    if state.passed and not context.get("step_done"):
        # A pass whose completion could not be recorded at grading time.
        try:
            progress.complete_step(user, exercise, score=state.best_score)
            context["step_done"] = True
        except CourseError:
            pass
    context.update(
        state=state,
        refusal=state.refusal,
        history=[{"attempt": attempt, "review": state.review_visible(attempt)} for attempt in reversed(state.attempts)],
        ready=has_tasks(exercise),
    )
    return context


@never_cache
@require_POST
def start(request, exercise_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    exercise = None
    if exercise_id <= permissions.MAX_ID:
        exercise = ExercisePage.objects.live().filter(pk=exercise_id).first()
    if exercise is None:
        return _error(request, _("This exercise does not exist or is not published."), 404)
    try:
        attempt = start_attempt(request.user, exercise, language=translation.get_language())
    except CourseError as error:
        return _error(request, error.message, getattr(error, "status", 409), exercise=exercise)
    return _see_other(_workspace_url(attempt))


# ---------------------------------------------------------------- workspace


def _render_workspace(request, attempt, *, answers=None, errors=None, status=200):
    context = _base_context(request, attempt)
    context.update(
        tasks=review.workspace_tasks(attempt),
        questions=review.retrieval_form(attempt, answers, errors or {}),
        error=bool(errors),
    )
    return render(request, "practice/workspace.html", context, status=status)


@never_cache
@login_required
@require_GET
def workspace(request, attempt_id):
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    if not attempt.is_open:
        return HttpResponseRedirect(_result_url(attempt))
    return _render_workspace(request, attempt)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def entry(request, attempt_id, task_id):
    """GET: the entry form of one task. POST: check and save it in the sandbox."""
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    if not attempt.is_open:
        return HttpResponseRedirect(_result_url(attempt))
    task = attempt.exercise.entry_tasks.filter(pk=task_id).first() if task_id <= permissions.MAX_ID else None
    if task is None:
        return _error(request, NotFound.default_message, 404, exercise=attempt.exercise)
    saved = Record.objects.filter(attempt=attempt, entry_task=task).first()
    form, matches, status = None, [], 200
    if request.method == "POST":
        data = _read_post(request)
        if data is None:
            return _error(request, _("The form sent could not be read."), 400, exercise=attempt.exercise)
        try:
            entry_service.save_entry(attempt, task, data)
        except InvalidEntry as error:
            form, matches, status = error.form, error.matches, 400
        else:
            messages.success(request, _("The record was saved in your case database."))
            return _see_other(_workspace_url(attempt))
    if form is None:
        initial = entry_service.initial_from_record(saved) or {"kind": task.record_kind}
        form = entry_service.EntryForm(initial=initial)
    context = _base_context(request, attempt, current=task.title)
    context.update(task=task, form=form, matches=matches, saved=saved)
    return render(request, "practice/entry.html", context, status=status)


# ---------------------------------------------------------------- search and records


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def search_view(request, attempt_id):
    """GET: the empty search form. POST: run (and record) the search."""
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    result, status = None, 200
    form = search_service.SearchForm()
    if request.method == "POST":
        data = _read_post(request)
        if data is None:
            return _error(request, _("The form sent could not be read."), 400, exercise=attempt.exercise)
        form = search_service.SearchForm(data)
        try:
            result = search_service.search(attempt, data)
        except InvalidSearch as error:
            form, status = error.form, 400
    context = _base_context(request, attempt, current=_("Search"))
    context.update(form=form, result=result)
    return render(request, "practice/search.html", context, status=status)


@never_cache
@login_required
@require_GET
def record_view(request, attempt_id, record_id):
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    try:
        record = permissions.record_for(attempt, record_id)
    except NotFound as error:
        return _error(request, error.message, 404, exercise=attempt.exercise)
    context = _base_context(request, attempt, current=record.reference)
    context.update(search_service.record_detail(attempt, record))
    return render(request, "practice/record.html", context)


# ---------------------------------------------------------------- submit and result


@never_cache
@login_required
@require_POST
def submit(request, attempt_id):
    """Save the retrieval answers (``action=save``) or submit the attempt."""
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    data = _read_post(request)
    action = data.get("action", "submit") if data is not None else None
    if action not in ("save", "submit"):
        return _error(request, _("The form sent could not be read."), 400, exercise=attempt.exercise)
    if not attempt.is_open:
        return _render_result(request, attempt, notice=AlreadySubmitted.default_message, status=409)
    tasks = list(attempt.exercise.retrieval_tasks.order_by("sort_order", "pk"))
    try:
        if action == "save":
            grading.store_answers(attempt, grading.parse_answers(attempt, tasks, data))
            messages.success(request, _("Your answers were saved."))
            return _see_other(_workspace_url(attempt))
        grading.submit_attempt(attempt, data)
    except InvalidAnswers as error:
        answers = review.answers_from_post(tasks, data)
        return _render_workspace(request, attempt, answers=answers, errors=error.errors, status=400)
    except AlreadySubmitted as error:
        attempt.refresh_from_db()
        return _render_result(request, attempt, notice=error.message, status=409)
    except PracticeError as error:
        return _error(request, error.message, error.status, exercise=attempt.exercise)
    return _see_other(_result_url(attempt))


def _render_result(request, attempt, *, notice=None, status=200):
    exercise = attempt.exercise
    context = _base_context(request, attempt, current=_("Result"))
    context.update(_step_position(context, exercise))
    state = exercise_state(request.user, exercise, enrollment=attempt.enrollment)
    show_review = state.review_visible(attempt)
    context.update(
        state=state,
        refusal=state.refusal,
        notice=notice,
        show_review=show_review,
        review=review.attempt_review(attempt, show_expected=show_review),
        review_policy_text=review_policy_text(exercise),
    )
    return render(request, "practice/result.html", context, status=status)


@never_cache
@login_required
@require_GET
def result(request, attempt_id):
    attempt, refused = _own_attempt(request, attempt_id)
    if refused:
        return refused
    if attempt.is_open:
        return HttpResponseRedirect(_workspace_url(attempt))
    return _render_result(request, attempt)
