import io

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.models import Profile
from onboarding.exceptions import ImportRefused
from onboarding.importing import import_people, read_table
from onboarding.models import ImportBatch
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db

GOOD = "name,email,language\nAna López,ana@cbp.example,es\nBob Stone,bob@cbp.example,en\n"


def csv_bytes(text):
    return text.encode("utf-8")


def run(content, agency, filename="people.csv", **kwargs):
    return import_people(content, filename, agency=agency, **kwargs)


def test_a_clean_file_creates_trainees_of_the_agency(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run(csv_bytes(GOOD), agency)
    assert result.ok and len(result.new) == 2 and result.batch is not None
    ana = get_user_model().objects.get(email="ana@cbp.example")
    assert ana.is_active and not ana.has_usable_password()
    assert ana.username == "ana@cbp.example"
    assert ana.first_name == "Ana López"
    assert ana.profile.agency == agency and ana.profile.preferred_language == "es"
    assert ana.groups.filter(name="Trainees").exists()
    assert set(result.batch.people.all()) == set(get_user_model().objects.filter(email__endswith="@cbp.example"))


def test_each_new_person_gets_a_set_password_link_in_their_language(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(GOOD), agency)
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish, english = by_address["ana@cbp.example"], by_address["bob@cbp.example"]
    assert "/es/accounts/reset/" in spanish.body and "contraseña" in spanish.subject.lower()
    assert "/en/accounts/reset/" in english.body and "password" in english.subject.lower()
    html = {mime: content for content, mime in english.alternatives}["text/html"]
    assert "/en/accounts/reset/" in html and '<html lang="en">' in html


def test_the_link_lets_the_person_choose_a_password(client, agency, django_capture_on_commit_callbacks, home_page):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(GOOD), agency)
    message = next(m for m in mail.outbox if m.to == ["bob@cbp.example"])
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in link else link[link.index("/en/") :]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Fresh-Password-2026", "new_password2": "Fresh-Password-2026"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="bob@cbp.example").check_password("Fresh-Password-2026")


def test_every_bad_row_is_listed_by_line_and_nothing_is_imported(agency, other_agency):
    make_trainee(agency=other_agency, email="taken@other.example", username="taken")
    text = (
        "name,email,language\n"
        "Ana López,ana@cbp.example,es\n"  # 2 good
        ",nobody@cbp.example,en\n"  # 3 missing name
        "Carl,not-an-email,en\n"  # 4 bad e-mail
        "Dana,dana@cbp.example,fr\n"  # 5 unknown language
        "Ana Again,ANA@cbp.example,en\n"  # 6 duplicate of 2
        "Ted,taken@other.example,en\n"  # 7 another agency
        "\n"  # 8 blank, skipped
        "Eve,,en\n"  # 9 missing e-mail
    )
    result = run(csv_bytes(text), agency)
    assert [(error.line, error.message) for error in result.errors] == [
        (3, "The name is missing."),
        (4, "not-an-email is not a valid e-mail address."),
        (5, "Unknown language fr: use en or es."),
        (6, "ana@cbp.example is also on line 2."),
        (7, "taken@other.example already has an account in another agency."),
        (9, "The e-mail address is missing."),
    ]
    assert not get_user_model().objects.filter(email="ana@cbp.example").exists()
    assert not ImportBatch.objects.exists()


def test_importing_the_same_file_again_changes_nothing(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(GOOD), agency)
    users = list(get_user_model().objects.order_by("pk").values())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = run(csv_bytes(GOOD), agency)
    assert result.ok and result.new == [] and result.existing == 2
    assert list(get_user_model().objects.order_by("pk").values()) == users
    assert mail.outbox == []


def test_dry_run_checks_and_changes_nothing(agency):
    result = run(csv_bytes(GOOD), agency, dry_run=True)
    assert result.ok and len(result.new) == 2
    assert not get_user_model().objects.filter(email__endswith="@cbp.example").exists()


def test_bom_windows_line_endings_and_semicolons_are_read(agency):
    text = "\ufeffFirst name;Last name;E-mail;Idioma\r\nMaría José;Hernández Núñez;mj@cbp.example;Español\r\n"
    result = run(text.encode("utf-8"), agency)
    assert result.ok
    person = get_user_model().objects.get(email="mj@cbp.example")
    assert (person.first_name, person.last_name, person.profile.preferred_language) == (
        "María José",
        "Hernández Núñez",
        "es",
    )


