"""Quizzes for tests: questions with the right choice authored first, so a
leak of authoring order would show."""

from django.utils import translation

from courses.models import ModulePage
from quizzes.models import (
    Choice,
    Question,
    QuestionKind,
    QuizPage,
    QuizQuestion,
    Scoring,
)
from tests.factories import add_page


def make_question(kind=QuestionKind.SINGLE, points=1, scoring=Scoring.ALL_OR_NOTHING, choices=4, correct=1, n=1, **kw):
    """A question whose first ``correct`` choices are right."""
    with translation.override("en"):
        question = Question.objects.create(
            text_en=f"Question {n} stem",
            text_es=f"Enunciado de la pregunta {n}",
            explanation_en=f"Explanation {n} EXPLAINED",
            explanation_es=f"Explicación {n} EXPLICADA",
            kind=kind,
            points=points,
            scoring=scoring,
            **kw,
        )
        if kind == QuestionKind.TRUE_FALSE:
            texts = [("True", "Verdadero"), ("False", "Falso")]
            choices, correct = 2, 1
        else:
            texts = [(f"Choice {n}.{i}", f"Opción {n}.{i}") for i in range(1, choices + 1)]
        for i, (en, es) in enumerate(texts[:choices]):
            Choice.objects.create(question=question, text_en=en, text_es=es, is_correct=i < correct, sort_order=i)
    return question


def first_module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


def make_quiz(module, questions=3, title="Test quiz", extra_questions=(), **fields):
    """A published quiz at the end of ``module`` with ``questions`` single-choice questions."""
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_choices", False)
    fields.setdefault("cooldown_minutes", 0)
    fields.setdefault("max_attempts", 3)
    quiz = add_page(module, QuizPage, title, f"{title} ES", pass_mark=fields.pop("pass_mark", 80), **fields)
    items = [make_question(n=i) for i in range(1, questions + 1)] + list(extra_questions)
    for index, question in enumerate(items):
        QuizQuestion.objects.create(page=quiz, question=question, sort_order=index)
    return quiz


def right_answers(attempt):
    """Form data answering every question of ``attempt`` right."""
    data = {}
    for row in attempt.questions.select_related("question"):
        keys = [str(c.key) for c in Choice.objects.filter(pk__in=row.choice_order, is_correct=True)]
        data[f"q-{row.pk}"] = keys
    return data


def wrong_answers(attempt):
    data = {}
    for row in attempt.questions.all():
        wrong = Choice.objects.filter(pk__in=row.choice_order, is_correct=False).first()
        data[f"q-{row.pk}"] = [str(wrong.key)]
    return data
