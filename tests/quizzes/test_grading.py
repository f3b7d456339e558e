from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import progress
from courses.models import StepCompletion
from quizzes import grading
from quizzes.attempts import start_attempt
from quizzes.exceptions import AlreadySubmitted, AttemptClosed, InvalidAnswers
from quizzes.grading import question_result, save_answers, submit_attempt
from quizzes.models import AttemptAnswer, Choice, QuestionKind, Scoring
from tests.factories import make_trainee
from tests.quizzes.factories import (
    make_question,
    make_quiz,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind, scoring, picked, earned, exact",
    [
        (QuestionKind.SINGLE, Scoring.ALL_OR_NOTHING, {1}, "2.00", True),
        (QuestionKind.SINGLE, Scoring.ALL_OR_NOTHING, {3}, "0.00", False),
        (QuestionKind.MULTIPLE, Scoring.ALL_OR_NOTHING, {1, 2}, "2.00", True),
        (QuestionKind.MULTIPLE, Scoring.ALL_OR_NOTHING, {1}, "0.00", False),
        (QuestionKind.MULTIPLE, Scoring.PARTIAL, {1}, "1.00", False),
        (QuestionKind.MULTIPLE, Scoring.PARTIAL, {1, 3}, "0.00", False),
        (QuestionKind.MULTIPLE, Scoring.PARTIAL, {1, 2, 3}, "1.00", False),
        (QuestionKind.MULTIPLE, Scoring.PARTIAL, {1, 2, 3, 4}, "0.00", False),
        (QuestionKind.MULTIPLE, Scoring.PARTIAL, set(), "0.00", False),
    ],
)
def test_question_result(kind, scoring, picked, earned, exact):
    correct = {1} if kind == QuestionKind.SINGLE else {1, 2}
    assert question_result(kind, scoring, Decimal(2), picked, correct, 4) == (Decimal(earned), exact)


def test_grading_mixed_quiz_and_pass_completes_step(module, trainee):
    multiple = make_question(kind="multiple", scoring="partial", correct=2, points=2, n=7)
    true_false = make_question(kind="true_false", n=8)
    quiz = make_quiz(module, questions=2, extra_questions=[multiple, true_false], pass_mark=60)
    attempt = start_attempt(trainee, quiz)
    data = right_answers(attempt)
    rows = {row.question_id: row for row in attempt.questions.all()}
    # Half of the multiple-answer question: one right choice of two.
    data[f"q-{rows[multiple.pk].pk}"] = data[f"q-{rows[multiple.pk].pk}"][:1]
    submit_attempt(attempt, data)
    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    assert attempt.points_possible == 5 and attempt.points_earned == 4
    assert attempt.score == Decimal("80.00") and attempt.passed
    assert rows[multiple.pk].__class__.objects.get(pk=rows[multiple.pk].pk).earned == 1
    completion = StepCompletion.objects.get(page_id=quiz.pk)
    assert completion.score == Decimal("80.00")
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 4


