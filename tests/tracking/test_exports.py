import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import make_trainee
from tracking.exports import neutralise

from .conftest import csv_lines, header_row
from .factories import certify

pytestmark = pytest.mark.django_db

AGENCY_HEADER = {
    "en": [
        "Acronym",
        "Agency",
        "Country",
        "Trainees",
        "Enrolled",
        "In progress",
        "Completed",
        "Certified and current",
        "Expiring within 30 days",
        "Expiring within 60 days",
        "Expiring within 90 days",
        "Expired",
        "Revoked",
        "Certification rate (%)",
    ],
    "es": [
        "Siglas",
        "Institución",
        "País",
        "Participantes",
        "Inscritos",
        "En curso",
        "Concluidos",
        "Certificados vigentes",
        "Vencen en 30 días",
        "Vencen en 60 días",
        "Vencen en 90 días",
        "Vencidos",
        "Revocados",
        "Tasa de certificación (%)",
    ],
}
PEOPLE_HEADER = {
    "en": [
        "Username",
        "Name",
        "E-mail",
        "Agency",
        "Course code",
        "Course",
        "Cycle",
        "Enrolled on",
        "Progress (%)",
        "Completed on",
        "Certificate",
        "Certificate status",
        "Issued",
        "Expires",
    ],
    "es": [
        "Usuario",
        "Nombre",
        "Correo electrónico",
        "Institución",
        "Clave del curso",
        "Curso",
        "Ciclo",
        "Fecha de inscripción",
        "Avance (%)",
        "Fecha de conclusión",
        "Constancia",
        "Estado de la constancia",
        "Emisión",
        "Vencimiento",
    ],
}
MATRIX_HEADER = {
    "en": ["Username", "Name", "Agency", "T-1: status", "T-1: expires"],
    "es": ["Usuario", "Nombre", "Institución", "T-1: estado", "T-1: vencimiento"],
}


@pytest.fixture
def required(course, agency):
    course.required_by.through.objects.get_or_create(coursepage_id=course.pk, agency_id=agency.pk)


