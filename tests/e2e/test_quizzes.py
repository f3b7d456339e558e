"""A trainee takes a quiz in Spanish with the keyboard only: fails, reads the
review and the cool-down notice, passes, and sees the step completed."""

import re

import pytest
from playwright.sync_api import expect

from courses import progress
from courses.models import ModulePage, StepCompletion
from lms.i18n import page_url_in
from quizzes.models import Choice, QuestionKind, QuizAttempt, QuizPage, ReviewPolicy
from tests.quizzes.factories import make_question, make_quiz


@pytest.fixture
def quiz_setup(demo, course_index):
    from django.contrib.auth import get_user_model

    from tests.courses.factories import make_course

    course = make_course(course_index, code="E2E-1", title="Border basics", modules=1, lessons=1)
    module = ModulePage.objects.child_of(course).get()
    quiz = make_quiz(
        module,
        questions=2,
        extra_questions=[make_question(kind=QuestionKind.MULTIPLE, correct=2, n=3)],
        title="Ports quiz",
        review_policy=ReviewPolicy.AFTER_EACH,
        cooldown_minutes=30,
        pass_mark=100,
    )
    aprendiz = get_user_model().objects.get(username="aprendiz")
    progress.enroll(aprendiz, course)
    return {"quiz": quiz, "user": aprendiz}


def tab_to(page, selector, limit=120):
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"keyboard focus never reached {selector}")


def answer_with_keyboard(page, attempt, right):
    """Answer every question of ``attempt`` in display order, keys only."""
    rows = list(attempt.questions.order_by("position").select_related("question"))
    tab_to(page, "fieldset#question-1 input")
    for index, row in enumerate(rows):
        flags = list(Choice.objects.filter(pk__in=row.choice_order).values_list("pk", "is_correct"))
        correct = {pk for pk, ok in flags if ok}
        wanted = [i for i, pk in enumerate(row.choice_order) if (pk in correct) == right]
        if row.question.kind == QuestionKind.MULTIPLE:
            # Checkboxes: Tab visits each one, Space ticks it.
            for position in range(len(row.choice_order)):
                if position in wanted:
                    page.keyboard.press("Space")
                if position < len(row.choice_order) - 1:
                    page.keyboard.press("Tab")
        else:
            # Radios: focus lands on the first one; arrows move and select.
            target = wanted[0]
            if target == 0:
                page.keyboard.press("Space")
            for _ in range(target):
                page.keyboard.press("ArrowDown")
        if index < len(rows) - 1:
            tab_to(page, f"fieldset#question-{index + 2} input")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_aprendiz_fails_reviews_waits_and_passes_by_keyboard(page, live_server, login, axe_violations, quiz_setup):
    quiz, user = quiz_setup["quiz"], quiz_setup["user"]
    login("aprendiz", lang="es")
    quiz_url = live_server.url + page_url_in(quiz, "es")
    page.goto(quiz_url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Antes de empezar")).to_be_visible()
    expect(page.get_by_text("3 preguntas por intento.")).to_be_visible()
    assert axe_violations(page) == []

    # Attempt 1: start with the keyboard, answer wrong, submit.
    tab_to(page, "form[action*='/start/'] button")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("group")).to_have_count(3)
    assert axe_violations(page) == []
    first = QuizAttempt.objects.get(user=user)
    answer_with_keyboard(page, first, right=False)

    expect(page.get_by_role("heading", name="No aprobado")).to_be_visible()
    expect(page.get_by_text("Explicación 1 EXPLICADA")).to_be_visible()
    expect(page.get_by_text("Puede iniciar su siguiente intento a las")).to_be_visible()
    assert axe_violations(page) == []

    # The cool-down is over (set to zero rather than waiting half an hour).
    QuizPage.objects.filter(pk=quiz.pk).update(cooldown_minutes=0)
    page.goto(quiz_url)
    tab_to(page, "form[action*='/start/'] button")
    page.keyboard.press("Enter")
    # Wait for the attempt page itself: "networkidle" may come before the
    # navigation has even started on a busy machine.
    page.wait_for_url(re.compile(r"/quizzes/attempts/\d+/$"))
    second = QuizAttempt.objects.get(user=user, number=2)
    answer_with_keyboard(page, second, right=True)

    expect(page.get_by_role("heading", name="Aprobado")).to_be_visible()
    expect(page.get_by_text("Este paso del curso está completo.")).to_be_visible()
    assert axe_violations(page) == []
    assert StepCompletion.objects.filter(enrollment__user=user, page_id=quiz.pk).exists()
    page.goto(quiz_url)
    expect(page.get_by_text("Paso completado")).to_be_visible()
    expect(page.get_by_text("Aprobó este cuestionario con 100 %.")).to_be_visible()


def test_timer_counts_down_and_submits_at_zero(page, live_server, login, quiz_setup):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.attempts import start_attempt

    quiz, user = quiz_setup["quiz"], quiz_setup["user"]
    QuizPage.objects.filter(pk=quiz.pk).update(time_limit_minutes=10)
    attempt = start_attempt(user, QuizPage.objects.get(pk=quiz.pk), language="es")
    # Only a few seconds left: the page's timer must submit by itself.
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    login("aprendiz", lang="es")
    page.goto(f"{live_server.url}/es/quizzes/attempts/{attempt.pk}/")
    expect(page.get_by_text("Envíe sus respuestas antes de las")).to_be_visible()
    expect(page.locator("[data-quiz-timer-output]")).to_have_text(re.compile(r"^0:0[0-3]$"), timeout=5_000)
    expect(page).to_have_url(f"{live_server.url}/es/quizzes/attempts/{attempt.pk}/result/", timeout=15_000)
    expect(page.get_by_role("heading", name="No aprobado")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 0
