import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates import rendering
from certificates.models import (
    Certificate,
    CertificateTemplate,
    CourseCertificateSettings,
    LanguageMode,
    PageSize,
)
from tests.certificates.factories import pdf_fonts, pdf_info, pdf_text
from tests.factories import make_trainee

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

NAME = "María José Hernández Núñez"


def unsaved_certificate(**fields):
    values = {
        "serial": "AC-2026-000042",
        "code": "0123456789abcdefABCDEF_-xyz01234",
        "holder_name": NAME,
        "course_code": "AC-100",
        "course_title_en": "Export law and firearms",
        "course_title_es": "Ley de exportación y armas de fuego",
        "credit_hours": Decimal("2.5"),
        "language": "es",
        "issued_on": datetime.date(2026, 11, 27),
        "expires_on": datetime.date(2027, 11, 27),
    }
    values.update(fields)
    return Certificate(**values)


def test_issued_pdf_has_selectable_spanish_text_embedded_fonts_and_is_small(issue):
    user = make_trainee(first_name="María José", last_name="Hernández Núñez", language="es")
    certificate = issue(user)
    content = certificate.pdf.read()
    assert len(content) < 150 * 1024
    text = pdf_text(content)
    assert NAME in text
    assert "Constancia de acreditación" in text  # built-in wording, translated
    assert certificate.serial in text
    assert f"https://training.example.org/es/verify/{certificate.code}/" in text
    info = pdf_info(content)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("841.89 x 595.276")  # A4 landscape
    fonts = pdf_fonts(content)
    assert "AC-Sans" in fonts and "AC-Serif" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes yes " in line  # embedded, subset, with a Unicode map


def test_english_holder_gets_english(issue):
    certificate = issue(make_trainee(first_name="Taylor", last_name="Brooks", language="en"))
    text = pdf_text(certificate.pdf.read())
    assert "Certificate of Completion" in text
    assert "Constancia" not in text
    assert "/en/verify/" in text


def test_course_template_sets_letter_size_bilingual_wording_and_signatories(issue, cert_course):
    template = CertificateTemplate.objects.create(
        name="Border agencies",
        heading_en="Certificate of Training",
        heading_es="Constancia de capacitación",
        signatory_1_name="Dana Example (demo)",
        signatory_1_title_en="Training Director (demo)",
        signatory_1_title_es="Directora de Capacitación (demo)",
        page_size=PageSize.LETTER,
        language_mode=LanguageMode.BILINGUAL,
        border_colour="#8a1c1c",
    )
    CourseCertificateSettings.objects.create(course=cert_course, template=template)
    certificate = issue(make_trainee(language="en"))
    assert certificate.template == template
    content = certificate.pdf.read()
    assert pdf_info(content)["Page size"].startswith("792 x 612")  # Letter landscape
    text = pdf_text(content)
    for expected in (
        "Certificate of Training",
        "Constancia de capacitación",
        "Dana Example (demo)",
        "Training Director (demo)",
        "Directora de Capacitación (demo)",
        "Export law basics ES",
    ):
        assert expected in text


def test_default_template_applies_when_the_course_picks_none(issue):
    CertificateTemplate.objects.create(name="House style", is_default=True, heading_en="Record of Training")
    certificate = issue(make_trainee(language="en"))
    assert "Record of Training" in pdf_text(certificate.pdf.read())


def test_markup_in_a_name_is_text_and_fetches_nothing():
    hostile = (
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://attacker.invalid/x.css">'
        "<style>@import url(file:///etc/shadow);</style>"
    )
    certificate = unsaved_certificate(holder_name=hostile)
    fetcher = rendering.make_fetcher()
    rendered = rendering.render_pdf(certificate, fetcher=fetcher)
    assert fetcher.refused == []
    # Only the QR code's data: URI is fetched by the document itself.
    assert set(fetcher.fetched) == {"data:"}
    text = "".join(pdf_text(rendered.content).split())
    assert '<imgsrc="file:///etc/passwd">' in text
    assert "root:" not in text


def test_html_escapes_learner_text():
    html, _files, _context = rendering.render_html(unsaved_certificate(holder_name="<b>Bold</b> & <script>"))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<b>Bold" not in html


