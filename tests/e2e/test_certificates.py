"""Certificates in a real browser: the public verification page in both
languages (with axe), checking a PDF against it, and the holder's download
from My learning."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.certificates.factories import complete_course, make_small_course


@pytest.fixture
def certified(demo, course_index, settings, tmp_path):
    """aprendiz (prefers Spanish) completed a course: the signal issued her certificate."""
    settings.MEDIA_ROOT = tmp_path / "media"
    course = make_small_course(course_index, code="AC-E2E", title="Export law in the browser")
    complete_course(get_user_model().objects.get(username="aprendiz"), course)
    return Certificate.objects.get(holder__username="aprendiz")


@pytest.mark.parametrize("lang, status", [("en", "Valid"), ("es", "Vigente")])
def test_verification_page_has_no_axe_violations(page, live_server, certified, axe_violations, lang, status):
    page.goto(f"{live_server.url}/{lang}/verify/{certified.code}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("status")).to_have_text(status)
    expect(page.get_by_test_id("holder")).to_have_text("María José Hernández Núñez")
    expect(page.get_by_test_id("serial")).to_have_text(certified.serial)
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/verify/not-a-real-code-at-all-000000/")
    expect(page.get_by_test_id("status")).to_have_text("Not found" if lang == "en" else "No encontrada")
    assert axe_violations(page) == []


def test_uploading_the_pdf_says_it_matches(page, live_server, certified, tmp_path):
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certified.pdf.read())
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(b"%PDF-1.7 not the real one")
    page.goto(f"{live_server.url}/es/verify/{certified.code}/")
    page.set_input_files("input[name=pdf]", str(pdf))
    page.get_by_role("button", name="Comprobar").click()
    expect(page.get_by_test_id("hash-result")).to_contain_text("Coincide")
    page.set_input_files("input[name=pdf]", str(forged))
    page.get_by_role("button", name="Comprobar").click()
    expect(page.get_by_test_id("hash-result")).to_contain_text("No coincide")


def test_holder_downloads_from_my_learning(page, live_server, certified, login):
    login("aprendiz", lang="es")
    page.goto(f"{live_server.url}/es/learning/")
    section = page.locator("section.certificate-list")
    expect(section.get_by_role("heading", name="Mis constancias")).to_be_visible()
    with page.expect_download() as download_info:
        section.get_by_role("link", name=re.compile("Descargar PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"{certified.serial}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == certified.pdf.read()
