"""The completion screen in Chromium: aprendiz passes the last quiz of a
course; the result page says the course is complete, shows her certificate
with its download and verification links, and suggests what to take next."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import expect

from courses import progress
from courses.models import LessonPage, ModulePage
from lms.i18n import page_url_in
from quizzes.models import QuizAttempt
from tests.certificates.factories import make_small_course
from tests.quizzes.factories import make_quiz, right_answers


@pytest.fixture
def last_quiz(demo, course_index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    course = make_small_course(course_index, code="DONE-1", title="Export law in the browser")
    following = make_small_course(course_index, code="DONE-2", title="Tracing after export law")
    following.prerequisites.set([course])
    following.save_revision().publish()
    module = ModulePage.objects.child_of(course).get()
    quiz = make_quiz(module, questions=2, title="Final quiz")
    aprendiz = get_user_model().objects.get(username="aprendiz")
    progress.enroll(aprendiz, course)
    progress.complete_step(aprendiz, LessonPage.objects.child_of(module).get())
    yield quiz
    cache.clear()


def test_passing_the_last_quiz_shows_the_completion_screen(page, live_server, login, axe_violations, last_quiz):
    login("aprendiz", lang="es")
    page.goto(live_server.url + page_url_in(last_quiz, "es"))
    page.locator("form[action$='/start/'] button").click()
    attempt = QuizAttempt.objects.get(quiz=last_quiz)
    for keys in right_answers(attempt).values():
        for key in keys:
            page.locator(f"input[value='{key}']").check()
    page.locator("button[value=submit]").click()

    complete = page.get_by_test_id("course-complete")
    expect(complete).to_contain_text("Completó «Export law in the browser ES»")
    expect(complete.get_by_role("link", name="Descargar PDF")).to_be_visible()
    verify = complete.get_by_role("link", name="Página de verificación")
    expect(verify).to_be_visible()
    expect(page.get_by_test_id("next-courses")).to_contain_text("Tracing after export law ES")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        complete.get_by_role("link", name="Descargar PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    verify.click()
    expect(page.get_by_test_id("status")).to_have_text("Vigente")
