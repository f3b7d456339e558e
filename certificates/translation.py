from modeltranslation.translator import TranslationOptions, register

from .models import CertificateTemplate


@register(CertificateTemplate)
class CertificateTemplateTR(TranslationOptions):
    # Read per language with CertificateTemplate.wording(); empty wording falls
    # back to the built-in translated wording.
    fields = (
        "heading",
        "statement",
        "issuer_name",
        "footer_note",
        "signatory_1_title",
        "signatory_2_title",
    )
