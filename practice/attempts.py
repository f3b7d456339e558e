"""Starting practice attempts and the rules that decide whether a trainee
may: the same attempt limit, cool-down and review policy as quizzes.

An attempt is the trainee's sandbox: it starts empty (the seed records are
shared read-only) and everything the trainee enters belongs to it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.exceptions import NotEnrolled
from courses.models import Enrollment

from .exceptions import (
    AlreadyPassed,
    CoolingDown,
    ExerciseNotAvailable,
    ExerciseNotReady,
    NoAttemptsLeft,
    PracticeError,
)
from .models import PracticeAttempt, ReviewPolicy


@dataclass
class ExerciseState:
    """What a trainee may do with an exercise now, from their attempts in the
    current enrolment cycle (oldest first)."""

    exercise: object
    enrollment: object
    attempts: list = field(default_factory=list)
    now: object = None
    #: Attempts an instructor granted beyond the limit (gradebook).
    extra_attempts: int = 0

    @property
    def graded(self):
        return [attempt for attempt in self.attempts if attempt.is_graded]

    @property
    def open_attempt(self):
        return next((attempt for attempt in self.attempts if attempt.is_open), None)

    @property
    def passed(self):
        return any(attempt.passed for attempt in self.graded)

    @property
    def best_score(self):
        scores = [attempt.score for attempt in self.graded]
        return max(scores) if scores else None

    @property
    def used(self):
        return len(self.attempts)

    @property
    def attempts_left(self):
        """None when unlimited."""
        if self.exercise.max_attempts is None:
            return None
        return max(0, self.exercise.max_attempts + self.extra_attempts - self.used)

    @property
    def cooldown_until(self):
        if not self.exercise.cooldown_minutes or not self.graded:
            return None
        until = max(attempt.submitted_at for attempt in self.graded) + timedelta(minutes=self.exercise.cooldown_minutes)
        return until if until > self.now else None

    @property
    def refusal(self):
        """The exception a start would raise now, or None if it may start."""
        if self.enrollment is None:
            return NotEnrolled()
        if self.open_attempt is not None:
            return None
        if self.passed:
            return AlreadyPassed()
        if self.attempts_left == 0:
            return NoAttemptsLeft()
        if self.cooldown_until is not None:
            return CoolingDown(self.cooldown_until)
        return None

    def review_visible(self, attempt):
        """May the trainee see the expected values and explanations of ``attempt``?"""
        if not attempt.is_graded:
            return False
        policy = self.exercise.review_policy
        if policy == ReviewPolicy.AFTER_EACH:
            return True
        if policy == ReviewPolicy.AFTER_PASS_OR_LAST:
            return self.passed or (self.attempts_left == 0 and self.open_attempt is None)
        return False


def exercise_state(user, exercise, *, enrollment, now=None):
    """The trainee's state for ``exercise`` in ``enrollment`` (None: not enrolled). Reads only."""
    now = now or timezone.now()
    if enrollment is None:
        return ExerciseState(exercise=exercise, enrollment=None, now=now)
    attempts = list(PracticeAttempt.objects.filter(enrollment=enrollment, exercise=exercise).order_by("number"))
    return ExerciseState(
        exercise=exercise,
        enrollment=enrollment,
        attempts=attempts,
        now=now,
        extra_attempts=_extra_attempts(enrollment, exercise),
    )


def has_tasks(exercise):
    return exercise.entry_tasks.exists() or exercise.retrieval_tasks.exists()


def start_attempt(user, exercise, *, language="en", now=None):
    """Start an attempt (an empty sandbox) of ``exercise`` for ``user``, or
    return the open one.

    Safe to call twice: an open attempt is returned unchanged. Refuses with
    a PracticeError (or courses' NotEnrolled) when the trainee is not
    enrolled, has passed, has no attempts left or is in the cool-down.
    Concurrent starts are serialised by locking the enrolment row; the
    unique (enrolment, exercise, number) and "one open attempt" constraints
    back that up.
    """
    for _try in range(3):
        try:
            return _start_attempt(user, exercise, language=language, now=now or timezone.now())
        except IntegrityError:
            continue
    raise PracticeError(_("Please try again in a moment."))


def _start_attempt(user, exercise, *, language, now):
    if not exercise.live:
        raise ExerciseNotAvailable()
    course = exercise.get_course()
    if course is None or not course.live:
        raise ExerciseNotAvailable()
    if not has_tasks(exercise):
        raise ExerciseNotReady()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course, is_current=True).first()
        if enrollment is None:
            raise NotEnrolled()
        state = exercise_state(user, exercise, enrollment=enrollment, now=now)
        if state.open_attempt is not None:
            return state.open_attempt
        refusal = state.refusal
        if refusal is not None:
            raise refusal
        return PracticeAttempt.objects.create(
            exercise=exercise,
            user=user,
            enrollment=enrollment,
            number=state.used + 1,
            language=language,
            started_at=now,
        )


def _extra_attempts(enrollment, exercise):
    """Attempts granted beyond the limit by an instructor (one query, only
    for a step with a limit)."""
    if exercise.max_attempts is None:
        return 0
    from gradebook.services import extra_attempts

    return extra_attempts(enrollment, exercise.pk)
