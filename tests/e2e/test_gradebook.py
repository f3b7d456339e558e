"""The gradebook in a real browser: the demo instructor opens a course's
gradebook from the admin home, opens a trainee's record, changes a result
with a reason and sees it on the record; the record has no axe violations."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from courses import progress
from courses.models import LessonPage
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.courses.factories import make_course
from tests.factories import make_trainee
from tests.quizzes.factories import first_module, make_quiz, wrong_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def graded(demo, course_index):
    from django.contrib.auth import get_user_model

    course = make_course(course_index, modules=1, lessons=1)
    quiz = make_quiz(first_module(course), questions=2, title="Module quiz", max_attempts=1)
    course.instructors.add(get_user_model().objects.get(username="instructor"))
    course.save()
    trainee = make_trainee(first_name="Ana", last_name="Ruiz", username="ana-e2e")
    progress.enroll(trainee, course)
    progress.complete_step(trainee, LessonPage.objects.descendant_of(course).get())
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    return course, attempt


def test_instructor_overrides_a_result_from_the_gradebook(live_server, page, login, graded):
    _course, attempt = graded
    login("instructor")
    page.goto(f"{live_server.url}/admin/")
    page.locator("#gradebooks-section a", has_text="Gradebook").first.click()
    page.wait_for_load_state("networkidle")
    assert "best 0.00 %" in page.locator("main").inner_text()
    page.get_by_role("link", name="Ana Ruiz").click()
    page.wait_for_load_state("networkidle")
    result = Axe().run(page, context={"include": [["main"]]})
    assert [(v["id"], v["impact"]) for v in result.response["violations"]] == []
    page.get_by_role("link", name="Change the result").click()
    page.fill("input[name=score]", "85")
    page.fill("textarea[name=reason]", "Question 2 was ambiguous")
    page.get_by_role("button", name="Change the result").click()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Question 2 was ambiguous" in text and "originally 0.00 %" in text and "85.00 %" in text
    attempt.refresh_from_db()
    assert attempt.score == 85 and attempt.passed
    if os.environ.get("GRADEBOOK_SCREENSHOT"):
        page.screenshot(path=os.environ["GRADEBOOK_SCREENSHOT"], full_page=True)
