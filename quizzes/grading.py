"""Checking answers and grading attempts, exactly once.

The time rule (also told to trainees in the quiz instructions):

* Answers reach the server when the trainee saves or submits them. While
  time remains, a submission must answer every question.
* A timed attempt accepts saves and submissions until its deadline plus
  ``GRACE_SECONDS`` (network latency). After the deadline, a submission may
  leave questions unanswered (the page's timer submits by itself at zero).
* Anything arriving later is not accepted: the attempt is graded on the
  answers saved before the deadline, unanswered questions scoring zero.
  The same happens to an attempt left open past its deadline the next time
  the trainee opens the quiz.

Grading is claimed with one conditional UPDATE (``... WHERE status =
'in_progress'``): of two concurrent submissions exactly one changes the row,
the other gets AlreadySubmitted and writes nothing. A grade costs a constant
number of queries whatever the number of questions.
"""

import logging
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from courses.exceptions import CourseError
from courses.progress import complete_step

from .exceptions import AlreadySubmitted, AttemptClosed, InvalidAnswers
from .models import (
    AttemptAnswer,
    AttemptQuestion,
    AttemptStatus,
    Choice,
    QuestionKind,
    QuizAttempt,
    Scoring,
)

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
FIELD_PREFIX = "q-"
#: Form fields besides the answers (CSRF token, button).
OTHER_FIELDS = 8


@dataclass
class SheetRow:
    """One question of an attempt, as grading needs it (no model instances)."""

    pk: int
    choice_order: list
    points: Decimal
    kind: str
    scoring: str
    earned: Decimal = None
    is_correct: bool = None


@dataclass
class Sheet:
    """An attempt's questions and the choices they show, loaded in two queries."""

    questions: list  # SheetRow, in position order
    choices: dict  # choice id -> {"key", "question_id", "is_correct"}

    @classmethod
    def load(cls, attempt):
        questions = [
            SheetRow(*values)
            for values in attempt.questions.order_by("position").values_list(
                "pk", "choice_order", "points", "question__kind", "question__scoring"
            )
        ]
        shown = [choice_id for row in questions for choice_id in row.choice_order]
        choices = {
            row["pk"]: row
            for row in Choice.objects.filter(pk__in=shown).values("pk", "key", "question_id", "is_correct")
        }
        return cls(questions=questions, choices=choices)

    def shown_choices(self, row):
        """Ids of the choices ``row`` showed that still exist, in their order."""
        return [choice_id for choice_id in row.choice_order if choice_id in self.choices]


def parse_answers(sheet, data, *, require_all):
    """Turn submitted form data into {attempt question id: set of choice ids}.

    ``data`` is a QueryDict (or any mapping with ``getlist``/lists). Every
    answer must be the key of a choice its own question showed in this
    attempt; single-choice and true-or-false questions take one answer.
    Raises InvalidAnswers listing every problem; never writes anything.
    """
    by_row = {row.pk: row for row in sheet.questions}
    key_owner = {}
    for row in sheet.questions:
        for choice_id in sheet.shown_choices(row):
            key_owner[sheet.choices[choice_id]["key"]] = (row.pk, choice_id)
    errors, general = {}, []
    answers = {row.pk: set() for row in sheet.questions}
    limit = len(key_owner) + len(sheet.questions) + OTHER_FIELDS
    keys = list(data.keys())
    if sum(len(_values(data, key)) for key in keys) > limit:
        raise InvalidAnswers(general=[_("The form sent more values than this attempt has choices.")])
    for name in keys:
        if not isinstance(name, str) or not name.startswith(FIELD_PREFIX):
            continue
        row_id = _int(name[len(FIELD_PREFIX) :])
        row = by_row.get(row_id)
        if row is None:
            general.append(_("The form contains a question that is not part of this attempt."))
            continue
        for value in _values(data, name):
            key = _uuid(value)
            owner = key_owner.get(key) if key else None
            if owner is None:
                errors[row.pk] = _("This answer is not one of the choices of this question.")
            elif owner[0] != row.pk:
                errors[row.pk] = _("This answer belongs to another question.")
            else:
                answers[row.pk].add(owner[1])
    for row in sheet.questions:
        if row.pk in errors:
            continue
        if row.kind != QuestionKind.MULTIPLE and len(answers[row.pk]) > 1:
            errors[row.pk] = _("Choose only one answer.")
        elif require_all and not answers[row.pk]:
            errors[row.pk] = _("Please answer this question.")
    if errors or general:
        raise InvalidAnswers(errors=errors, general=list(dict.fromkeys(str(item) for item in general)))
    return answers


