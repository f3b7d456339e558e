"""quizzes.dashboard: the trainee's gradebook on My learning."""

import pytest

from courses import progress
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.courses.factories import make_course
from tests.factories import make_trainee
from tests.quizzes.factories import first_module, make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_my_learning_lists_my_attempts_across_courses_and_no_one_elses(client, course_index):
    first = make_course(course_index, code="GB-1", title="Ports", modules=1, lessons=1)
    second = make_course(course_index, code="GB-2", title="Tracing", modules=1, lessons=1)
    quiz_a = make_quiz(first_module(first), title="Ports quiz")
    quiz_b = make_quiz(first_module(second), title="Tracing quiz")
    me, other = make_trainee(), make_trainee()
    for user in (me, other):
        progress.enroll(user, first)
        progress.enroll(user, second)
    failed = start_attempt(me, quiz_a)
    submit_attempt(failed, wrong_answers(failed))
    passed = start_attempt(me, quiz_b)
    submit_attempt(passed, right_answers(passed))
    theirs = start_attempt(other, quiz_a)
    submit_attempt(theirs, right_answers(theirs))

    client.force_login(me)
    html = client.get("/en/learning/").content.decode()
    assert 'data-testid="gradebook"' in html
    assert "Ports quiz" in html and "Tracing quiz" in html
    assert f"/en/quizzes/attempts/{failed.pk}/result/" in html
    assert f"/en/quizzes/attempts/{passed.pk}/result/" in html
    assert f"/quizzes/attempts/{theirs.pk}/" not in html
    assert html.index("Tracing quiz") < html.index("Ports quiz")  # latest first
    assert "Mis resultados de cuestionarios" in client.get("/es/learning/").content.decode()


def test_no_gradebook_without_attempts(client, course_index):
    client.force_login(make_trainee())
    assert 'data-testid="gradebook"' not in client.get("/en/learning/").content.decode()
