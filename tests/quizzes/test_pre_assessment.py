"""The pre-assessment: an ungraded diagnostic quiz (``is_diagnostic``) first
in a sequential course. It blocks nothing, completes nothing, and its score
is shown beside the final results."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses import progress
from courses.duration import apply_computed_duration, course_minutes
from courses.models import CoursePage, LessonPage, ModulePage, StepCompletion
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.courses.factories import lesson_body
from tests.factories import add_page, make_trainee
from tests.quizzes.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(course_index):
    """Sequential: pre-assessment, lesson, module quiz (in that order)."""
    course = add_page(
        course_index,
        CoursePage,
        "Pre course",
        "Curso pre",
        code="PRE-1",
        summary_en="Summary",
        summary_es="Resumen",
        sequencing="sequential",
    )
    module = add_page(course, ModulePage, "Module", "Módulo")
    make_quiz(module, questions=4, title="Pre-assessment", is_diagnostic=True, max_attempts=1, estimated_minutes=10)
    add_page(
        module,
        LessonPage,
        "Lesson",
        "Lección",
        body_en=lesson_body("Body"),
        body_es=lesson_body("Cuerpo"),
        estimated_minutes=20,
    )
    make_quiz(module, questions=4, title="Module quiz", estimated_minutes=15)
    return course


def steps(course):
    module = ModulePage.objects.child_of(course).get()
    return [page.specific for page in module.get_children().order_by("path")]


@pytest.fixture
def trainee(course):
    user = make_trainee()
    progress.enroll(user, course)
    return user


def take(user, quiz, answers):
    attempt = start_attempt(user, quiz)
    submit_attempt(attempt, answers(attempt))
    attempt.refresh_from_db()
    return attempt


def test_the_pre_assessment_is_never_required_and_locks_nothing(course, trainee):
    diagnostic, lesson, quiz = steps(course)
    assert diagnostic.is_diagnostic and diagnostic.is_required is False
    enrollment = progress.current_enrollment(trainee, course)
    state = progress.progress_for(enrollment)
    assert state.required_total == 2  # the lesson and the module quiz
    # Skipped: the lesson opens at once, and the course completes without it.
    progress.check_step_open(enrollment, lesson, course=course)
    progress.complete_step(trainee, lesson)
    take(trainee, quiz, right_answers)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert not StepCompletion.objects.filter(page_id=diagnostic.pk).exists()


def test_taking_it_marks_it_done_whatever_the_score_and_counts_toward_nothing(course, trainee):
    diagnostic, _lesson, _quiz = steps(course)
    attempt = take(trainee, diagnostic, wrong_answers)
    assert attempt.score == 0 and attempt.passed is False
    enrollment = progress.current_enrollment(trainee, course)
    assert StepCompletion.objects.filter(enrollment=enrollment, page_id=diagnostic.pk).exists()
    state = progress.progress_for(enrollment)
    assert state.required_done == 0 and state.percent == 0
    assert enrollment.completed_at is None


def test_the_course_page_sets_the_pre_assessment_beside_the_final_result(course, trainee, client):
    diagnostic, lesson, quiz = steps(course)
    client.force_login(trainee)
    assert 'data-testid="pre-post"' not in client.get(course.url).content.decode()  # not taken yet

    take(trainee, diagnostic, wrong_answers)
    page = client.get(course.url).content.decode()
    assert 'data-testid="pre-post"' in page
    assert "Not yet: take every module quiz." in page

    progress.complete_step(trainee, lesson)
    take(trainee, quiz, right_answers)
    page = client.get(course.url).content.decode()
    assert 'data-testid="course-complete"' in page  # the final results screen ...
    assert '<dd data-testid="pre-score">0 %</dd>' in page  # ... with the pre-assessment
    assert '<dd data-testid="post-score">100 %</dd>' in page
    assert '<dd data-testid="change">+100 percentage points</dd>' in page

    with translation.override("es"):
        spanish_url = CoursePage.objects.get(pk=course.pk).url
    spanish = client.get(spanish_url).content.decode()
    assert "Evaluación diagnóstica (no se califica)" in spanish


def test_nobody_else_sees_a_trainee_s_pre_assessment(course, trainee, client):
    diagnostic, _lesson, _quiz = steps(course)
    take(trainee, diagnostic, right_answers)
    other = make_trainee()
    progress.enroll(other, course)
    client.force_login(other)
    assert 'data-testid="pre-post"' not in client.get(course.url).content.decode()


def test_the_result_page_says_it_is_not_graded(course, trainee, client):
    diagnostic, _lesson, _quiz = steps(course)
    attempt = take(trainee, diagnostic, wrong_answers)
    client.force_login(trainee)
    with translation.override("en"):
        page = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "Pre-assessment taken" in page and "Not passed" not in page


def test_the_stated_duration_adds_the_pre_assessment(course):
    assert course_minutes(course) == 10 + 20 + 15
    assert apply_computed_duration(course)
    course.refresh_from_db()
    assert course.estimated_minutes == 45 and str(course.credit_hours) == "1.0"
    assert not apply_computed_duration(course)  # unchanged: nothing written
