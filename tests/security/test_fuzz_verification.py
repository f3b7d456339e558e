"""Fuzzing the public certificate verification: the code form, the page by
code (and its PDF-hash check), the JSON API, and look-ups by serial (the
verification form refuses serials; the holder's download goes by serial).

No input gives a 5xx; unknown and malformed codes answer alike (404); a
refused hash check or code says why, in Spanish under /es/.
"""

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import example, given
from hypothesis import strategies as st

from certificates.models import Certificate
from tests.factories import make_trainee

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    context_value,
    form_errors,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

CODE = "Abcdefghij0123456789_-xyzXYZ0123"


@pytest.fixture
def certificate(db):
    holder = make_trainee()
    today = timezone.localdate()
    return Certificate.objects.create(
        serial="AC-2026-000042",
        code=CODE,
        holder=holder,
        holder_name="Ana Fuzz",
        course_code="AC-100",
        course_title_en="Arms control",
        course_title_es="Control de armas",
        credit_hours=4,
        language="es",
        issued_at=timezone.now(),
        issued_on=today,
        expires_on=today + datetime.timedelta(days=365),
        sha256="a" * 64,
    )


def es_url(name, **kwargs):
    with translation.override("es"):
        return reverse(name, kwargs=kwargs)


def codes():
    return st.one_of(
        nasty_text(),
        st.just(CODE),
        st.sampled_from(["AC-2026-000042", "ac-2026-1", "/es/verify/AC-2026-000042/", f"https://x/es/verify/{CODE}/"]),
        st.text(alphabet="ABCabc0123456789_-", min_size=16, max_size=64),
    )


@FUZZ
@given(code=codes())
def test_verify_form_by_code_or_serial(client, certificate, code):
    cache.clear()
    response = client.get(es_url("verify_index"), {"code": code})
    assert_no_server_error(response)
    if response.status_code == 302:
        assert response["Location"].startswith("/es/verify/")
        return
    assert response.status_code == 200
    messages = form_errors(context_value(response, "form"))
    assert messages
    assert_shown(response, messages)
    assert_spanish(messages)


@FUZZ
@given(code=codes())
def test_verify_page_and_api_by_code(client, certificate, code):
    cache.clear()
    path = quote(code, safe="")
    response = client.get(f"/es/verify/{path}/")
    assert_no_server_error(response)
    api = client.get(f"/api/certificates/{path}/")
    assert_no_server_error(api)
    if code == CODE:
        assert response.status_code == 200 and api.status_code == 200
    else:
        # Unknown and malformed codes, and serials, answer alike.
        assert response.status_code in (404, 301, 302) and api.status_code in (404, 301, 302)
        if api.status_code == 404 and api["Content-Type"] == "application/json":
            assert api.json() == {"status": "not_found"}


@FUZZ
@given(
    sha256=st.one_of(nasty_text(), st.just("a" * 64), st.text(alphabet="0123456789abcdefABCDEF", max_size=70)),
    pdf=st.one_of(st.none(), st.binary(max_size=200)),
    name=st.one_of(st.just("c.pdf"), nasty_text(max_size=30)),
)
def test_verify_hash_check(client, certificate, sha256, pdf, name):
    cache.clear()
    data = {"sha256": sha256}
    if pdf is not None:
        data["pdf"] = SimpleUploadedFile((name or "f").replace("\x00", "") or "f", pdf)
    before = row_counts(Certificate)
    with rolled_back():
        response = client.post(es_url("verify", code=CODE), data)
    assert_no_server_error(response)
    assert row_counts(Certificate) == before
    if response.status_code == 400:
        messages = form_errors(context_value(response, "hash_form"))
        assert_shown(response, messages)
        assert_spanish(messages)
    else:
        assert response.status_code == 200 and context_value(response, "hash_checked")


@FUZZ
@example(serial="\x00")  # was a 500 on PostgreSQL
@example(serial="AC-2026-000042\x00")
@given(serial=st.one_of(nasty_text(), st.just("AC-2026-000042"), st.just("AC-2026-000043")))
def test_download_by_serial_answers_404_alike(client, certificate, serial):
    with rolled_back():
        client.force_login(make_trainee(username="other"))
        response = client.get(f"/es/certificates/{quote(serial, safe='')}/download/")
    assert_no_server_error(response)
    # Not the holder: a real serial answers like an unknown or malformed one.
    assert response.status_code == 404