def _login(client, user, language):
    if language == "es":
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "es"
        profile.save()
    client.force_login(user)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "name, header",
    [
        ("tracking_admin:agencies", AGENCY_HEADER),
        ("tracking_admin:people", PEOPLE_HEADER),
        ("tracking_admin:matrix", MATRIX_HEADER),
    ],
)
def test_exact_csv_header(client, admin_user, people, required, name, header, language):
    _login(client, admin_user, language)
    response = client.get(reverse(name), {"export": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    lines = csv_lines(response)
    assert header_row(lines) == header[language]
    preamble = lines[: lines.index([])]
    assert preamble[1][0] == ("Exported at" if language == "en" else "Exportado el")
    assert preamble[2] == [("Exported by" if language == "en" else "Exportado por"), admin_user.username]


@pytest.mark.parametrize("language", ["en", "es"])
def test_exact_xlsx_header(client, admin_user, people, required, language):
    from openpyxl import load_workbook

    _login(client, admin_user, language)
    for name, header in [
        ("tracking_admin:agencies", AGENCY_HEADER),
        ("tracking_admin:people", PEOPLE_HEADER),
        ("tracking_admin:matrix", MATRIX_HEADER),
    ]:
        response = client.get(reverse(name), {"export": "xlsx"})
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = [[cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]
        blank = next(i for i, row in enumerate(rows) if not any(row))
        assert [cell for cell in rows[blank + 1] if cell is not None] == header[language]


def test_agency_export_rows_and_total(client, admin_user, people, agency):
    client.force_login(admin_user)
    lines = csv_lines(client.get(reverse("tracking_admin:agencies"), {"export": "csv"}))
    data = lines[lines.index([]) + 2 :]
    expected = ["8", "7", "1", "6", "3", "1", "1", "2", "1", "1", "37.5"]
    assert data[0] == [agency.acronym, agency.name, "United States", *expected]
    assert data[-1] == ["", "Total", "", *expected]


def test_export_carries_the_filters(client, admin_user, people, course):
    client.force_login(admin_user)
    lines = csv_lines(
        client.get(reverse("tracking_admin:agencies"), {"export": "csv", "course": course.pk, "country": "US"})
    )
    preamble = lines[: lines.index([])]
    assert ["Filter: Course", f"T-1 – {course.title}"] in preamble
    assert ["Filter: Country", "United States"] in preamble


def test_people_export_rows(client, admin_user, people):
    client.force_login(admin_user)
    lines = csv_lines(client.get(reverse("tracking_admin:people"), {"export": "csv", "status": "expired"}))
    data = lines[lines.index([]) + 2 :]
    assert len(data) == 1
    row = dict(zip(PEOPLE_HEADER["en"], data[0], strict=True))
    assert row["Username"] == people["lapsed"].username
    assert row["Certificate status"] == "Expired"
    assert row["Progress (%)"] == "100"


def test_formula_cells_are_neutralised(client, admin_user, agency, course):
    evil = make_trainee(agency=agency, first_name='=HYPERLINK("http://x")', last_name="Smith", username="@evil")
    certify(evil, course)
    client.force_login(admin_user)
    body = b"".join(client.get(reverse("tracking_admin:people"), {"export": "csv"}).streaming_content).decode()
    assert "'@evil" in body
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body and ",@evil" not in body
    assert neutralise("+1") == "'+1" and neutralise("-x") == "'-x" and neutralise("ok") == "ok"


def test_unknown_format_and_bad_filters(client, admin_user, people):
    client.force_login(admin_user)
    url = reverse("tracking_admin:people")
    response = client.get(url, {"export": "pdf"})
    assert response.status_code == 400
    assert b"Unknown export format" in response.content
    response = client.get(url, {"export": "csv", "date_from": "2024-13-45"})
    assert response.status_code == 400
    assert b"From" in response.content
    response = client.get(url, {"date_from": "not-a-date", "course": "999999", "agency": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be applied" in html
    assert people["lapsed"].username not in html
    response = client.get(reverse("tracking_admin:agencies"), {"date_from": "2025-05-01", "date_to": "2025-01-01"})
    assert "The start date must be on or before the end date." in response.content.decode()


def test_people_page_lists_courses_and_certificates(client, admin_user, people):
    client.force_login(admin_user)
    html = client.get(reverse("tracking_admin:people"), {"status": "certified"}).content.decode()
    assert "tracking-status--valid" in html
    assert people["current"].username in html and people["idle"].username not in html


def test_matrix_cells(client, admin_user, people, required):
    client.force_login(admin_user)
    lines = csv_lines(client.get(reverse("tracking_admin:matrix"), {"export": "csv"}))
    data = {row[0]: row[3:] for row in lines[lines.index([]) + 2 :]}
    assert data[people["current"].username][0] == "Valid"
    assert data[people["lapsed"].username][0] == "Expired"
    assert data[people["idle"].username] == ["Not enrolled", ""]
    assert data[people["learning"].username][0].startswith("In progress")


def test_csv_starts_with_a_byte_order_mark(client, admin_user, agency):
    agency.name_en = "Policía Municipal de Ciudad Juárez"
    agency.save()
    client.force_login(admin_user)
    body = b"".join(client.get(reverse("tracking_admin:agencies"), {"export": "csv"}).streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Ciudad Juárez" in body.decode("utf-8-sig")


@pytest.mark.parametrize("language, everything", [("en", "all"), ("es", "todos")])
def test_no_filters_reads_all(client, admin_user, agency, language, everything):
    _login(client, admin_user, language)
    lines = csv_lines(client.get(reverse("tracking_admin:agencies"), {"export": "csv"}))
    preamble = lines[: lines.index([])]
    assert [("Filters" if language == "en" else "Filtros"), everything] in preamble
    assert preamble[3][0] == ("Figures" if language == "en" else "Cifras")


def test_xlsx_freezes_the_header_and_fits_columns(client, admin_user, people):
    from openpyxl import load_workbook

    client.force_login(admin_user)
    response = client.get(reverse("tracking_admin:people"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if not any(row)) + 1  # 0-based index of the header row
    assert rows[header][0] == "Username"
    assert sheet.freeze_panes == f"A{header + 2}"  # everything above the first data row stays in view
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["A"] >= max(len(row[0]) for row in rows[header:])
    email = max(len(row[2] or "") for row in rows[header + 1 :])
    assert widths["C"] >= email  # the e-mail column fits its longest address
    assert all(width <= 62 for width in widths.values())


def test_every_agency_row_carries_its_country(client, admin_user, people, others, agency, other_agency):
    client.force_login(admin_user)
    lines = csv_lines(client.get(reverse("tracking_admin:agencies"), {"export": "csv"}))
    data = {line[0]: line for line in lines[lines.index([]) + 2 :] if line and line[0]}
    assert data[agency.acronym][2] == "United States" and data[other_agency.acronym][2] == "Mexico"