def test_fetcher_serves_only_static_files_storage_files_it_was_given_and_data_uris():
    fetcher = rendering.make_fetcher()
    font = rendering.STATIC_BASE + "certificates/fonts/DejaVuSans-LatinSubset.ttf"
    assert fetcher.fetch(font).read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,hola").read() == b"hola"
    for url in [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/",
        "https://example.org/logo.png",
        rendering.STATIC_BASE + "../../../../etc/passwd",
        rendering.STATIC_BASE + "certificates/%2e%2e/%2e%2e/settings.py",
        rendering.STATIC_BASE + "/etc/passwd",
        rendering.STATIC_BASE + "lms/site.css?x=1",
        rendering.STATIC_BASE + "does/not/exist.css",
        rendering.MEDIA_BASE + "original_images/secret.png",
        "ftp://example.org/file",
    ]:
        with pytest.raises(rendering.FetchRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 10


def test_colour_is_only_ever_a_hex_colour():
    template = CertificateTemplate(name="x", border_colour="red;} @import url(file:///etc/passwd);")
    _html, _files, context = rendering.render_html(unsaved_certificate(), template)
    assert context["border_colour"] == "#0b3d62"


def _png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 120), colour).save(buffer, format="PNG")
    return ImageFile(buffer, name="signature.png")


def test_logo_and_signatures_are_fetched_from_storage_through_the_fetcher():
    logo = Image.objects.create(title="Logo", file=_png("navy"))
    signature = Image.objects.create(title="Signature", file=_png("black"))
    template = CertificateTemplate.objects.create(
        name="With images",
        logo=logo,
        signatory_1_name="A. Person (demo)",
        signatory_1_signature=signature,
    )
    fetcher = rendering.make_fetcher()
    rendered = rendering.render_pdf(unsaved_certificate(), template, fetcher=fetcher)
    media = [url for url in fetcher.fetched if url.startswith(rendering.MEDIA_BASE)]
    assert len(media) == 2
    assert fetcher.refused == []
    assert len(rendered.content) < 150 * 1024


@pytest.mark.parametrize("bilingual", [False, True])
def test_longest_name_and_title_stay_on_one_page(bilingual):
    template = CertificateTemplate(
        name="x",
        language_mode=LanguageMode.BILINGUAL if bilingual else LanguageMode.HOLDER,
        signatory_1_name="A (demo)",
        signatory_1_title_en="Director (demo)",
        signatory_2_name="B (demo)",
        footer_note_en="Note " * 50,
        footer_note_es="Nota " * 50,
    )
    certificate = unsaved_certificate(
        holder_name=("María José Hernández Núñez de la Peña " * 8)[:300],
        course_title_en=("Export law and firearms smuggling methods " * 7)[:255],
        course_title_es=("Ley de exportación y métodos de tráfico de armas " * 6)[:255],
    )
    rendered = rendering.render_pdf(certificate, template)
    assert pdf_info(rendered.content)["Pages"] == "1"


def test_pdf_is_tagged_archival_and_declares_pdf_ua(issue):
    """PDF/A-3a (tagged, archival) that also declares PDF/UA-1: a structure
    tree, the document language, a title shown as the window title, and
    alternative text for the QR code (checked with poppler's pdfinfo)."""
    from tests.certificates.factories import _poppler

    certificate = issue(make_trainee(language="es"))
    content = certificate.pdf.read()
    assert len(content) < 150 * 1024
    info = pdf_info(content)
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Constancia de acreditación")
    structure = _poppler("pdfinfo", content, "-struct-text")
    assert structure.startswith("Document")
    assert "H1 (block)" in structure and "Figure" in structure
    xmp = _poppler("pdfinfo", content, "-meta")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert xmp.count("<rdf:RDF") == 1  # XMP allows a single RDF block
    catalog, alts = _catalog_and_alt_texts(content)
    assert catalog["/Lang"] == "es"
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert catalog["/ViewerPreferences"] == {"/DisplayDocTitle": True}
    assert (
        f"Código QR de la dirección de verificación: https://training.example.org/es/verify/{certificate.code}/" in alts
    )


def _catalog_and_alt_texts(content):
    """The document catalog and the /Alt texts of the structure tree, read
    with qpdf (an independent PDF library)."""
    import json
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(content)
        source.flush()
        out = subprocess.run(
            ["qpdf", "--json=1", "--json-key=objects", source.name], check=True, capture_output=True
        ).stdout
    objects = [value for value in json.loads(out)["objects"].values() if isinstance(value, dict)]
    catalog = next(value for value in objects if value.get("/Type") == "/Catalog")
    alts = [value["/Alt"] for value in objects if value.get("/S") == "/Figure" and "/Alt" in value]
    return catalog, alts
