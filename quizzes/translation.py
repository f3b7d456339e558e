"""Translated fields. Structure (kinds, points, which choice is correct,
order) is shared between languages; only texts are translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, QuestionCategory, QuizPage


@register(QuestionCategory)
class QuestionCategoryTR(TranslationOptions):
    fields = ("name", "description")


@register(Question)
class QuestionTR(TranslationOptions):
    fields = ("text", "explanation")


@register(Choice)
class ChoiceTR(TranslationOptions):
    fields = ("text",)


@register(QuizPage)
class QuizPageTR(TranslationOptions):
    fields = ("intro",)
