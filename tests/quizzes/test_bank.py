"""Wall 2 of issue 13: the question bank does what it looks like. A quiz
draws from its category, a question put in that category joins the pool at
once, and instructors find questions by text, category, kind and
translation, see their whole text and preview them as a trainee would."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses import progress
from quizzes.attempts import draw_questions, start_attempt
from quizzes.bank import SPANISH_MISSING, filter_questions, restore_question, retire_question, search_questions
from quizzes.content import build_quiz
from quizzes.models import Question, QuestionCategory
from tests.factories import make_coordinator, make_instructor, make_trainee
from tests.quizzes.factories import make_question
from tests.quizzes.test_admin import question_form
from tests.quizzes.test_content import QUIZ

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "Which of these facts, taken together at a port of entry on the southern border, should make an officer "
    "refer a southbound vehicle to secondary inspection?"
)


@pytest.fixture
def built_quiz(module):
    return build_quiz(module, QUIZ)


def test_a_question_added_to_the_quiz_category_is_in_the_pool_at_once(built_quiz):
    category = built_quiz.draw_categories.get()
    new = make_question(n=9, category=category)
    assert new.pk in built_quiz.pool_question_ids()
    assert len(built_quiz.pool_question_ids()) == 4


def test_the_instructor_adds_a_question_to_the_category_through_the_admin(client, course, built_quiz):
    category = built_quiz.draw_categories.get()
    client.force_login(make_instructor())
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), question_form(category=str(category.pk)))
    assert response.status_code == 302
    new = Question.objects.get(text_en="Which form declares an export?")
    assert new.pk in built_quiz.pool_question_ids()
    # A trainee's attempt can draw it (the quiz asks 2 of a pool of 4).
    user = make_trainee()
    progress.enroll(user, course)
    drawn = set()
    for _round in range(40):
        drawn.update(draw_questions(built_quiz))
    assert new.pk in drawn


def test_a_retired_question_leaves_every_pool_and_stays_in_past_attempts(course, built_quiz):
    user = make_trainee()
    progress.enroll(user, course)
    attempt = start_attempt(user, built_quiz)
    asked = attempt.questions.first().question
    instructor = make_instructor()
    retire_question(asked, user=instructor)
    retire_question(asked, user=instructor)  # twice: one log entry
    assert asked.pk not in built_quiz.pool_question_ids()
    assert attempt.questions.filter(question=asked).exists()
    assert ModelLogEntry.objects.filter(action="quizzes.retire_question", object_id=str(asked.pk)).count() == 1
    restore_question(asked, user=instructor)
    assert asked.pk in built_quiz.pool_question_ids()


def test_a_question_removed_from_the_content_file_leaves_the_pool(module, built_quiz):
    shorter = {**QUIZ, "questions": QUIZ["questions"][:2]}
    build_quiz(module, shorter)
    assert len(built_quiz.pool_question_ids()) == 2
    assert Question.objects.filter(retired_at__isnull=False).count() == 1


def test_search_and_filters_find_questions_by_text_category_kind_and_translation(db):
    category = QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")
    spanish = make_question(n=1, category=category)
    spanish.text_en, spanish.text_es = LONG_TEXT, "¿Qué hechos en un puerto de entrada ameritan una revisión?"
    spanish.save()
    english_only = make_question(n=2, kind="true_false")
    english_only.text_es = ""
    english_only.save()
    everything = Question.objects.all()
    assert list(search_questions(everything, "secondary inspection")) == [spanish]
    assert list(search_questions(everything, "revisión")) == [spanish]
    assert list(filter_questions(everything, category=category)) == [spanish]
    assert list(filter_questions(everything, kind="true_false")) == [english_only]
    assert list(filter_questions(everything, spanish=SPANISH_MISSING)) == [english_only]
    assert list(filter_questions(everything, spanish="complete")) == [spanish]


def test_listing_shows_the_whole_text_and_filters(client):
    question = make_question(n=1)
    question.text_en = LONG_TEXT
    question.save()
    make_question(n=2, kind="true_false")
    client.force_login(make_instructor())
    response = client.get(reverse("wagtailsnippets_quizzes_question:list"), {"kind": "true_false"})
    assert response.status_code == 200
    assert LONG_TEXT not in response.content.decode()
    response = client.get(reverse("wagtailsnippets_quizzes_question:list"), {"kind": "single"})
    assert LONG_TEXT in response.content.decode()


def test_chooser_searches_filters_and_shows_the_whole_text(client):
    category = QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")
    long_one = make_question(n=1, category=category)
    long_one.text_en = LONG_TEXT
    long_one.save()
    make_question(n=2)
    retired = make_question(n=3, category=category)
    retire_question(retired, user=None)
    client.force_login(make_instructor())
    url = reverse("wagtailsnippetchoosers_quizzes_question:choose_results")
    html = client.get(url, {"q": "secondary", "category": str(category.pk)}).content.decode()
    assert LONG_TEXT in html
    assert "Question 2 stem" not in html and "Question 3 stem" not in html
    modal = client.get(reverse("wagtailsnippetchoosers_quizzes_question:choose"))
    assert modal.status_code == 200
    body = modal.json()["html"]
    assert 'name="kind"' in body and 'name="spanish"' in body and 'name="category"' in body


@pytest.mark.parametrize(("mode", "stem"), [("en", "Question 1 stem"), ("es", "Enunciado de la pregunta 1")])
def test_question_preview_shows_it_as_the_trainee_sees_it(client, site_pages, mode, stem):
    question = make_question(n=1)
    client.force_login(make_instructor())
    url = reverse("wagtailsnippets_quizzes_question:preview_on_edit", args=[question.pk])
    data = question_form()
    data["text_en"], data["text_es"] = "Question 1 stem", "Enunciado de la pregunta 1"
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url, {"mode": mode, "in_preview_panel": "true"})
    html = response.content.decode()
    assert stem in html
    assert 'type="radio"' in html
    assert "is_correct" not in html and "correct" not in html.lower().split("<main")[-1]
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def test_retiring_needs_the_right_to_edit_the_bank_and_a_post(client):
    question = make_question(n=1)
    url = reverse("quizzes_retire_question", args=[question.pk])
    client.force_login(make_coordinator())
    assert client.post(url).status_code in (302, 403)  # Wagtail sends non-editors to the admin home
    question.refresh_from_db()
    assert question.retired_at is None
    client.force_login(make_instructor())
    assert client.get(url).status_code == 200
    question.refresh_from_db()
    assert question.retired_at is None  # a GET changes nothing
    assert client.post(url).status_code == 302
    question.refresh_from_db()
    assert question.retired_at is not None
