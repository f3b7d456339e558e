"""Certificate PDFs live in the private storage, never under MEDIA_URL, and
PDFs stored in the public media storage before are moved (idempotently)."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command

from certificates import issuing
from certificates.models import Certificate
from certificates.rendering import RenderedPDF
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_render(monkeypatch):
    """This is about where the file goes, not about the PDF: a few bytes."""

    def render(certificate, template=None, **kwargs):
        content = f"%PDF-1.7 {certificate.serial}".encode()
        return RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest())

    monkeypatch.setattr(issuing, "render_pdf", render)


def _private_root():
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"])


def test_an_issued_pdf_is_written_to_the_private_storage_only(issue, fake_render, client):
    holder = make_trainee()
    certificate = issue(holder)
    assert (_private_root() / certificate.pdf.name).is_file()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    # and the permission-checked view still serves it to its holder
    client.force_login(holder)
    response = client.get(f"/en/certificates/{certificate.serial}/download/")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == certificate.sha256


def _back_to_public(certificate):
    """Put the PDF where it was stored before this change: the default storage."""
    private, public = storages["private"], storages["default"]
    with private.open(certificate.pdf.name, "rb") as handle:
        public.save(certificate.pdf.name, handle)
    private.delete(certificate.pdf.name)


def test_pdfs_left_in_public_media_are_moved_once(issue, fake_render, cert_course):
    first, second = issue(make_trainee()), issue(make_trainee())
    _back_to_public(first)
    _back_to_public(second)
    public_root = Path(settings.MEDIA_ROOT)
    assert len(list(public_root.rglob("*.pdf"))) == 2

    out = io.StringIO()
    call_command("move_certificate_pdfs", stdout=out)
    assert out.getvalue().strip() == "2 moved, 0 already private, 0 missing"
    assert not list(public_root.rglob("*.pdf"))
    for certificate in Certificate.objects.all():
        assert certificate.pdf.name in (first.pdf.name, second.pdf.name)
        with certificate.pdf.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == certificate.sha256

    out = io.StringIO()
    call_command("move_certificate_pdfs", stdout=out)
    assert out.getvalue().strip() == "0 moved, 2 already private, 0 missing"


def test_a_copy_that_does_not_match_its_hash_is_not_moved(issue, fake_render):
    certificate = issue(make_trainee())
    _back_to_public(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(sha256="0" * 64)
    with pytest.raises(RuntimeError):
        call_command("move_certificate_pdfs", stdout=io.StringIO())
    # the public copy is kept, nothing half-moved is left in the private storage
    assert storages["default"].exists(certificate.pdf.name)
    assert not storages["private"].exists(certificate.pdf.name)