def _values(data, key):
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data[key]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _int(text):
    try:
        return int(text) if text.isdigit() and len(text) < 19 else None
    except ValueError:
        return None


def _uuid(value):
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def question_result(kind, scoring, points, picked, correct, shown):
    """(points earned, fully correct) for one question.

    ``picked`` and ``correct`` are sets of choice ids; ``shown`` is how many
    choices the question showed. Partial credit (multiple answers only): each
    correct choice picked earns 1/C of the points, each wrong one picked
    loses 1/W (C correct, W wrong choices), never below zero, so picking
    every choice earns nothing.
    """
    points = Decimal(points)
    exact = bool(picked) and picked == correct
    if kind == QuestionKind.MULTIPLE and scoring == Scoring.PARTIAL and correct:
        wrong_total = shown - len(correct)
        share = Decimal(len(picked & correct)) / len(correct)
        if wrong_total > 0:
            share -= Decimal(len(picked - correct)) / wrong_total
        earned = (points * max(Decimal(0), share)).quantize(CENT, rounding=ROUND_HALF_UP)
        return earned, exact
    return (points if exact else Decimal(0)).quantize(CENT), exact


def grade(sheet, answers):
    """Per question (earned, correct) and the totals, without touching the database."""
    results = {}
    for row in sheet.questions:
        shown = sheet.shown_choices(row)
        correct = {choice_id for choice_id in shown if sheet.choices[choice_id]["is_correct"]}
        results[row.pk] = question_result(
            row.kind, row.scoring, row.points, answers.get(row.pk, set()), correct, len(shown)
        )
    earned = sum((result[0] for result in results.values()), Decimal(0))
    possible = sum((row.points for row in sheet.questions), Decimal(0))
    score = (Decimal(100) * earned / possible).quantize(CENT, rounding=ROUND_HALF_UP) if possible else Decimal(0)
    return results, earned, possible, score


def submit_attempt(attempt, data, *, now=None):
    """Grade ``attempt`` with the submitted form ``data`` and store the result.

    Not safe to call twice on purpose: the second call (or a concurrent one)
    raises AlreadySubmitted and changes nothing. Invalid answers raise
    InvalidAnswers and store nothing. A submission after the deadline plus
    grace ignores ``data`` and grades the answers saved in time (then raises
    AttemptClosed so the trainee is told). A pass records the step as
    completed through ``courses.progress.complete_step``.
    """
    now = now or timezone.now()
    if not attempt.is_open:
        raise AlreadySubmitted()
    sheet = Sheet.load(attempt)
    if attempt.is_overdue(now):
        _grade_saved(attempt, sheet, now)
        raise AttemptClosed()
    answers = parse_answers(sheet, data, require_all=attempt.deadline is None or now < attempt.deadline)
    _store_grade(attempt, sheet, answers, status=AttemptStatus.SUBMITTED, now=now, replace_saved=True)
    return attempt


def close_overdue(attempt, *, now=None):
    """Grade an open attempt whose time ran out on its saved answers.

    Safe to call twice: only the first call grades; later calls (and attempts
    not overdue or already graded) return False.
    """
    now = now or timezone.now()
    if not attempt.is_open or not attempt.is_overdue(now):
        return False
    try:
        _grade_saved(attempt, Sheet.load(attempt), now)
    except AlreadySubmitted:
        attempt.refresh_from_db()
        return False
    return True


def _grade_saved(attempt, sheet, now):
    saved = saved_answers(attempt)
    _store_grade(attempt, sheet, saved, status=AttemptStatus.TIMED_OUT, now=now, replace_saved=False)