def test_failing_attempt_does_not_complete_step(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.passed is False and attempt.score == 0
    assert not StepCompletion.objects.exists()


def test_second_submission_changes_nothing(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    stale = type(attempt).objects.get(pk=attempt.pk)
    stale.status = "in_progress"  # as a concurrent request loaded it
    with pytest.raises(AlreadySubmitted):
        submit_attempt(stale, right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.score == 0 and not attempt.passed
    assert not StepCompletion.objects.exists()


def test_invalid_answers_store_nothing(quiz, trainee, module):
    attempt = start_attempt(trainee, quiz)
    other = make_quiz(module, title="Other quiz")
    other_user = make_trainee()
    progress.enroll(other_user, module.get_course())
    other_attempt = start_attempt(other_user, other)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    cases = {
        "unknown choice": {**good, f"q-{rows[0].pk}": ["00000000-0000-4000-8000-000000000000"]},
        "not a uuid": {**good, f"q-{rows[0].pk}": ["1"]},
        "choice of another question": {**good, f"q-{rows[0].pk}": good[f"q-{rows[1].pk}"]},
        "two answers to single choice": {
            **good,
            f"q-{rows[0].pk}": [
                str(k) for k in Choice.objects.filter(pk__in=rows[0].choice_order)[:2].values_list("key", flat=True)
            ],
        },
        "missing answer": {k: v for k, v in good.items() if k != f"q-{rows[2].pk}"},
        "question of another attempt": {**good, **right_answers(other_attempt)},
    }
    for name, data in cases.items():
        with pytest.raises(InvalidAnswers):
            submit_attempt(attempt, data)
        attempt.refresh_from_db()
        assert attempt.is_open, name
        assert not AttemptAnswer.objects.exists(), name


def test_saved_answers_count_when_time_runs_out(module, trainee):
    quiz = make_quiz(module, time_limit_minutes=10, pass_mark=60)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        save_answers(attempt, {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"], f"q-{rows[1].pk}": good[f"q-{rows[1].pk}"]})
    # Too late (after deadline + grace): the posted answers are ignored.
    with time_machine.travel(start + timedelta(minutes=11), tick=False), pytest.raises(AttemptClosed):
        submit_attempt(attempt, good)
    attempt.refresh_from_db()
    assert attempt.status == "timed_out"
    assert attempt.points_earned == 2 and attempt.passed


def test_within_grace_a_partial_submission_counts(module, trainee):
    quiz = make_quiz(module, time_limit_minutes=10, pass_mark=50)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    partial = {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"], f"q-{rows[1].pk}": good[f"q-{rows[1].pk}"]}
    with time_machine.travel(start + timedelta(minutes=10, seconds=5), tick=False):
        submit_attempt(attempt, partial)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.points_earned == 2


def test_before_deadline_every_question_must_be_answered(module, trainee):
    quiz = make_quiz(module, time_limit_minutes=10)
    attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    good = right_answers(attempt)
    with pytest.raises(InvalidAnswers) as refused:
        submit_attempt(attempt, {f"q-{rows[0].pk}": good[f"q-{rows[0].pk}"]})
    assert set(refused.value.errors) == {rows[1].pk, rows[2].pk}


def _attempt_with(module, course, size):
    title = f"Quiz {size} {module.get_children().count()}"
    quiz = make_quiz(module, questions=size, title=title, pass_mark=100)
    user = make_trainee()
    progress.enroll(user, course)
    attempt = start_attempt(user, quiz)
    # As the views load it (quizzes.permissions.attempt_for).
    return type(attempt).objects.select_related("quiz", "user").get(pk=attempt.pk)


def test_grading_takes_a_constant_number_of_queries(module, course, django_assert_max_num_queries):
    warm_up = _attempt_with(module, course, 2)  # fills Django's content type cache
    submit_attempt(warm_up, wrong_answers(warm_up))
    counts = {}
    for size in (10, 50):
        attempt = _attempt_with(module, course, size)
        data = wrong_answers(attempt)
        with CaptureQueriesContext(connection) as queries:
            submit_attempt(attempt, data)
        counts[size] = len(queries)
        attempt.refresh_from_db()
        assert attempt.is_graded and not attempt.passed
    assert counts[10] == counts[50], counts
    attempt = _attempt_with(module, course, 50)
    data = wrong_answers(attempt)
    with django_assert_max_num_queries(15):
        submit_attempt(attempt, data)


def test_a_pass_adds_only_the_courses_completion_queries(module, course, monkeypatch):
    """Grading stays constant and within 15 queries; courses' complete_step
    (a constant of its own) comes on top when the attempt passes."""
    inside = []

    def counted_complete_step(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = grading.complete_step(*args, **kwargs)
        inside.append(len(queries))
        return result

    monkeypatch.setattr(grading, "record_completion", _record_with(counted_complete_step))
    counts = {}
    for size in (10, 50):
        attempt = _attempt_with(module, course, size)
        data = right_answers(attempt)
        with CaptureQueriesContext(connection) as queries:
            submit_attempt(attempt, data)
        counts[size] = len(queries) - inside[-1]
        assert StepCompletion.objects.filter(page_id=attempt.quiz_id).exists()
    assert counts[10] == counts[50] <= 15, counts


def _record_with(complete):
    def record(attempt):
        complete(attempt.user, attempt.quiz, score=attempt.score)
        return True

    return record
