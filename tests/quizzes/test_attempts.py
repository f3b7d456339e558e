from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from courses.exceptions import NotEnrolled
from quizzes.attempts import quiz_state, start_attempt
from quizzes.exceptions import (
    AlreadyPassed,
    CoolingDown,
    NoAttemptsLeft,
    QuizNotAvailable,
    QuizNotReady,
)
from quizzes.grading import submit_attempt
from quizzes.models import AttemptQuestion, QuestionCategory, QuizAttempt, QuizPage
from tests.factories import make_trainee
from tests.quizzes.factories import (
    make_question,
    make_quiz,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def test_start_fixes_questions_and_choice_order(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    rows = list(attempt.questions.order_by("position"))
    assert [row.position for row in rows] == [1, 2, 3]
    assert all(len(row.choice_order) == 4 for row in rows)
    assert attempt.points_possible == 3
    # Starting again returns the same open attempt, unchanged.
    again = start_attempt(trainee, quiz)
    assert again.pk == attempt.pk
    assert list(again.questions.order_by("position").values_list("question_id", "choice_order")) == [
        (row.question_id, row.choice_order) for row in rows
    ]


def test_draws_n_questions_from_listed_and_category_pool(module, trainee):
    category = QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")
    for n in range(10, 16):
        make_question(n=n, category=category)
    quiz = make_quiz(module, questions=2, draw_count=5, shuffle_questions=True, shuffle_choices=True)
    quiz.draw_categories.add(category)
    quiz.save()
    pool = set(quiz.pool_question_ids())
    assert len(pool) == 8
    attempt = start_attempt(trainee, quiz)
    drawn = set(attempt.questions.values_list("question_id", flat=True))
    assert len(drawn) == 5 and drawn <= pool


def test_shuffle_is_stored_per_attempt(module, course):
    quiz = make_quiz(module, questions=12, shuffle_questions=True, shuffle_choices=True, max_attempts=None)
    orders = set()
    for _ in range(4):
        user = make_trainee()
        from courses import progress

        progress.enroll(user, course)
        attempt = start_attempt(user, quiz)
        orders.add(tuple(attempt.questions.order_by("position").values_list("question_id", flat=True)))
    assert len(orders) > 1


def test_true_false_choices_keep_their_order(module, trainee):
    quiz = make_quiz(module, questions=0, extra_questions=[make_question(kind="true_false")], shuffle_choices=True)
    attempt = start_attempt(trainee, quiz)
    row = attempt.questions.get()
    assert row.choice_order == sorted(row.choice_order)


def test_must_be_enrolled(quiz):
    with pytest.raises(NotEnrolled):
        start_attempt(make_trainee(), quiz)
    assert not QuizAttempt.objects.exists()


def test_unpublished_quiz_and_empty_pool_refused(module, trainee):
    draft = make_quiz(module, title="Draft quiz", publish=False)
    with pytest.raises(QuizNotAvailable):
        start_attempt(trainee, QuizPage.objects.get(pk=draft.pk))
    empty = make_quiz(module, questions=0, title="Empty quiz")
    with pytest.raises(QuizNotReady):
        start_attempt(trainee, empty)
    assert not QuizAttempt.objects.exists()


def test_attempt_limit_and_cool_down(module, trainee):
    quiz = make_quiz(module, max_attempts=2, cooldown_minutes=30)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = start_attempt(trainee, quiz)
        submit_attempt(first, wrong_answers(first))
        with pytest.raises(CoolingDown) as refused:
            start_attempt(trainee, quiz)
        assert refused.value.until == first.submitted_at + timedelta(minutes=30)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        second = start_attempt(trainee, quiz)
        assert second.number == 2
        submit_attempt(second, wrong_answers(second))
    with time_machine.travel(start + timedelta(hours=2), tick=False), pytest.raises(NoAttemptsLeft):
        start_attempt(trainee, quiz)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 2


def test_no_new_attempt_after_passing(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, right_answers(attempt))
    with pytest.raises(AlreadyPassed):
        start_attempt(trainee, quiz)


def test_database_refuses_a_second_open_attempt_and_duplicate_numbers(quiz, trainee):
    attempt = start_attempt(trainee, quiz)
    from django.db import transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(quiz=quiz, user=trainee, enrollment=attempt.enrollment, number=2)
    submit_attempt(attempt, wrong_answers(attempt))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(quiz=quiz, user=trainee, enrollment=attempt.enrollment, number=1)


def test_overdue_attempt_is_graded_when_state_is_read(module, trainee):
    quiz = make_quiz(module, time_limit_minutes=5)
    attempt = start_attempt(trainee, quiz)
    later = attempt.deadline + timedelta(minutes=1)
    state = quiz_state(trainee, quiz, enrollment=attempt.enrollment, now=later)
    assert state.open_attempt is None
    attempt.refresh_from_db()
    assert attempt.status == "timed_out" and attempt.score == 0 and attempt.passed is False
    assert AttemptQuestion.objects.filter(attempt=attempt, earned=0).count() == 3


def test_a_module_quiz_of_a_sequential_course_opens_after_the_lessons(course_index, client):
    from django.core.cache import cache

    from courses import progress
    from courses.exceptions import StepLocked
    from courses.models import LessonPage, ModulePage, Sequencing
    from tests.courses.factories import make_course

    cache.clear()
    course = make_course(course_index, code="SEQ-Q", modules=1, lessons=2, sequencing=Sequencing.SEQUENTIAL)
    module = ModulePage.objects.child_of(course).get()
    quiz = make_quiz(module)
    user = make_trainee()
    progress.enroll(user, course)
    with pytest.raises(StepLocked) as refused:
        start_attempt(user, quiz)
    assert refused.value.blocker.title == "Test course lesson 1.1"
    # Through the view: refused with the reason, nothing created.
    client.force_login(user)
    response = client.post(f"/en/quizzes/{quiz.pk}/start/")
    assert response.status_code == 409
    assert "This step opens once you have completed “Test course lesson 1.1”." in response.content.decode()
    assert not QuizAttempt.objects.exists()
    page = client.get(quiz.get_url()).content.decode()
    assert 'data-testid="step-locked"' in page and "Start attempt" not in page

    for lesson in LessonPage.objects.child_of(module).order_by("path"):
        progress.complete_step(user, lesson)
    assert start_attempt(user, quiz).number == 1
    cache.clear()
