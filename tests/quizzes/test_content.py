import copy

import pytest
from django.core.exceptions import ValidationError

from courses.models import ModulePage
from quizzes import demo
from quizzes.attempts import start_attempt
from quizzes.content import build_quiz
from quizzes.models import Choice, Question, QuizPage
from tests.courses.factories import make_course

pytestmark = pytest.mark.django_db

QUIZ = {
    "slug": {"en": "ports-quiz", "es": "cuestionario-puertos"},
    "title": {"en": "Ports of entry", "es": "Puertos de entrada"},
    "intro": {"en": "Check yourself.", "es": "Ponte a prueba."},
    "pass_mark": 75,
    "draw": 2,
    "questions": [
        {
            "kind": "single",
            "points": 2,
            "text": {"en": "Who inspects outbound cargo?", "es": "¿Quién inspecciona la carga de salida?"},
            "explanation": {"en": "CBP does.", "es": "La CBP."},
            "choices": [
                {"en": "CBP", "es": "CBP", "correct": True},
                {"en": "The post office", "es": "El correo"},
            ],
        },
        {
            "kind": "multiple",
            "scoring": "partial",
            "text": {"en": "Red flags?", "es": "¿Señales de alerta?"},
            "choices": [
                {"en": "Cash", "es": "Efectivo", "correct": True},
                {"en": "New car", "es": "Auto nuevo", "correct": True},
                {"en": "Receipt", "es": "Recibo"},
            ],
        },
        {"kind": "true_false", "text": {"en": "Ammunition counts.", "es": "Las municiones cuentan."}, "answer": False},
    ],
}


def test_build_quiz_creates_a_published_bilingual_quiz(course, module):
    quiz = build_quiz(module, QUIZ)
    assert quiz.live and quiz.get_parent().pk == module.pk
    assert (quiz.title_en, quiz.title_es, quiz.slug_es, quiz.intro_es) == (
        "Ports of entry",
        "Puertos de entrada",
        "cuestionario-puertos",
        "Ponte a prueba.",
    )
    assert quiz.pass_mark == 75 and quiz.draw_count == 2
    # The quiz draws from its own bank category; nothing is listed one by one.
    assert quiz.quiz_questions.count() == 0
    assert [category.name_en for category in quiz.draw_categories.all()] == ["T-1: Ports of entry"]
    questions = list(Question.objects.filter(pk__in=quiz.pool_question_ids()).order_by("pk"))
    assert [q.kind for q in questions] == ["single", "multiple", "true_false"]
    assert questions[1].scoring == "partial" and questions[0].points == 2
    true_false = list(questions[2].choices.order_by("sort_order"))
    assert [(c.text_en, c.text_es, c.is_correct) for c in true_false] == [
        ("True", "Verdadero", False),
        ("False", "Falso", True),
    ]
    # It is the module's last step and can be taken.
    assert ModulePage.objects.get(pk=module.pk).get_children().last().pk == quiz.pk
    from courses import progress
    from tests.factories import make_trainee

    user = make_trainee()
    progress.enroll(user, course)
    assert start_attempt(user, QuizPage.objects.get(pk=quiz.pk)).questions.count() == 2


def test_build_quiz_twice_updates_in_place(module):
    first = build_quiz(module, QUIZ)
    keys = list(Choice.objects.order_by("pk").values_list("key", flat=True))
    changed = copy.deepcopy(QUIZ)
    changed["pass_mark"] = 90
    changed["questions"][0]["text"]["es"] = "¿Quién revisa la carga que sale?"
    changed["questions"][0]["choices"].append({"en": "A broker", "es": "Un agente aduanal"})
    second = build_quiz(module, changed)
    assert second.pk == first.pk and QuizPage.objects.count() == 1
    assert second.pass_mark == 90
    assert Question.objects.count() == 3
    assert Question.objects.get(reference__endswith="/ports-quiz/1").text_es == "¿Quién revisa la carga que sale?"
    assert list(Choice.objects.order_by("pk").values_list("key", flat=True))[: len(keys)] == keys
    assert Choice.objects.count() == len(keys) + 1
    assert len(second.pool_question_ids()) == 3


@pytest.mark.parametrize(
    "breakage",
    [
        lambda q: q["questions"][0]["choices"][1].update(correct=True),
        lambda q: q["questions"][2].pop("answer"),
        lambda q: q["questions"].clear(),
        lambda q: q["title"].pop("en"),
    ],
)
def test_build_quiz_refuses_broken_content(module, breakage):
    broken = copy.deepcopy(QUIZ)
    breakage(broken)
    with pytest.raises(ValidationError):
        build_quiz(module, broken)
    assert not QuizPage.objects.exists() and not Question.objects.exists()


def test_demo_quiz_is_added_to_the_last_module_of_ac001_once(course_index):
    assert demo.load() is None  # no AC-001 yet: skipped
    course = make_course(course_index, code="AC-001", title="Platform orientation", modules=2, lessons=1)
    quiz = demo.load()
    again = demo.load()
    assert quiz.pk == again.pk and QuizPage.objects.count() == 1
    last_module = ModulePage.objects.child_of(course).order_by("path").last()
    assert quiz.get_parent().pk == last_module.pk
    assert quiz.cooldown_minutes == 1 and len(quiz.pool_question_ids()) == 6
    assert quiz.title_es == "Cuestionario: uso de la plataforma"
