from modeltranslation.translator import TranslationOptions, register

from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage


@register(CourseIndexPage)
class CourseIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(CoursePage)
class CoursePageTR(TranslationOptions):
    fields = ("summary", "intro")


@register(ModulePage)
class ModulePageTR(TranslationOptions):
    fields = ("intro",)


@register(LessonPage)
class LessonPageTR(TranslationOptions):
    fields = ("intro", "body")