def test_an_xlsx_workbook_is_read_with_its_line_numbers(agency):
    data = tablib.Dataset(headers=["name", "email", "language"])
    data.append(["Ana", "ana@cbp.example", "es"])
    data.append([None, None, None])
    data.append(["Bad", "bad@", "en"])
    result = run(data.export("xlsx"), agency, filename="people.xlsx")
    assert [(error.line, error.message) for error in result.errors] == [(4, "bad@ is not a valid e-mail address.")]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"%PDF-1.7 binary", "people.pdf", "Please upload a CSV file (UTF-8) or an Excel workbook (.xlsx)"),
        (b"PK\x03\x04 broken zip", "people.xlsx", "The Excel workbook cannot be read"),
        ("name,email,language\nJosé,j@x.example,es\n".encode("cp1252"), "people.csv", "is not UTF-8 text"),
        (b"name,mail,lang\nA,a@x.example,en\n", "people.csv", "Missing: email, language. Not recognised: mail, lang."),
        (b"name,email,language\n", "people.csv", "The file has headings but no people."),
        (b"", "people.csv", "The file is empty."),
        (b"name,email,language\nA,a@x.example,en,extra\n", "people.csv", "Line 2 has more cells"),
    ],
)
def test_unreadable_files_get_a_clear_message(agency, content, filename, message):
    with pytest.raises(ImportRefused) as error:
        run(content, agency, filename=filename)
    assert message in str(error.value.message)
    assert not get_user_model().objects.filter(profile__agency=agency).exists()


def test_files_over_the_size_limit_are_refused(agency, settings):
    settings.ONBOARDING_IMPORT_MAX_BYTES = 20
    with pytest.raises(ImportRefused, match="the limit is 20"):
        read_table(csv_bytes(GOOD), "people.csv")


def test_messages_are_translated(agency):
    from django.utils import translation

    with translation.override("es"), pytest.raises(ImportRefused) as error:
        run(b"x,y\n1,2\n", agency)
    assert "columnas" in str(error.value.message)


def test_queries_do_not_grow_with_the_rows(agency):
    def queries_for(count, prefix):
        rows = "".join(f"P{i},{prefix}{i}@cbp.example,en\n" for i in range(count))
        with CaptureQueriesContext(connection) as queries:
            result = run(csv_bytes("name,email,language\n" + rows), agency)
        assert result.ok and len(result.new) == count
        return len(queries)

    # Bulk inserts: batches of rows (SQLite caps a statement at 999
    # parameters, so about 90 users a batch there), never a query per row.
    # A first import fills the process's content-type cache (the audit log
    # entry's type), warm or cold depending on the tests run before.
    queries_for(1, "warm")
    few, many = queries_for(5, "a"), queries_for(400, "b")
    assert few <= 12
    assert many - few <= 400 // 50


def test_the_command_imports_and_exits_non_zero_on_errors(tmp_path, agency):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,language\nAna,ana@cbp.example,xx\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_people", str(bad), agency=agency.acronym, stderr=err)
    assert "Line 2: Unknown language xx" in err.getvalue()
    out = io.StringIO()
    call_command("import_people", str(good), "--dry-run", agency=agency.acronym, stdout=out)
    assert "2 would be created" in out.getvalue()
    assert not Profile.objects.filter(agency=agency).exists()
    call_command("import_people", str(good), agency=agency.acronym.lower(), stdout=out)
    assert Profile.objects.filter(agency=agency).count() == 2
    with pytest.raises(CommandError, match="no agency"):
        call_command("import_people", str(good), agency="NOPE")


def test_imported_people_join_the_standing_assignments(agency, course, django_capture_on_commit_callbacks):
    from courses.models import Enrollment
    from onboarding.assignments import assign_course
    from tests.factories import make_coordinator

    coordinator = make_coordinator(agency=agency)
    assign_course(actor=coordinator, agency=agency, course=course, include_future=True)
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(csv_bytes(GOOD), agency, actor=coordinator).batch
    assert set(Enrollment.objects.filter(course=course).values_list("user_id", flat=True)) == set(
        batch.people.values_list("pk", flat=True)
    )
