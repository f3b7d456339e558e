"""Every trainee and public page fits a 390 px phone screen, in both
languages: nothing makes the page scroll sideways (the unbroken SHA-256 of
the verification page and the certificate and attempt tables once did)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from certificates.issuing import revoke_certificate
from certificates.models import Certificate
from courses import progress
from courses.models import CourseIndexPage, LessonPage, ModulePage
from lms.i18n import page_url_in
from quizzes import grading
from quizzes.attempts import start_attempt
from quizzes.models import ReviewPolicy
from tests.certificates.factories import complete_course, make_small_course
from tests.courses.factories import make_course
from tests.quizzes.factories import make_quiz, wrong_answers

PHONE = {"width": 390, "height": 844}

#: The widest element sticking out of the viewport, to say what overflows.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const excess = document.documentElement.scrollWidth - width;
  if (excess <= 0) return null;
  let worst = null;
  for (const el of document.querySelectorAll("body *")) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      worst = {right, tag: el.tagName.toLowerCase(), cls: el.className && String(el.className), text: (el.textContent || "").trim().slice(0, 40)};
    }
  }
  return {excess, worst};
}"""


@pytest.fixture
def phone_site(demo, course_index, settings, tmp_path):
    """A course with a quiz (one failed attempt, one open), a valid and a
    revoked certificate, all belonging to ``trainee`` or ``aprendiz``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    users = get_user_model().objects
    trainee, aprendiz, admin = (
        users.get(username="trainee"),
        users.get(username="aprendiz"),
        users.get(username="admin"),
    )
    course = make_course(
        course_index, code="AC-PHONE", title="Concealment in vehicles and ant trafficking", modules=1, lessons=2
    )
    module = ModulePage.objects.child_of(course).get()
    quiz = make_quiz(module, questions=3, title="Ports of entry quiz", review_policy=ReviewPolicy.AFTER_EACH)
    progress.enroll(trainee, course)
    progress.complete_step(trainee, LessonPage.objects.child_of(module).first())
    failed = start_attempt(trainee, quiz, language="en")
    grading.submit_attempt(failed, wrong_answers(failed))
    open_attempt = start_attempt(trainee, quiz, language="en")

    certified_course = make_small_course(course_index, code="AC-PHONE-2", title="Straw purchases and multiple sales")
    complete_course(trainee, certified_course)
    complete_course(aprendiz, certified_course)
    valid = Certificate.objects.get(holder=trainee)
    revoked = revoke_certificate(Certificate.objects.get(holder=aprendiz), actor=admin, reason="Issued in error")
    return {
        "course": course,
        "module": module,
        "lesson": LessonPage.objects.child_of(module).first(),
        "quiz": quiz,
        "failed": failed,
        "open": open_attempt,
        "valid": valid,
        "revoked": revoked,
    }


def public_paths(site, lang):
    return [
        f"/{lang}/",
        f"/{lang}/accounts/login/",
        f"/{lang}/accounts/password/reset/",
        f"/{lang}/verify/",
        f"/{lang}/verify/?code={site['valid'].serial}",
        f"/{lang}/verify/{site['valid'].code}/",
        f"/{lang}/verify/{site['revoked'].code}/",
        f"/{lang}/verify/not-a-real-code-at-all-000000/",
        page_url_in(CourseIndexPage.objects.get(), lang),
        page_url_in(site["course"], lang),
        page_url_in(site["lesson"], lang),
        f"/{lang}/no-such-page/",
    ]


def trainee_paths(site, lang):
    return [
        f"/{lang}/",
        f"/{lang}/learning/",
        f"/{lang}/accounts/preferences/",
        f"/{lang}/accounts/password/change/",
        f"/{lang}/search/?q=lesson",
        page_url_in(site["course"], lang),
        page_url_in(site["module"], lang),
        page_url_in(site["lesson"], lang),
        page_url_in(site["quiz"], lang),
        f"/{lang}/quizzes/attempts/{site['open'].pk}/",
        f"/{lang}/quizzes/attempts/{site['failed'].pk}/result/",
        f"/{lang}/verify/{site['valid'].code}/",
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, phone_site, lang):
    overflowing = {}
    for who, paths in (("anonymous", public_paths), ("trainee", trainee_paths)):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if who == "trainee":
            page.goto(f"{live_server.url}/{lang}/accounts/login/")
            page.fill("input[name=username]", "trainee")
            page.fill("input[name=password]", "demo-Armas-2026")
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
        for path in paths(phone_site, lang):
            response = page.goto(live_server.url + path)
            assert response.status < 500, path
            assert page.locator("html").get_attribute("lang") == lang, path
            problem = page.evaluate(OVERFLOW_JS)
            if problem:
                overflowing[f"{who} {path}"] = problem
        context.close()
    assert overflowing == {}


def test_the_check_notices_a_page_that_overflows(page):
    """The measurement itself: an over-wide element is reported, a fitting one is not."""
    page.set_viewport_size(PHONE)
    page.set_content("<main><p>fits</p></main>")
    assert page.evaluate(OVERFLOW_JS) is None
    page.set_content("<main><div style='width: 600px'>wide</div></main>")
    problem = page.evaluate(OVERFLOW_JS)
    assert problem["excess"] > 0 and problem["worst"]["text"] == "wide"
