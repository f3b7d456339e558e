"""Authoring in the Wagtail admin: the question bank and quiz pages."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import ModulePage
from quizzes.models import Choice, Question, QuestionCategory, QuizPage, QuizQuestion
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)
from tests.quizzes.factories import make_question

pytestmark = pytest.mark.django_db


def question_form(kind="single", choices=(("Yes", "Sí", True), ("No", "No", False)), **extra):
    return nested_form_data(
        {
            "text_en": "Which form declares an export?",
            "text_es": "¿Qué formulario declara una exportación?",
            "kind": kind,
            "scoring": "all_or_nothing",
            "points": "2",
            "category": "",
            "explanation_en": "Because.",
            "explanation_es": "Porque.",
            "choices": inline_formset(
                [
                    {"text_en": en, "text_es": es, **({"is_correct": "on"} if right else {})}
                    for en, es, right in choices
                ],
                min=2,
                max=10,
            ),
            **extra,
        }
    )


def test_instructor_adds_a_bilingual_question_with_choices(client, site_pages):
    client.force_login(make_instructor())
    url = reverse("wagtailsnippets_quizzes_question:add")
    assert client.get(url).status_code == 200
    response = client.post(url, question_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert (question.text_en, question.text_es, question.points) == (
        "Which form declares an export?",
        "¿Qué formulario declara una exportación?",
        2,
    )
    assert [(c.text_en, c.text_es, c.is_correct) for c in question.choices.order_by("sort_order")] == [
        ("Yes", "Sí", True),
        ("No", "No", False),
    ]


@pytest.mark.parametrize(
    "kind, choices",
    [
        ("single", (("A", "A", True), ("B", "B", True))),
        ("single", (("A", "A", False), ("B", "B", False))),
        ("multiple", (("A", "A", False), ("B", "B", False), ("C", "C", False))),
        ("true_false", (("T", "V", True), ("F", "F", False), ("X", "X", False))),
    ],
)
def test_choices_must_fit_the_kind(client, site_pages, kind, choices):
    client.force_login(make_instructor())
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), question_form(kind, choices))
    assert response.status_code == 200
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_question_bank_is_for_instructors_and_administrators(client, site_pages):
    for user, allowed in [(make_instructor(), True), (make_administrator(), True), (make_coordinator(), False)]:
        client.force_login(user)
        for name in ("wagtailsnippets_quizzes_question:list", "wagtailsnippets_quizzes_questioncategory:add"):
            response = client.get(reverse(name))
            assert (response.status_code == 200) is allowed, (user, name, response.status_code)
    client.force_login(make_trainee())
    response = client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert response.status_code == 302  # no admin access at all: to the admin login


def test_question_used_in_attempts_cannot_be_deleted(client, course, trainee_with_attempt):
    question = trainee_with_attempt.questions.first().question
    client.force_login(make_administrator())
    url = reverse("wagtailsnippets_quizzes_question:delete", args=[question.pk])
    response = client.post(url)
    assert response.status_code < 500
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.fixture
def trainee_with_attempt(quiz, trainee):
    from quizzes.attempts import start_attempt

    return start_attempt(trainee, quiz)


def test_quiz_page_tree():
    assert set(QuizPage.allowed_parent_page_models()) == {ModulePage}
    assert QuizPage in ModulePage.allowed_subpage_models()
    assert QuizPage.allowed_subpage_models() == []


def test_instructor_creates_a_quiz_page_with_questions(client, course):
    module = ModulePage.objects.child_of(course).first()
    category = QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")
    question = make_question()
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", module.pk])
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title_en": "Module quiz",
            "title_es": "Cuestionario del módulo",
            "slug_en": "module-quiz",
            "slug_es": "cuestionario-del-modulo",
            "intro_en": "Check yourself.",
            "intro_es": "Ponte a prueba.",
            "pass_mark": "70",
            "max_attempts": "2",
            "cooldown_minutes": "5",
            "time_limit_minutes": "",
            "shuffle_questions": "on",
            "review_policy": "after_each",
            "draw_count": "1",
            "is_required": "on",
            "estimated_minutes": "10",
            "quiz_questions": inline_formset([{"question": str(question.pk)}]),
            "action-publish": "action-publish",
        }
    )
    data["draw_categories"] = [str(category.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get(slug_en="module-quiz")
    assert quiz.pass_mark == 70 and quiz.max_attempts == 2 and quiz.review_policy == "after_each"
    assert quiz.intro_es == "Ponte a prueba."
    assert list(quiz.draw_categories.all()) == [category]
    assert list(QuizQuestion.objects.filter(page=quiz).values_list("question_id", flat=True)) == [question.pk]
