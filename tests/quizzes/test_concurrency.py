"""Real concurrency on PostgreSQL: threads with their own connections."""

import threading

import pytest
from django.db import connection

from courses.models import StepCompletion
from quizzes.attempts import start_attempt
from quizzes.exceptions import AlreadySubmitted, CoolingDown, NoAttemptsLeft
from quizzes.grading import submit_attempt
from quizzes.models import AttemptAnswer, AttemptQuestion, QuizAttempt
from tests.quizzes.factories import make_quiz, right_answers, wrong_answers

# Skipped at collection on other databases, so no transactional set-up (and
# no flush of the test database) happens there.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks, real concurrency"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
THREADS = 6


def run_together(target, count=THREADS):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_submits_are_graded_exactly_once(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    answers = [right_answers(attempt), wrong_answers(attempt)]

    def submit(index):
        mine = QuizAttempt.objects.select_related("quiz", "user").get(pk=attempt.pk)
        try:
            submit_attempt(mine, answers[index % 2])
        except AlreadySubmitted:
            return "already"
        return "graded"

    results, errors = run_together(submit)
    assert errors == []
    assert sorted(results) == ["already"] * (THREADS - 1) + ["graded"]
    attempt.refresh_from_db()
    assert attempt.is_graded
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 3
    assert AttemptQuestion.objects.filter(attempt=attempt, earned__isnull=False).count() == 3
    assert StepCompletion.objects.filter(page_id=quiz.pk).count() == (1 if attempt.passed else 0)


def test_concurrent_starts_never_exceed_the_attempt_limit(module, trainee):
    quiz = make_quiz(module, max_attempts=3, cooldown_minutes=0, pass_mark=100)

    def keep_trying(index):
        started = []
        for _round in range(4):
            try:
                attempt = start_attempt(trainee, quiz)
            except (NoAttemptsLeft, CoolingDown):
                break
            started.append(attempt.pk)
            mine = QuizAttempt.objects.select_related("quiz", "user").get(pk=attempt.pk)
            try:
                submit_attempt(mine, wrong_answers(mine))
            except AlreadySubmitted:
                pass
        return started

    results, errors = run_together(keep_trying)
    assert errors == []
    numbers = sorted(QuizAttempt.objects.filter(quiz=quiz, user=trainee).values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    assert {pk for started in results for pk in started} == set(
        QuizAttempt.objects.filter(quiz=quiz).values_list("pk", flat=True)
    )
