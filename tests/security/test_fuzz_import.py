"""Fuzzing the import of an agency's people: ``import_people`` itself and
its admin upload form, with CSV files of nasty cells (NUL bytes, control
characters, huge names, unknown languages, duplicated and missing columns),
binary garbage and odd file names.

No input gives a 5xx; a file with any problem imports nobody (no user,
profile or batch); the problems are listed in Spanish for a Spanish-speaking
administrator.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, reject
from hypothesis import strategies as st

from lms.models import Profile
from onboarding.exceptions import ImportRefused
from onboarding.importing import import_people
from onboarding.models import ImportBatch
from tests.factories import AgencyFactory

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    bad_request_page,
    context_value,
    form_errors,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
HEADINGS = ["name", "first_name", "last_name", "email", "language", "idioma", "correo", "", "other"]


def csv_files():
    heading = st.one_of(
        st.just(["name", "email", "language"]),
        st.lists(st.one_of(st.sampled_from(HEADINGS), nasty_text(max_size=10)), min_size=0, max_size=5),
    )
    cell = st.one_of(
        st.sampled_from(["Ana López", "ana@example.org", "es", "en", "ES", "inglés", "fr", ""]),
        st.emails(),
        nasty_text(max_size=200),
    )
    rows = st.lists(st.lists(cell, min_size=0, max_size=5), min_size=0, max_size=6)
    delimiter = st.sampled_from([",", ";"])
    return st.builds(_csv, heading, rows, delimiter)


def _csv(heading, rows, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(heading)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def contents():
    return st.one_of(
        csv_files(),
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"name,email,language\n", b"\xff\xfe n\x00a\x00"]),
    )


def filenames():
    return st.one_of(
        st.sampled_from(["people.csv", "people.xlsx", "people.txt", "PEOPLE.CSV", "people.pdf"]),
        nasty_text(max_size=40).map(lambda name: name + ".csv"),
        nasty_text(max_size=300),
    )


TABLES = (User, Profile, ImportBatch)


@FUZZ
@given(content=contents(), filename=filenames(), dry_run=st.booleans())
def test_import_people(agency, content, filename, dry_run):
    with rolled_back(), translation.override("es"):
        before = row_counts(*TABLES)
        try:
            result = import_people(content, filename, agency=agency, dry_run=dry_run)
        except ImportRefused as refused:
            assert row_counts(*TABLES) == before
            assert_spanish([str(refused.message)])
            return
        if result.errors or dry_run:
            assert row_counts(*TABLES) == before
            assert_spanish([str(error.message) for error in result.errors])
        else:
            assert row_counts(User)[User._meta.label] == before[User._meta.label] + len(result.new)


@FUZZ
@given(
    content=contents(),
    filename=filenames(),
    agency_value=st.one_of(st.none(), st.just("OWN"), nasty_text(max_size=12)),
    dry_run=st.one_of(st.none(), st.just("on"), nasty_text(max_size=5)),
)
def test_admin_upload(client, admin_es, agency, content, filename, agency_value, dry_run):
    client.force_login(admin_es)
    data = {"file": SimpleUploadedFile(filename.replace("\x00", "") or "f", content)}
    if agency_value is not None:
        data["agency"] = str(agency.pk) if agency_value == "OWN" else agency_value
    if dry_run is not None:
        data["dry_run"] = dry_run
    with rolled_back():
        before = row_counts(*TABLES)
        response = client.post("/admin/onboarding/imports/", data)
        assert_no_server_error(response)
        if response.status_code == 400:
            assert row_counts(*TABLES) == before
            messages = bad_request_page(response) or form_errors(context_value(response, "form"))
            refused, result = context_value(response, "refused"), context_value(response, "result")
            if refused:
                messages.append(str(refused))
            if result is not None:
                messages += [str(error.message) for error in result.errors]
            assert_shown(response, messages)
            assert_spanish(messages)


@FUZZ
@given(filename=st.one_of(nasty_text(max_size=300), st.just("a\x00b.csv")))
def test_admin_upload_file_name(client, admin_es, agency, filename):
    """Odd file names (with NUL, huge, control characters) are refused or
    stored cleanly, never a server error."""
    client.force_login(admin_es)
    upload = SimpleUploadedFile("people.csv", b"name,email,language\nAna,ana@example.org,es\n")
    try:
        upload.name = filename  # the multipart encoder sends it as the browser would
    except SuspiciousFileOperation:
        reject()  # a name the client itself cannot send ("", "..", with a slash)
    with rolled_back():
        response = client.post("/admin/onboarding/imports/", {"file": upload, "agency": str(agency.pk)})
        assert_no_server_error(response)


@pytest.fixture
def agency(db):
    return AgencyFactory(acronym="CBPI")
