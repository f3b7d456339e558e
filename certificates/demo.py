"""Demo data of the certificates app: the default, bilingual certificate
template with clearly fictional signatories. Nothing else."""

from .models import CertificateTemplate, LanguageMode, PageSize

DEFAULT_TEMPLATE = {
    "is_default": True,
    "heading_en": "Certificate of Completion",
    "heading_es": "Constancia de acreditación",
    "statement_en": "has successfully completed the course",
    "statement_es": "acreditó satisfactoriamente el curso",
    "issuer_name_en": "Armas Cruzadas Training Program",
    "issuer_name_es": "Programa de Capacitación Armas Cruzadas",
    "footer_note_en": "Demo certificate: issued by a demonstration site, not valid for official purposes.",
    "footer_note_es": "Constancia de demostración: emitida por un sitio de prueba, sin validez oficial.",
    "signatory_1_name": "Jordan Ellis (demo)",
    "signatory_1_title_en": "Training Director (demo)",
    "signatory_1_title_es": "Director de Capacitación (demo)",
    "signatory_2_name": "Lucía Ramírez (demo)",
    "signatory_2_title_en": "Binational Program Coordinator (demo)",
    "signatory_2_title_es": "Coordinadora del Programa Binacional (demo)",
    "border_colour": "#0b3d62",
    "page_size": PageSize.A4,
    "language_mode": LanguageMode.BILINGUAL,
}


def load(stdout=None):
    """Create or refresh the default template. Safe to call twice."""
    CertificateTemplate.objects.filter(is_default=True).exclude(name="Default (bilingual)").update(is_default=False)
    CertificateTemplate.objects.update_or_create(name="Default (bilingual)", defaults=DEFAULT_TEMPLATE)
    if stdout:
        stdout.write("  certificates: default bilingual certificate template")
