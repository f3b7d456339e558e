from modeltranslation.translator import TranslationOptions, register

from .models import Agency, BarePage, HomePage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro", "body")


@register(Agency)
class AgencyTR(TranslationOptions):
    fields = ("name",)


@register(BarePage)
class BarePageTR(TranslationOptions):
    fields = ("body",)
