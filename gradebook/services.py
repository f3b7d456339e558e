"""Grade overrides and extra attempts: the one place that writes them.

An override is an instructor's decision on one graded attempt (quiz or
practice exercise): it sets the attempt's score and result (passed when the
new score reaches the step's pass mark), keeps what the attempt said before
in a GradeOverride row, and is written to Wagtail's audit log. The answers,
the points they earned and the per-question results stay as graded.

Certification follows the trainee's own path: an override that passes the
attempt records the step through the same service a passing submission uses
(``record_completion`` -> ``courses.progress.complete_step``), which
completes the course when every required step is done and so issues the
certificate (``course_completed`` -> certificates). ``complete_step`` is
safe to call twice, so repeated or concurrent overrides issue nothing twice.
An override that fails an attempt changes no completion and no certificate:
a completed step, a completed course and an issued certificate stay; an
administrator who decides otherwise revokes the certificate (certificates
admin), which is its own audited act.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from wagtail.log_actions import log

from . import exceptions
from .models import AttemptGrant, GradeOverride

CENT = Decimal("0.01")


def _kind(attempt):
    """("quiz" | "practice", the step page, the grading module) of ``attempt``."""
    from practice.models import PracticeAttempt
    from quizzes.models import QuizAttempt

    if isinstance(attempt, QuizAttempt):
        from quizzes import grading

        return "quiz", attempt.quiz, grading
    if isinstance(attempt, PracticeAttempt):
        from practice import grading

        return "practice", attempt.exercise, grading
    raise TypeError(f"Not an attempt: {attempt!r}")


def clean_score(value):
    """A score in per cent with two decimals, or ValueError."""
    try:
        score = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(value) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise ValueError(value)
    return score


def clean_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise exceptions.ReasonRequired()
    return reason


def override_grade(actor, attempt, *, score, reason, now=None):
    """Set ``attempt``'s score to ``score`` (per cent) for ``reason``.

    The caller has checked that ``actor`` may change grades in the attempt's
    course. Refuses (GradebookError, nothing written) an attempt not graded,
    one of an earlier enrolment cycle, a missing reason and a score equal to
    the current one. Not idempotent by design: each call is a decision of its
    own, recorded; the certification consequences are (see the module).
    """
    score = clean_score(score)
    reason = clean_reason(reason)
    now = now or timezone.now()
    kind, step, grading = _kind(attempt)
    model = type(attempt)
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("enrollment").get(pk=attempt.pk)
        if not locked.is_graded:
            raise exceptions.AttemptNotGraded()
        if not locked.enrollment.is_current:
            raise exceptions.NotCurrentCycle()
        if locked.score == score:
            raise exceptions.ScoreUnchanged()
        first = locked.grade_overrides.order_by("created_at", "pk").first()
        passed = score >= step.pass_mark
        override = GradeOverride.objects.create(
            enrollment=locked.enrollment,
            step_id=step.pk,
            quiz_attempt=locked if kind == "quiz" else None,
            practice_attempt=locked if kind == "practice" else None,
            original_score=first.original_score if first else locked.score,
            original_passed=first.original_passed if first else locked.passed,
            previous_score=locked.score,
            previous_passed=locked.passed,
            score=score,
            passed=passed,
            reason=reason,
            created_by=actor,
            created_at=now,
        )
        model.objects.filter(pk=locked.pk).update(score=score, passed=passed)
        log(
            instance=locked,
            action="gradebook.override",
            user=actor,
            data={
                "step": step.pk,
                "trainee": locked.user_id,
                "attempt": locked.number,
                "from": str(override.previous_score),
                "to": str(score),
                "passed": passed,
                "reason": reason,
            },
        )
    attempt.score, attempt.passed = score, passed
    if passed:
        # After the commit, as for a passing submission: completes the step
        # (and the course, and so the certificate) at most once.
        grading.record_completion(attempt)
    return override


def grant_extra_attempts(actor, enrollment, step, *, extra=1, reason, now=None):
    """Allow ``extra`` attempts of ``step`` (a quiz or exercise with an
    attempt limit) beyond its limit in ``enrollment``, for ``reason``.

    The caller has checked that ``actor`` may change grades in the course.
    Each call grants more (a decision of its own, logged), so a double
    submission of the form is guarded by the view's redirect, not here.
    """
    reason = clean_reason(reason)
    step = step.specific
    if getattr(step, "max_attempts", None) is None:
        raise exceptions.NoAttemptLimit()
    extra = int(extra)
    if not 1 <= extra <= 10:
        raise ValueError(extra)
    with transaction.atomic():
        grant = AttemptGrant.objects.create(
            enrollment=enrollment,
            step_id=step.pk,
            extra=extra,
            reason=reason,
            granted_by=actor,
            granted_at=now or timezone.now(),
        )
        log(
            instance=enrollment,
            action="gradebook.extra_attempt",
            user=actor,
            data={"step": step.pk, "trainee": enrollment.user_id, "extra": extra, "reason": reason},
        )
    return grant


def extra_attempts(enrollment, step_id):
    """Attempts granted beyond the limit of step ``step_id`` in ``enrollment``
    (one query; 0 when none)."""
    if enrollment is None or enrollment.pk is None:
        return 0
    total = AttemptGrant.objects.filter(enrollment=enrollment, step_id=step_id).aggregate(total=Sum("extra"))["total"]
    return total or 0
