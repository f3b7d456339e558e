"""A trainee studies the demo orientation course in Chromium: enrols, marks
lessons complete, watches the progress bar, switches to Spanish halfway and
finishes; axe-core finds nothing on the course page, a lesson and My learning
in both languages."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect


@pytest.fixture
def orientation(demo):
    from courses import demo as courses_demo

    cache.clear()
    courses_demo.load()
    yield
    cache.clear()


def progress_value(page):
    return int(page.locator("[data-testid=course-progress]").first.get_attribute("value"))


def test_trainee_studies_the_orientation_course(page, live_server, orientation, login, axe_violations):
    login("trainee")
    page.goto(f"{live_server.url}/en/courses/platform-orientation/")
    expect(page.locator("h1")).to_have_text("Platform orientation")
    assert axe_violations(page) == []

    page.click("[data-testid=enrol]")
    expect(page.locator(".messages")).to_contain_text("You are enrolled")
    assert progress_value(page) == 0
    page.reload()  # axe once more, enrolled (the flash message is base.html's)
    assert axe_violations(page) == []

    page.click("[data-testid=resume]")
    expect(page.locator("h1")).to_have_text("How to study here")
    assert axe_violations(page) == []

    seen = []
    for _ in range(3):
        page.click("[data-testid=mark-complete]")
        page.wait_for_load_state()
        seen.append(progress_value(page))
    assert seen == sorted(seen) and seen[0] > 0 and len(set(seen)) == 3
    expect(page.locator("h1")).to_have_text("Quizzes")

    # Halfway: on to Spanish, same step, same progress.
    before = progress_value(page)
    page.click("[data-testid=language-es]")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Cuestionarios")
    assert progress_value(page) == before
    assert axe_violations(page) == []

    while page.locator("[data-testid=mark-complete]").count():
        page.click("[data-testid=mark-complete]")
        page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/es/cursos/orientacion-a-la-plataforma/$"))
    assert progress_value(page) == 100

    for lang in ("es", "en"):
        page.goto(f"{live_server.url}/{lang}/learning/")
        item = page.locator("[data-testid=learning-item]")
        expect(item).to_have_count(1)
        assert int(item.locator("progress").get_attribute("value")) == 100
        assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_empty_my_learning_and_anonymous_course_page_have_no_axe_violations(
    page, live_server, orientation, login, axe_violations, lang
):
    page.goto(f"{live_server.url}/{lang}/courses/" if lang == "en" else f"{live_server.url}/es/cursos/")
    assert axe_violations(page) == []
    page.locator(".course-card a").first.click()
    assert axe_violations(page) == []
    login("aprendiz", lang=lang)
    page.goto(f"{live_server.url}/{lang}/learning/")
    expect(page.locator("[data-testid=empty-state]")).to_be_visible()
    assert axe_violations(page) == []
