import datetime
import hashlib
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from certificates import issuing
from tests.certificates.factories import at_noon
from tests.factories import make_administrator, make_trainee

pytestmark = pytest.mark.django_db

MALFORMED = [
    "abc$%^&*()",
    "x" * 5000,
    "' OR 1=1 --",
    "1; DROP TABLE certificates_certificate;",
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "ñandú-ünïcödé-😀",
    "a/b/c",
    "<script>alert(1)</script>",
]


def verify_url(code, lang="en"):
    with translation.override(lang):
        return reverse("verify", kwargs={"code": code})


def main(response):
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def api_url(code):
    return reverse("certificate_api", kwargs={"code": code})


def test_valid_certificate_page_in_both_languages(client, issue):
    certificate = issue(make_trainee(first_name="María José", last_name="Hernández Núñez"))
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body
    assert "María José Hernández Núñez" in body and certificate.serial in body
    assert "Export law basics" in body and certificate.sha256 in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    spanish = client.get(verify_url(certificate.code, "es")).content.decode()
    assert "Vigente" in spanish and "Export law basics ES" in spanish and "Titular" in spanish


def test_expired_revoked_and_superseded_statuses(client, issue):
    certificate = issue(make_trainee())
    with time_machine.travel(at_noon(certificate.expires_on), tick=False):
        body = client.get(verify_url(certificate.code)).content.decode()
        assert 'data-status="expired"' in body and "expired on" in body
        assert json.loads(client.get(api_url(certificate.code)).content)["status"] == "expired"
    admin = make_administrator()
    issuing.revoke_certificate(certificate, actor=admin, reason="Confidential reason XYZZY")
    body = client.get(verify_url(certificate.code)).content.decode()
    assert 'data-status="revoked"' in body and "revoked on" in body
    assert "XYZZY" not in body
    data = client.get(api_url(certificate.code)).json()
    assert data["status"] == "revoked" and data["revoked"] is not None
    assert "XYZZY" not in json.dumps(data) and admin.username not in json.dumps(data)
    new = issuing.reissue_certificate(certificate, actor=admin)
    body = client.get(verify_url(certificate.code)).content.decode()
    assert 'data-status="superseded"' in body
    assert new.code not in body and new.serial not in body  # says nothing about the new one
    assert client.get(api_url(new.code)).json()["status"] == "valid"


def test_api_returns_the_public_facts(client, issue):
    certificate = issue(make_trainee(first_name="Ana", last_name="López", language="es"))
    response = client.get(api_url(certificate.code))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "valid"
    assert data["serial"] == certificate.serial
    assert data["holder"] == "Ana López"
    assert data["course"] == "Export law basics ES"  # the certificate's language
    assert data["issued"] == certificate.issued_on.isoformat()
    assert data["expires"] == certificate.expires_on.isoformat()
    assert data["sha256"] == certificate.sha256
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("code", MALFORMED)
def test_malformed_codes_are_just_not_found(client, code, db):
    unknown_page = client.get(verify_url("A" * 32))
    response = client.get(verify_url(code))
    assert response.status_code == unknown_page.status_code == 404
    # Same answer; only the language switch in the header links to the URL asked for.
    assert main(response) == main(unknown_page)
    api = client.get(api_url(code))
    assert api.status_code == 404 and api.json() == {"status": "not_found"}


def test_rate_limit_per_address(client, issue, settings):
    settings.CERTIFICATE_VERIFY_RATE = 3
    certificate = issue(make_trainee())
    for _ in range(2):
        assert client.get(verify_url(certificate.code)).status_code == 200
    assert client.get(api_url(certificate.code)).status_code == 200
    limited = client.get(verify_url(certificate.code, "es"))
    assert limited.status_code == 429
    assert "Demasiadas solicitudes de verificación" in limited.content.decode()
    assert certificate.holder_name not in limited.content.decode()
    api = client.get(api_url("unknown-code-unknown-code"))
    assert api.status_code == 429 and api.json()["status"] == "rate_limited"
    # Another address is not affected.
    assert client.get(verify_url(certificate.code), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_uploaded_pdf_matches_or_does_not(client, issue):
    certificate = issue(make_trainee())
    url = verify_url(certificate.code)
    same = SimpleUploadedFile("c.pdf", certificate.pdf.read(), content_type="application/pdf")
    body = client.post(url, {"pdf": same}).content.decode()
    assert 'data-testid="hash-result">Matches' in body
    other = SimpleUploadedFile("c.pdf", b"%PDF-1.7 forged", content_type="application/pdf")
    body = client.post(url, {"pdf": other}).content.decode()
    assert 'data-testid="hash-result">Does not match' in body


def test_pasted_hash_matches_case_insensitively(client, issue):
    certificate = issue(make_trainee())
    url = verify_url(certificate.code, "es")
    body = client.post(url, {"sha256": f"  {certificate.sha256.upper()} "}).content.decode()
    assert "Coincide" in body
    wrong = hashlib.sha256(b"other").hexdigest()
    assert "No coincide" in client.post(url, {"sha256": wrong}).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Upload the PDF or paste its SHA-256"),
        ({"sha256": "zz" * 32}, "64 hexadecimal characters"),
        ({"sha256": "abc"}, "64 hexadecimal characters"),
    ],
)
def test_bad_hash_input_is_a_clear_400(client, issue, data, message):
    certificate = issue(make_trainee())
    response = client.post(verify_url(certificate.code), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_upload_size_limit(client, issue, settings):
    settings.CERTIFICATE_UPLOAD_MAX_BYTES = 1000
    certificate = issue(make_trainee())
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2000, content_type="application/pdf")
    response = client.post(verify_url(certificate.code), {"pdf": big})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    # A request body far over the limit is refused before it is read.
    huge = client.post(
        verify_url(certificate.code),
        {"sha256": "0" * 64},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert huge.status_code == 413


def test_hash_check_needs_a_known_code(client, db):
    response = client.post(verify_url("A" * 32), {"sha256": "0" * 64})
    assert response.status_code == 404
    assert "hash-result" not in response.content.decode()


def test_verify_index_sends_a_typed_code_to_its_page(client, db):
    assert client.get(reverse("verify_index")).status_code == 200
    response = client.get(reverse("verify_index"), {"code": " abc/d?e#f "})
    assert response.status_code == 302
    assert response["Location"] == "/en/verify/abc/d%3Fe%23f/"
    assert client.get(response["Location"]).status_code == 404


def test_expired_page_shows_expiry_date(client, issue):
    certificate = issue(make_trainee())
    with time_machine.travel(at_noon(certificate.expires_on + datetime.timedelta(days=3)), tick=False):
        body = client.get(verify_url(certificate.code, "es")).content.decode()
    assert "Vencida" in body and "venció el" in body
