"""The loaded AC-100 course in Chromium: Spanish first, then English."""

import os
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content" / "ac-100.yaml"


@pytest.fixture
def loaded_course(demo):
    from django.contrib.auth import get_user_model

    from courses.models import LessonPage
    from courses.progress import enroll
    from training.loader import load_course_file

    course = load_course_file(REAL_CONTENT).course
    enroll(get_user_model().objects.get(username="aprendiz"), course)
    lesson = next(
        lesson
        for lesson in LessonPage.objects.descendant_of(course).order_by("path")
        if {"citation", "callout", "key_terms"} <= {block.block_type for block in lesson.body_es}
    )
    urls = {}
    for lang in ("en", "es"):
        with translation.override(lang):
            urls[lang] = (course.get_url(), lesson.get_url())
    return course, lesson, urls


def shot(page, tmp_path, name):
    folder = Path(os.environ.get("TRAINING_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_the_course_and_a_lesson_in_spanish_and_english(
    page, live_server, loaded_course, login, axe_violations, tmp_path
):
    course, lesson, urls = loaded_course
    login("aprendiz", lang="es")

    page.goto(live_server.url + urls["es"][0])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(course.title_es)
    assert axe_violations(page) == []
    shot(page, tmp_path, "course-es")

    page.goto(live_server.url + urls["es"][1])
    expect(page.locator("h1")).to_have_text(lesson.title_es)
    citation = next(block.value for block in lesson.body_es if block.block_type == "citation")
    callout = next(block.value for block in lesson.body_es if block.block_type == "callout")
    terms = next(block.value for block in lesson.body_es if block.block_type == "key_terms")
    body = page.locator(".lesson-body")
    expect(body.get_by_text(citation["reference"], exact=False).first).to_be_visible()
    expect(body.get_by_text(callout["title"], exact=False).first).to_be_visible()
    expect(body.get_by_text(terms[0]["term"], exact=False).first).to_be_visible()
    english_text = next(block.value for block in lesson.body_en if block.block_type == "rich_text").source
    expect(body.get_by_text(english_text[3:40], exact=False)).to_have_count(0)
    assert axe_violations(page) == []
    shot(page, tmp_path, "lesson-es")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(lesson.title_en)
    assert page.url.endswith(urls["en"][1])
    assert axe_violations(page) == []
    shot(page, tmp_path, "lesson-en")
