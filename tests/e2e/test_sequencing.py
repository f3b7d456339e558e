"""Sequential locking in Chromium: a trainee of a sequential course meets a
locked lesson and a locked quiz, reads why (in Spanish), follows the link to
the step to do first, and the steps open one after the other."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import expect

from courses import progress
from courses.models import LessonPage, ModulePage, Sequencing
from lms.i18n import page_url_in
from tests.courses.factories import make_course
from tests.quizzes.factories import make_quiz


@pytest.fixture
def sequential_course(demo, course_index):
    cache.clear()
    course = make_course(
        course_index, code="SEQ-E2E", title="Red flags at ports", modules=1, lessons=2, sequencing=Sequencing.SEQUENTIAL
    )
    module = ModulePage.objects.child_of(course).get()
    quiz = make_quiz(module, title="Red flags quiz")
    progress.enroll(get_user_model().objects.get(username="aprendiz"), course)
    yield {"lessons": list(LessonPage.objects.child_of(module).order_by("path")), "quiz": quiz}
    cache.clear()


def test_steps_open_one_after_the_other(page, live_server, login, axe_violations, sequential_course):
    first, second = sequential_course["lessons"]
    quiz = sequential_course["quiz"]
    login("aprendiz", lang="es")

    page.goto(live_server.url + page_url_in(quiz, "es"))
    locked = page.get_by_test_id("step-locked")
    expect(locked).to_contain_text("Este curso se sigue en orden")
    expect(locked).to_contain_text(first.title_es)
    expect(page.get_by_role("button", name="Iniciar el intento 1")).to_have_count(0)
    expect(page.locator(".step.is-locked")).to_have_count(2)
    assert axe_violations(page) == []

    page.goto(live_server.url + page_url_in(second, "es"))
    expect(page.get_by_test_id("step-locked")).to_be_visible()
    expect(page.get_by_test_id("mark-complete")).to_have_count(0)
    page.get_by_test_id("locked-go").click()
    expect(page).to_have_url(live_server.url + page_url_in(first, "es"))
    expect(page.get_by_test_id("step-locked")).to_have_count(0)

    page.get_by_test_id("mark-complete").click()
    # Completing the first lesson leads to the second, now open.
    expect(page).to_have_url(live_server.url + page_url_in(second, "es"))
    expect(page.get_by_test_id("step-locked")).to_have_count(0)
    page.get_by_test_id("mark-complete").click()

    expect(page).to_have_url(live_server.url + page_url_in(quiz, "es"))
    expect(page.get_by_test_id("step-locked")).to_have_count(0)
    expect(page.locator(".step.is-locked")).to_have_count(0)
    expect(page.locator("form[action$='/start/'] button")).to_be_visible()
