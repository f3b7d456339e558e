"""Not losing your place on a quiz attempt, in Chromium: answers are saved as
they are chosen, the language switch keeps the same attempt (and its
answers), leaving with an unsaved answer asks first, and the time left and
its warnings stay in view."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from courses import progress
from courses.models import ModulePage
from lms.i18n import page_url_in
from quizzes.models import AttemptAnswer, QuizAttempt
from tests.courses.factories import make_course
from tests.quizzes.factories import make_quiz


@pytest.fixture
def timed_quiz(demo, course_index):
    cache.clear()
    course = make_course(course_index, code="PLACE-1", title="Seizure records", modules=1, lessons=1)
    quiz = make_quiz(
        ModulePage.objects.child_of(course).get(), questions=8, title="Records quiz", time_limit_minutes=30
    )
    progress.enroll(get_user_model().objects.get(username="aprendiz"), course)
    yield quiz
    cache.clear()


def start(page, live_server, quiz):
    page.goto(live_server.url + page_url_in(quiz, "es"))
    page.locator("form[action$='/start/'] button").click()
    expect(page.locator("#quiz-form")).to_be_visible()
    # The form shows before its scripts have run; an answer chosen then is
    # not autosaved (the "Save answers" button still is). A person takes
    # longer than the page does to load; the test waits for it.
    page.wait_for_load_state("load")
    return QuizAttempt.objects.get(quiz=quiz)


def test_answers_survive_the_language_switch(page, live_server, login, timed_quiz):
    login("aprendiz", lang="es")
    attempt = start(page, live_server, timed_quiz)
    assert "/es/quizzes/attempts/" in page.url
    page.locator("#question-1 input").nth(2).check()
    page.locator("#question-2 input").nth(1).check()
    expect(page.locator("[data-autosave-status]")).to_have_text("Sus respuestas están guardadas.")
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 2

    page.get_by_test_id("language-en").click()
    expect(page).to_have_url(f"{live_server.url}/en/quizzes/attempts/{attempt.pk}/")
    expect(page.locator("#question-1 input").nth(2)).to_be_checked()
    expect(page.locator("#question-2 input").nth(1)).to_be_checked()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_leaving_with_an_unsaved_answer_asks_first(page, live_server, login, timed_quiz):
    login("aprendiz", lang="es")
    attempt = start(page, live_server, timed_quiz)
    # The network drops: the save fails, the answer stays unsaved.
    page.route(
        f"**/quizzes/attempts/{attempt.pk}/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.locator("#question-1 input").first.check()
    expect(page.locator("[data-autosave-status]")).to_contain_text("no se pudo guardar")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.get_by_test_id("language-en").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/es/quizzes/attempts/" in page.url  # stayed on the page
    expect(page.locator("#question-1 input").first).to_be_checked()


def test_the_time_left_stays_in_view_with_visible_warnings(page, live_server, login, timed_quiz):
    login("aprendiz", lang="es")
    attempt = start(page, live_server, timed_quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=303))
    page.set_viewport_size({"width": 390, "height": 700})
    page.reload()
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(300)
    bar = page.locator("[data-quiz-bar]")
    box = bar.bounding_box()
    assert box is not None and 0 <= box["y"] < 5  # stuck to the top while scrolled
    expect(page.locator("[data-quiz-timer-output]")).to_have_text(re.compile(r"^[45]:\d\d$"))
    warning = page.locator("[data-quiz-timer-status]")
    expect(warning).to_have_text("Quedan cinco minutos.", timeout=10_000)
    expect(warning).to_be_visible()
    assert "visually-hidden" not in (warning.get_attribute("class") or "")


def test_the_language_switch_keeps_the_result_page(page, live_server, login, timed_quiz):
    login("aprendiz", lang="es")
    attempt = start(page, live_server, timed_quiz)
    page.locator("button[value=submit]").click()
    # Unanswered questions: the form says which; answer them all and submit.
    for index in range(1, 9):
        page.locator(f"#question-{index} input").first.check()
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/es/quizzes/attempts/{attempt.pk}/result/")
    page.get_by_test_id("language-en").click()
    expect(page).to_have_url(f"{live_server.url}/en/quizzes/attempts/{attempt.pk}/result/")
