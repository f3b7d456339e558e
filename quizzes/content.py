"""Build quizzes from the training content files (content/FORMAT.md).

``build_quiz(module_page, data)`` turns one module's ``quiz`` mapping into a
published QuizPage under the module. The content loader (training.loader)
calls it for every module that has a quiz.

Besides the keys FORMAT.md documents (slug, title, intro, pass_mark, draw,
questions), a quiz mapping may set ``max_attempts`` (null: unlimited),
``cooldown_minutes``, ``time_limit_minutes``, ``review`` (score_only,
after_each, after_pass_or_last), ``shuffle_questions``, ``shuffle_choices``,
``estimated_minutes`` and ``required``.

``build_diagnostic(module_page, data, source_quizzes)`` builds a course's
pre-assessment (the content file's ``pre_assessment``): an ungraded quiz
drawing from the module quizzes' categories.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import LessonPage

from .models import (
    Choice,
    Question,
    QuestionCategory,
    QuestionKind,
    QuizPage,
    ReviewPolicy,
    Scoring,
    validate_choice_set,
)

TRUE_FALSE = [({"en": "True", "es": "Verdadero"}, True), ({"en": "False", "es": "Falso"}, False)]
OPTIONAL_FIELDS = {
    "max_attempts": "max_attempts",
    "cooldown_minutes": "cooldown_minutes",
    "time_limit_minutes": "time_limit_minutes",
    "review": "review_policy",
    "shuffle_questions": "shuffle_questions",
    "shuffle_choices": "shuffle_choices",
    "estimated_minutes": "estimated_minutes",
    "required": "is_required",
}


def _text(data, key, language, required=True):
    value = data.get(key) or {}
    if isinstance(value, str):
        value = {"en": value}
    text = (value.get(language) or "").strip()
    if required and language == "en" and not text:
        raise ValidationError(_("The quiz content lacks the English %(field)s.") % {"field": key})
    return text


def _quiz_fields(data):
    """The QuizPage fields a ``quiz`` (or ``pre_assessment``) mapping sets."""
    fields = {
        "title_en": _text(data, "title", "en"),
        "title_es": _text(data, "title", "es") or None,
        "slug_es": _text(data, "slug", "es") or None,
        "intro_en": _text(data, "intro", "en", required=False),
        "intro_es": _text(data, "intro", "es", required=False) or None,
        "pass_mark": int(data.get("pass_mark", 80)),
        "draw_count": int(data["draw"]) if data.get("draw") else None,
    }
    for key, field_name in OPTIONAL_FIELDS.items():
        if key in data:
            fields[field_name] = data[key]
    if "review_policy" in fields:
        fields["review_policy"] = ReviewPolicy(fields["review_policy"])
    return fields


def _quiz_page(module_page, slug_en, fields):
    """The module's quiz with English slug ``slug_en`` (a new, unsaved one
    added under the module when there is none), its fields set."""
    quiz = QuizPage.objects.child_of(module_page).filter(slug_en=slug_en).first()
    if quiz is None:
        quiz = QuizPage(slug_en=slug_en, **fields)
        module_page.add_child(instance=quiz)
        return quiz
    quiz = quiz.specific
    for name, value in fields.items():
        setattr(quiz, name, value)
    return quiz


@transaction.atomic
def build_quiz(module_page, data):
    """Create or update the quiz ``data`` describes, as the last step of
    ``module_page``; returns the published QuizPage. Its questions go into
    one bank category named after the quiz, and the quiz draws its pool
    from that category.

    Safe to call twice: the quiz is found again by module and English slug,
    its questions by their content reference (course code, quiz slug and
    number), and their choices by position, so attempts already made keep
    pointing at the same rows. Raises ValidationError on content that breaks
    the rules (e.g. a single-choice question with two right answers).
    """
    course = module_page.get_course()
    code = course.code if course is not None else f"module-{module_page.pk}"
    slug_en = _text(data, "slug", "en")
    fields = _quiz_fields(data)
    with translation.override("en"):
        quiz = _quiz_page(module_page, slug_en, fields)
        category, _created = QuestionCategory.objects.get_or_create(
            name_en=f"{code}: {fields['title_en']}"[:200],
            defaults={"name_es": f"{code}: {fields['title_es'] or fields['title_en']}"[:200]},
        )
        lessons = {lesson.slug_en: lesson for lesson in LessonPage.objects.child_of(module_page)}
        questions = [
            _build_question(f"{code}/{slug_en}/{number}", item, category, lessons)
            for number, item in enumerate(data.get("questions") or [], start=1)
        ]
        if not questions:
            raise ValidationError(_("A quiz needs at least one question."))
        # A question the file no longer has leaves the pool (its attempts keep it).
        Question.objects.filter(category=category, reference__startswith=f"{code}/{slug_en}/").exclude(
            pk__in=[question.pk for question in questions]
        ).in_pools().update(retired_at=timezone.now())
        # The quiz draws from its category (nothing listed one by one), so a
        # question an instructor adds to that category joins the pool at once.
        quiz.quiz_questions = []
        quiz.draw_categories = [category]
        quiz.save()
        quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


#: A pre-assessment's fixed rules: taken once, never required, its answers
#: never shown (the module quizzes ask the same questions later).
DIAGNOSTIC_RULES = {
    "is_diagnostic": True,
    "is_required": False,
    "max_attempts": 1,
    "cooldown_minutes": 0,
    "review_policy": ReviewPolicy.SCORE_ONLY,
    "shuffle_questions": True,
    "shuffle_choices": True,
}


@transaction.atomic
def build_diagnostic(module_page, data, source_quizzes):
    """Create or update the course's pre-assessment under ``module_page``
    (the loader puts it first): an ungraded quiz (``is_diagnostic``) drawing
    ``data["draw"]`` questions from the pools of ``source_quizzes`` (the
    module quizzes), so its score and theirs measure the same ground.
    Returns the published QuizPage."""
    slug_en = _text(data, "slug", "en")
    fields = {**_quiz_fields(data), **DIAGNOSTIC_RULES}
    with translation.override("en"):
        quiz = _quiz_page(module_page, slug_en, fields)
        categories = QuestionCategory.objects.filter(
            pk__in=QuizPage.draw_categories.through.objects.filter(
                quizpage_id__in=[source.pk for source in source_quizzes]
            ).values("questioncategory_id")
        )
        if not categories:
            raise ValidationError(_("A pre-assessment draws from the module quizzes; this course has none."))
        quiz.quiz_questions = []
        quiz.draw_categories = list(categories)
        quiz.save()
        quiz.save_revision().publish()
    quiz.refresh_from_db()
    return quiz


def _build_question(reference, item, category, lessons):
    """``lessons``: the module's lessons by English slug, for the optional
    ``lesson`` key (the lesson a trainee who misses the question should review)."""
    kind = QuestionKind(item.get("kind", QuestionKind.SINGLE))
    if kind == QuestionKind.TRUE_FALSE:
        answer = item.get("answer")
        if not isinstance(answer, bool):
            raise ValidationError(_("A true-or-false question needs answer: true or false."))
        choices = [(texts, flag == answer) for texts, flag in TRUE_FALSE]
    else:
        choices = [
            ({"en": c.get("en", ""), "es": c.get("es", "")}, bool(c.get("correct"))) for c in item.get("choices") or []
        ]
    validate_choice_set(kind, [flag for _texts, flag in choices])
    values = {
        "text_en": _text(item, "text", "en"),
        "text_es": _text(item, "text", "es") or None,
        "explanation_en": _text(item, "explanation", "en", required=False),
        "explanation_es": _text(item, "explanation", "es", required=False) or None,
        "kind": kind,
        "points": int(item.get("points", 1)),
        "scoring": Scoring(item.get("scoring", Scoring.ALL_OR_NOTHING)),
        "category": category,
        "lesson": None,
    }
    if item.get("lesson"):
        values["lesson"] = lessons.get(item["lesson"])
        if values["lesson"] is None:
            raise ValidationError(
                _("lesson %(slug)s is not a lesson of this module (give its English slug).") % {"slug": item["lesson"]}
            )
    question = Question.objects.filter(reference=reference).first()
    if question is None:
        question = Question(reference=reference, **values)
    else:
        for name, value in values.items():
            setattr(question, name, value)
    question.save()
    existing = list(Choice.objects.filter(question=question).order_by("sort_order", "pk"))
    for index, (texts, correct) in enumerate(choices):
        choice = existing[index] if index < len(existing) else Choice(question=question)
        if not texts.get("en"):
            raise ValidationError(_("Every choice needs an English text."))
        choice.text_en, choice.text_es = texts["en"], texts.get("es") or None
        choice.is_correct, choice.sort_order = correct, index
        choice.save()
    Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(choices) :]]).delete()
    return question
