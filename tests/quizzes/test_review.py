"""quizzes.review: the lessons missed questions come from, shown on the
result page whatever the review policy, without revealing answers."""

import pytest
from django.core.cache import cache

from courses.models import LessonPage, ModulePage
from lms.i18n import page_url_in
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from quizzes.models import AttemptQuestion, ReviewPolicy
from quizzes.review import missed_topics
from tests.courses.factories import make_course
from tests.factories import make_trainee
from tests.quizzes.factories import make_question, make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_quiz(course_index):
    """A quiz of three questions: two teach in lesson 1.2, one in 1.1... and
    one linked to no lesson."""
    cache.clear()
    course = make_course(course_index, code="REV-1", modules=1, lessons=2)
    module = ModulePage.objects.child_of(course).get()
    first, second = LessonPage.objects.child_of(module).order_by("path")
    quiz = make_quiz(
        module,
        questions=0,
        review_policy=ReviewPolicy.SCORE_ONLY,
        extra_questions=[
            make_question(n=1, lesson=second),
            make_question(n=2, lesson=first),
            make_question(n=3, lesson=second),
            make_question(n=4),
        ],
    )
    user = make_trainee()
    from courses import progress

    progress.enroll(user, course)
    yield {"quiz": quiz, "user": user, "first": first, "second": second}
    cache.clear()


def test_missed_questions_point_to_their_lessons_in_course_order(linked_quiz):
    from courses import progress

    attempt = start_attempt(linked_quiz["user"], linked_quiz["quiz"])
    answers = wrong_answers(attempt)
    # Question 2 (lesson 1.1) answered right: only lesson 1.2 and the unlinked one remain.
    right = right_answers(attempt)
    row = AttemptQuestion.objects.get(attempt=attempt, question__text_en="Question 2 stem")
    answers[f"q-{row.pk}"] = right[f"q-{row.pk}"]
    submit_attempt(attempt, answers)
    outline = progress.outline_of(linked_quiz["quiz"].get_course())
    topics, unlinked = missed_topics(attempt, outline)
    assert [(topic.step.page_id, topic.missed) for topic in topics] == [(linked_quiz["second"].pk, 2)]
    assert unlinked == 1


def test_the_result_page_links_the_lessons_but_hides_the_answers(client, linked_quiz):
    attempt = start_attempt(linked_quiz["user"], linked_quiz["quiz"])
    submit_attempt(attempt, wrong_answers(attempt))
    client.force_login(linked_quiz["user"])
    for lang, heading in (("en", "Lessons to review"), ("es", "Lecciones para repasar")):
        html = client.get(f"/{lang}/quizzes/attempts/{attempt.pk}/result/").content.decode()
        assert 'data-testid="missed-topics"' in html and heading in html
        assert f'href="{page_url_in(linked_quiz["first"], lang)}"' in html
        assert f'href="{page_url_in(linked_quiz["second"], lang)}"' in html
        # Score only: no answer, no explanation.
        assert "EXPLAINED" not in html and "EXPLICADA" not in html
        assert "Right answer" not in html and "Respuesta correcta" not in html
    assert (
        "1 missed question is not linked to a lesson"
        in client.get(f"/en/quizzes/attempts/{attempt.pk}/result/").content.decode()
    )


def test_a_perfect_attempt_lists_nothing_to_review(client, linked_quiz):
    attempt = start_attempt(linked_quiz["user"], linked_quiz["quiz"])
    submit_attempt(attempt, right_answers(attempt))
    client.force_login(linked_quiz["user"])
    assert (
        'data-testid="missed-topics"' not in client.get(f"/en/quizzes/attempts/{attempt.pk}/result/").content.decode()
    )
