from modeltranslation.translator import TranslationOptions, register

from .models import Agency, HomePage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro", "body")


@register(Agency)
class AgencyTR(TranslationOptions):
    fields = ("name",)
