"""Translated fields. Structure (graded fields, rules, expected values,
order, seed records) is shared between languages; only texts are translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import AnswerKey, EntryTask, ExercisePage, RetrievalTask


@register(ExercisePage)
class ExercisePageTR(TranslationOptions):
    fields = ("intro",)


@register(EntryTask)
class EntryTaskTR(TranslationOptions):
    fields = ("title", "scenario", "image_alt")


@register(AnswerKey)
class AnswerKeyTR(TranslationOptions):
    fields = ("explanation",)


@register(RetrievalTask)
class RetrievalTaskTR(TranslationOptions):
    fields = ("question", "explanation")
