"""Trainee views: parse input, ask permissions, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from courses import progress, study
from courses.exceptions import CourseError, StepLocked
from courses.models import StepPage

from . import grading, permissions, review
from .attempts import quiz_state, start_attempt
from .exceptions import (
    AlreadySubmitted,
    AttemptClosed,
    AttemptNotFound,
    InvalidAnswers,
    QuizError,
)
from .models import GRACE_SECONDS, QuizPage, ReviewPolicy

#: Largest answer form accepted (bytes); a 200-question attempt fits easily.
MAX_BODY = 256 * 1024


# ---------------------------------------------------------------- helpers


def step_context(request, quiz):
    """Where the quiz sits in its course (course, module, outline, progress,
    previous/next step, step_done), as courses gives every step page."""
    return StepPage.get_context(quiz, request)


def _step_position(context, quiz):
    outline = context.get("outline")
    steps = outline.steps if outline is not None else []
    index = next((i for i, step in enumerate(steps) if step.page_id == quiz.pk), None)
    if index is None:
        return {}
    return {"step_number": index + 1, "step_total": len(steps)}


def _questions_per_attempt(quiz):
    pool = len(quiz.pool_question_ids())
    return min(pool, quiz.draw_count) if quiz.draw_count else pool


def _review_policy_text(quiz):
    return {
        ReviewPolicy.SCORE_ONLY: _("After each attempt you see your score."),
        ReviewPolicy.AFTER_EACH: _("After each attempt you see your score, the answers and their explanations."),
        ReviewPolicy.AFTER_PASS_OR_LAST: _(
            "After each attempt you see your score; the answers and their explanations once you pass "
            "or have used your last attempt."
        ),
    }[ReviewPolicy(quiz.review_policy)]


def _error(request, message, status, quiz=None):
    return render(request, "quizzes/error.html", {"message": message, "quiz": quiz}, status=status)


def _attempt_url(attempt):
    return reverse("quizzes:attempt", args=[attempt.pk])


def _result_url(attempt):
    return reverse("quizzes:result", args=[attempt.pk])


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# ---------------------------------------------------------------- quiz page


def quiz_page_context(quiz, request, context):
    """Add to the step context of the quiz page: instructions, the trainee's
    state (what they may do next) and their attempt history."""
    user = request.user
    context.update(_step_position(context, quiz))
    context.update(
        questions_per_attempt=_questions_per_attempt(quiz),
        review_policy_text=_review_policy_text(quiz),
        grace_seconds=GRACE_SECONDS,
        state=None,
        quiz_refusal=None,
        history=[],
    )
    enrollment = context.get("enrollment")
    if not user.is_authenticated or enrollment is None:
        return context
    state = quiz_state(user, quiz, enrollment=enrollment)
    if state.passed and not context.get("step_done"):
        # A pass whose completion could not be recorded at grading time.
        try:
            progress.complete_step(user, quiz, score=state.best_score)
            context["step_done"] = True
        except CourseError:
            pass
    refusal = state.refusal
    if refusal is None and state.open_attempt is None and context.get("locked_by") is not None:
        refusal = StepLocked(context["locked_by"])
    context.update(
        state=state,
        quiz_refusal=refusal,
        history=[{"attempt": attempt, "review": state.review_visible(attempt)} for attempt in reversed(state.attempts)],
    )
    return context


@never_cache
@require_POST
def start(request, quiz_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    quiz = QuizPage.objects.live().filter(pk=quiz_id).first() if quiz_id <= permissions.MAX_ID else None
    if quiz is None:
        return _error(request, _("This quiz does not exist or is not published."), 404)
    try:
        attempt = start_attempt(request.user, quiz, language=translation.get_language())
    except CourseError as error:
        return _error(request, error.message, getattr(error, "status", 409), quiz=quiz)
    return _see_other(_attempt_url(attempt))


# ---------------------------------------------------------------- attempt


def _render_attempt(request, attempt, *, selected=None, error=None, status=200):
    quiz = attempt.quiz
    now = timezone.now()
    remaining = None
    if attempt.deadline is not None:
        remaining = max(0, int((attempt.deadline - now).total_seconds()))
    context = step_context(request, quiz)
    if selected is None:
        selected = grading.saved_answers(attempt)
    errors = error.errors if isinstance(error, InvalidAnswers) else {}
    context.update(
        page=quiz,
        attempt=attempt,
        questions=review.attempt_form(attempt, selected=selected, errors=errors),
        error=error,
        remaining=remaining,
        remaining_minutes=-(-remaining // 60) if remaining is not None else None,
        grace_seconds=GRACE_SECONDS,
    )
    return render(request, "quizzes/attempt.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attempt_view(request, attempt_id):
    """GET: the questions. POST: save (``action=save``) or submit them."""
    try:
        attempt = permissions.attempt_for(request.user, attempt_id)
    except AttemptNotFound as error:
        return _error(request, error.message, 404)
    if request.method == "GET":
        if not attempt.is_open:
            return HttpResponseRedirect(_result_url(attempt))
        if grading.close_overdue(attempt):
            messages.warning(request, AttemptClosed.default_message)
            return HttpResponseRedirect(_result_url(attempt))
        return _render_attempt(request, attempt)
    return _post_answers(request, attempt)


def _post_answers(request, attempt):
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            return _error(request, _("The form sent is too large."), 413, quiz=attempt.quiz)
        data = request.POST
    except (ValueError, RequestDataTooBig, TooManyFieldsSent):
        return _error(request, _("The form sent could not be read."), 400, quiz=attempt.quiz)
    action = data.get("action", "submit")
    if action not in ("save", "submit"):
        return _error(request, _("The form sent could not be read."), 400, quiz=attempt.quiz)
    try:
        if action == "save":
            grading.save_answers(attempt, data)
        else:
            grading.submit_attempt(attempt, data)
    except InvalidAnswers as error:
        selected = review.selection_from_post(attempt, data)
        return _render_attempt(request, attempt, selected=selected, error=error, status=400)
    except (AlreadySubmitted, AttemptClosed) as error:
        attempt.refresh_from_db()
        return _render_result(request, attempt, notice=error.message, status=409)
    except QuizError as error:
        return _error(request, error.message, error.status, quiz=attempt.quiz)
    if action == "save" and data.get("autosave") == "1":
        # Saved by the page's script as answers are chosen: nothing to show.
        return HttpResponse(status=204)
    if action == "save":
        messages.success(
            request,
            _("Your answers were saved at %(time)s.")
            % {"time": formats.time_format(timezone.localtime(), "TIME_FORMAT")},
        )
        return _see_other(_attempt_url(attempt))
    return _see_other(_result_url(attempt))


# ---------------------------------------------------------------- result


def _render_result(request, attempt, *, notice=None, status=200):
    quiz = attempt.quiz
    context = step_context(request, quiz)
    context.update(_step_position(context, quiz))
    state = quiz_state(request.user, quiz, enrollment=attempt.enrollment)
    show_review = state.review_visible(attempt)
    topics, unlinked = review.missed_topics(attempt, context.get("outline")) if attempt.is_graded else ([], 0)
    context.update(
        missed_topics=topics,
        missed_unlinked=unlinked,
        page=quiz,
        attempt=attempt,
        state=state,
        quiz_refusal=state.refusal,
        notice=notice,
        show_review=show_review,
        review=review.attempt_review(attempt) if show_review else None,
        review_policy_text=_review_policy_text(quiz),
    )
    if attempt.passed and context.get("course") is not None:
        # The attempt that finished the course: the completion screen.
        context.update(study.completion_context(request, context["course"], context.get("enrollment")))
    return render(request, "quizzes/result.html", context, status=status)


@never_cache
@login_required
def result(request, attempt_id):
    try:
        attempt = permissions.attempt_for(request.user, attempt_id)
    except AttemptNotFound as error:
        return _error(request, error.message, 404)
    if attempt.is_open:
        if not grading.close_overdue(attempt):
            return HttpResponseRedirect(_attempt_url(attempt))
        attempt.refresh_from_db()
    return _render_result(request, attempt)
