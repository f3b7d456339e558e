import pytest

from certificates import demo
from certificates.models import CertificateTemplate, LanguageMode

pytestmark = pytest.mark.django_db


def test_demo_creates_one_default_bilingual_template_and_is_idempotent():
    demo.load()
    demo.load()
    template = CertificateTemplate.objects.get()
    assert template.is_default and template.language_mode == LanguageMode.BILINGUAL
    assert "(demo)" in template.signatory_1_title_en and "(demo)" in template.signatory_2_name
    assert template.heading_es == "Constancia de acreditación"
