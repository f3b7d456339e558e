"""Issue 13, done when: the demo instructor creates a bilingual lesson in a
module (it lands before the quiz), previews it in English and Spanish in the
side panel, publishes it, adds a question to the module quiz's category, and
the trainee then sees both. The actions are counted (15 and 14 here; about
20 each, with dead ends, before)."""

import os
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from courses import progress
from courses.models import ModulePage
from quizzes.content import build_quiz
from tests.e2e.authoring_flow import LESSON, QUESTION, Counter, add_question_to_category, create_bilingual_lesson
from tests.quizzes.test_content import QUIZ

MAX_ACTIONS = 16


@pytest.fixture
def authoring_setup(demo, course_index):
    from django.contrib.auth import get_user_model

    from tests.courses.factories import make_course

    users = get_user_model().objects
    course = make_course(course_index, code="E2E-13", title="Border basics", modules=1, lessons=1)
    course.instructors.add(users.get(username="instructor"))
    module = ModulePage.objects.child_of(course).get()
    quiz = build_quiz(module, {**QUIZ, "draw": None})  # the whole pool, so the new question is asked
    progress.enroll(users.get(username="trainee"), course)
    return {"course": course, "module": module, "quiz": quiz, "category": quiz.draw_categories.get()}


def admin_login(page, base_url, username="instructor"):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-Armas-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_instructor_authors_a_lesson_and_a_question_and_the_trainee_sees_both(
    page, live_server, login, authoring_setup, tmp_path
):
    shots = Path(os.environ.get("AUTHORING_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, live_server.url)

    lesson_actions = Counter()
    slug_es = create_bilingual_lesson(
        page, live_server.url, authoring_setup["module"].pk, lesson_actions, screenshots=shots
    )
    assert slug_es.isascii() and slug_es.startswith("como-declarar")
    question_actions = Counter()
    add_question_to_category(
        page, live_server.url, authoring_setup["category"].name, question_actions, screenshots=shots
    )
    assert len(lesson_actions) <= MAX_ACTIONS, lesson_actions.actions
    assert len(question_actions) <= MAX_ACTIONS, question_actions.actions

    # The lesson landed before the module quiz.
    module = authoring_setup["module"]
    titles = list(module.get_children().order_by("path").values_list("title_en", flat=True))
    assert titles[-2:] == [LESSON["title_en"], authoring_setup["quiz"].title_en]

    page.context.clear_cookies()
    login("trainee")
    with translation.override("en"):
        module_url = module.get_url()
    page.goto(f"{live_server.url}{module_url}")
    lesson_link = page.get_by_role("link", name=LESSON["title_en"]).first
    expect(lesson_link).to_be_visible()
    lesson_link.click()
    expect(page.locator("h1")).to_have_text(LESSON["title_en"])
    expect(page.locator("main")).to_contain_text(LESSON["body_en"])
    page.screenshot(path=str(shots / "trainee-lesson.png"), full_page=True)

    with translation.override("en"):
        quiz_url = authoring_setup["quiz"].get_url()
    page.goto(f"{live_server.url}{quiz_url}")
    page.locator("form[action*='/start/'] button").first.click()
    expect(page.locator(".quiz-stem", has_text=QUESTION["text_en"])).to_be_visible()
    page.screenshot(path=str(shots / "trainee-question.png"), full_page=True)
