"""Starting attempts and the rules that decide whether a trainee may.

An attempt fixes its questions when it starts: which questions were drawn,
their order and the order of their choices are stored (AttemptQuestion), so
reloading the page, switching language or editing the quiz meanwhile changes
nothing about an attempt under way.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import progress
from courses.exceptions import NotEnrolled
from courses.models import Enrollment

from . import grading
from .exceptions import (
    AlreadyPassed,
    CoolingDown,
    NoAttemptsLeft,
    QuizError,
    QuizNotAvailable,
    QuizNotReady,
)
from .models import (
    AttemptQuestion,
    AttemptStatus,
    Choice,
    Question,
    QuestionKind,
    QuizAttempt,
    ReviewPolicy,
)

_random = random.SystemRandom()


@dataclass
class QuizState:
    """What a trainee may do with a quiz now, from their attempts in the
    current enrolment cycle (oldest first)."""

    quiz: object
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
        if self.quiz.max_attempts is None:
            return None
        return max(0, self.quiz.max_attempts + self.extra_attempts - self.used)

    @property
    def cooldown_until(self):
        if not self.quiz.cooldown_minutes or not self.graded:
            return None
        until = max(attempt.submitted_at for attempt in self.graded) + timedelta(minutes=self.quiz.cooldown_minutes)
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
        """May the trainee see the answers and explanations of ``attempt``?"""
        if not attempt.is_graded:
            return False
        policy = self.quiz.review_policy
        if policy == ReviewPolicy.AFTER_EACH:
            return True
        if policy == ReviewPolicy.AFTER_PASS_OR_LAST:
            return self.passed or (self.attempts_left == 0 and self.open_attempt is None)
        return False


def quiz_state(user, quiz, *, enrollment, now=None):
    """The trainee's state for ``quiz`` in ``enrollment`` (None: not enrolled).

    Overdue open attempts are graded first (on their saved answers), so the
    state never shows an attempt whose time ran out as still open. Safe to
    call twice: an attempt is graded only once.
    """
    now = now or timezone.now()
    if enrollment is None:
        return QuizState(quiz=quiz, enrollment=None, now=now)
    attempts = list(QuizAttempt.objects.filter(enrollment=enrollment, quiz=quiz).order_by("number"))
    for attempt in attempts:
        if attempt.is_open and attempt.is_overdue(now):
            attempt.quiz = quiz
            grading.close_overdue(attempt, now=now)
    return QuizState(
        quiz=quiz, enrollment=enrollment, attempts=attempts, now=now, extra_attempts=_extra_attempts(enrollment, quiz)
    )


def start_attempt(user, quiz, *, language="en", now=None):
    """Start an attempt of ``quiz`` for ``user``, or return the open one.

    Safe to call twice: an attempt already open (and not overdue) is returned
    unchanged. Refuses with a QuizError (or courses' NotEnrolled / StepLocked)
    when the trainee is not enrolled, the quiz is locked by the course's
    sequencing, has passed, has no attempts left or is in the
    cool-down. Concurrent starts are serialised by locking the enrolment row;
    the unique (enrolment, quiz, number) and "one open attempt" constraints
    back that up, so the attempt limit can never be exceeded.
    """
    for _try in range(3):
        try:
            return _start_attempt(user, quiz, language=language, now=now or timezone.now())
        except IntegrityError:
            # A concurrent start won the race (only possible where the row
            # lock is a no-op, as on SQLite); look again.
            continue
    raise QuizError(_("Please try again in a moment."))


def _start_attempt(user, quiz, *, language, now):
    if not quiz.live:
        raise QuizNotAvailable()
    course = quiz.get_course()
    if course is None or not course.live:
        raise QuizNotAvailable()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course, is_current=True).first()
        if enrollment is None:
            raise NotEnrolled()
        state = quiz_state(user, quiz, enrollment=enrollment, now=now)
        if state.open_attempt is not None:
            return state.open_attempt
        # Sequencing (courses decides): a locked quiz cannot be started.
        progress.check_step_open(enrollment, quiz, course=course)
        refusal = state.refusal
        if refusal is not None:
            raise refusal
        chosen = draw_questions(quiz)
        attempt = QuizAttempt.objects.create(
            quiz=quiz,
            user=user,
            enrollment=enrollment,
            number=state.used + 1,
            language=language,
            started_at=now,
            deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        )
        questions = Question.objects.in_bulk(chosen)
        choices = {}
        for question_id, choice_id in (
            Choice.objects.filter(question_id__in=chosen).order_by("sort_order", "pk").values_list("question_id", "pk")
        ):
            choices.setdefault(question_id, []).append(choice_id)
        rows = []
        for position, question_id in enumerate(chosen, start=1):
            question = questions[question_id]
            order = list(choices.get(question_id, []))
            if quiz.shuffle_choices and question.kind != QuestionKind.TRUE_FALSE:
                _random.shuffle(order)
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    question_id=question_id,
                    position=position,
                    choice_order=order,
                    points=question.points,
                )
            )
        AttemptQuestion.objects.bulk_create(rows)
        attempt.points_possible = sum(row.points for row in rows)
        QuizAttempt.objects.filter(pk=attempt.pk).update(points_possible=attempt.points_possible)
    return attempt


def draw_questions(quiz):
    """The question ids of a new attempt, in the order they will be asked.

    Draws ``draw_count`` questions at random from the pool (or takes the
    whole pool), then shuffles them if the quiz says so; otherwise they keep
    the pool's order. Questions without choices are left out.
    """
    pool = quiz.pool_question_ids()
    usable = set(Choice.objects.filter(question_id__in=pool).values_list("question_id", flat=True).distinct())
    pool = [question_id for question_id in pool if question_id in usable]
    if not pool:
        raise QuizNotReady()
    if quiz.draw_count and quiz.draw_count < len(pool):
        picked = set(_random.sample(pool, quiz.draw_count))
        chosen = [question_id for question_id in pool if question_id in picked]
    else:
        chosen = list(pool)
    if quiz.shuffle_questions:
        _random.shuffle(chosen)
    return chosen


def attempt_status_label(attempt):
    return AttemptStatus(attempt.status).label


def _extra_attempts(enrollment, quiz):
    """Attempts granted beyond the limit by an instructor (one query, only
    for a step with a limit)."""
    if quiz.max_attempts is None:
        return 0
    from gradebook.services import extra_attempts

    return extra_attempts(enrollment, quiz.pk)