def _store_grade(attempt, sheet, answers, *, status, now, replace_saved):
    results, earned, possible, score = grade(sheet, answers)
    passed = score >= attempt.quiz.pass_mark
    with transaction.atomic():
        claimed = QuizAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
            status=status, submitted_at=now, points_earned=earned, points_possible=possible, score=score, passed=passed
        )
        if not claimed:
            raise AlreadySubmitted()
        if replace_saved:
            AttemptAnswer.objects.filter(attempt_question__attempt=attempt).delete()
            AttemptAnswer.objects.bulk_create(
                AttemptAnswer(attempt_question_id=row_id, choice_id=choice_id)
                for row_id, picked in answers.items()
                for choice_id in sorted(picked)
            )
        for row in sheet.questions:
            row.earned, row.is_correct = results[row.pk]
        _store_results(sheet.questions)
        attempt.status, attempt.submitted_at = status, now
        attempt.points_earned, attempt.points_possible, attempt.score, attempt.passed = earned, possible, score, passed
        # The audit trail an administrator checks when a grade is disputed.
        log(
            instance=attempt,
            action="quizzes.grade",
            user=attempt.user,
            data={"quiz": attempt.quiz_id, "status": status, "score": str(score), "passed": passed},
        )
    if passed or attempt.quiz.is_diagnostic:
        # A pre-assessment is done once taken, whatever the score (it is not required).
        record_completion(attempt)
    return attempt


def _store_results(rows):
    """Write every question's result in one UPDATE (a CASE on the primary key).

    It is the statement Django's ``bulk_update`` builds, written directly:
    bulk_update spends about 40 ms in Python on 50 rows, most of a submission.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(AttemptQuestion)]
    quote = connection.ops.quote_name
    pk = quote(AttemptQuestion._meta.pk.column)
    cases = " ".join(["WHEN %s THEN %s"] * len(rows))
    sql = (
        f"UPDATE {quote(AttemptQuestion._meta.db_table)} "
        f"SET {quote('earned')} = CASE {pk} {cases} END, {quote('is_correct')} = CASE {pk} {cases} END "
        f"WHERE {pk} IN ({', '.join(['%s'] * len(rows))})"
    )
    params = [value for row in rows for value in (row.pk, row.earned)]
    params += [value for row in rows for value in (row.pk, row.is_correct)]
    params += [row.pk for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_completion(attempt):
    """Record the passed quiz as a completed course step (courses' service).

    Runs after the grade is committed, so the grade never waits on the
    course's completion check; if it fails, the grade stands and the quiz
    page records the step the next time the trainee opens it. Safe to call
    twice (complete_step is).
    """
    try:
        complete_step(attempt.user, attempt.quiz, score=attempt.score)
    except CourseError as error:
        logger.warning("Quiz attempt %s passed but the step was not recorded: %s", attempt.pk, error)
        return False
    return True


def save_answers(attempt, data, *, now=None):
    """Store the answers chosen so far without grading (replacing earlier ones).

    Safe to call twice (the last save wins). Refuses a graded attempt
    (AlreadySubmitted) and one whose time ran out (grades it on what was
    saved in time and raises AttemptClosed). Invalid answers store nothing.
    """
    now = now or timezone.now()
    if not attempt.is_open:
        raise AlreadySubmitted()
    sheet = Sheet.load(attempt)
    if attempt.is_overdue(now):
        _grade_saved(attempt, sheet, now)
        raise AttemptClosed()
    answers = parse_answers(sheet, data, require_all=False)
    with transaction.atomic():
        # Lock the open attempt so a concurrent submission waits for us (or
        # we find it graded and write nothing).
        locked = QuizAttempt.objects.select_for_update().filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS)
        if not list(locked.values_list("pk", flat=True)):
            raise AlreadySubmitted()
        AttemptAnswer.objects.filter(attempt_question__attempt=attempt).delete()
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(attempt_question_id=row_id, choice_id=choice_id)
            for row_id, picked in answers.items()
            for choice_id in sorted(picked)
        )
    return answers


def saved_answers(attempt):
    """{attempt question id: set of choice ids} saved so far (one query)."""
    saved = {}
    for row_id, choice_id in AttemptAnswer.objects.filter(attempt_question__attempt=attempt).values_list(
        "attempt_question_id", "choice_id"
    ):
        saved.setdefault(row_id, set()).add(choice_id)
    return saved
