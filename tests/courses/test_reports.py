"""The per-course progress report in the Wagtail admin."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import progress
from lms.exports import neutralise
from tests.courses.factories import make_course
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Trainee",
    "Username",
    "Agency",
    "Cycle",
    "Enrolment date",
    "Percent complete",
    "Last activity",
    "Completion date",
]


def report_url(course, export=None):
    url = f"/admin/reports/course-progress/{course.pk}/"
    return f"{url}?export={export}" if export else url


@pytest.fixture
def instructor(course):
    user = make_instructor()
    course.instructors.add(user)
    course.save()
    return user


@pytest.fixture
def enrolled(course, lessons, agency):
    """Three trainees: none, half and all of the course done."""
    users = []
    for index, done in enumerate([0, 2, 4]):
        user = make_trainee(agency=agency, first_name=f"Ana{index}", last_name=f"Ruiz{index}")
        progress.enroll(user, course)
        for lesson in lessons[:done]:
            progress.complete_step(user, lesson)
        users.append(user)
    return users


def assert_denied(response):
    """Wagtail's admin answers PermissionDenied by sending the user back to
    the dashboard with a message; a plain 403 would do as well."""
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/"), (
        response.status_code
    )


def rows_of_csv(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_instructor_sees_progress_of_a_course_they_teach(client, course, instructor, enrolled):
    client.force_login(instructor)
    response = client.get(report_url(course))
    assert response.status_code == 200
    html = response.content.decode()
    for user in enrolled:
        assert user.get_full_name() in html
    for percent in ("0 %", "50 %", "100 %"):
        assert percent in html


def test_csv_export_has_exact_header_and_percentages(client, course, instructor, enrolled):
    client.force_login(instructor)
    rows = rows_of_csv(client.get(report_url(course, "csv")))
    assert rows[0] == HEADER
    by_name = {row[0]: row for row in rows[1:]}
    assert [by_name[user.get_full_name()][5] for user in enrolled] == ["0", "50", "100"]
    assert by_name[enrolled[2].get_full_name()][7] != ""
    assert by_name[enrolled[0].get_full_name()][7] == ""


def test_xlsx_export_has_exact_header(client, course, instructor, enrolled):
    client.force_login(instructor)
    response = client.get(report_url(course, "xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sorted(row[5] for row in rows[1:]) == [0, 50, 100]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_exports_neutralise_formulas_in_names(client, course, instructor, prefix):
    evil = make_trainee(first_name=f'{prefix}HYPERLINK("http://x")', last_name="Smith", username=f"{prefix}cmd")
    progress.enroll(evil, course)
    client.force_login(instructor)
    rows = rows_of_csv(client.get(report_url(course, "csv")))
    assert rows[1][0].startswith(f"'{prefix}") and rows[1][1] == f"'{prefix}cmd"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(report_url(course, "xlsx")).streaming_content)))
    cells = list(workbook.active.iter_rows(values_only=True))[1]
    assert cells[0].startswith(f"'{prefix}") and cells[1] == f"'{prefix}cmd"


def test_neutralise_leaves_ordinary_values():
    assert neutralise("Ana") == "Ana" and neutralise(50) == 50 and neutralise(None) is None
    assert neutralise("=1+1") == "'=1+1" and neutralise("\tx") == "'\tx"


def test_instructor_cannot_open_a_course_they_do_not_teach(client, course, course_index, instructor, enrolled):
    other = make_course(course_index, code="T-9", title="Other")
    client.force_login(instructor)
    assert_denied(client.get(report_url(other)))
    assert_denied(client.get(report_url(other, "csv")))
    assert_denied(client.get(f"/admin/reports/course-progress/{other.pk}/results/"))
    assert client.get("/admin/reports/course-progress/99999999999999999999/", follow=True).status_code == 404
    index = client.get("/admin/reports/course-progress/").content.decode()
    assert "Test course" in index and "Other" not in index


def test_trainee_and_coordinator_cannot_open_reports(client, course, enrolled, agency):
    client.force_login(make_trainee())
    response = client.get(report_url(course))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_coordinator(agency=agency))
    assert_denied(client.get(report_url(course)))
    assert_denied(client.get("/admin/reports/course-progress/"))
    assert_denied(client.get(report_url(course, "csv")))


def test_menu_item_only_for_instructors_and_administrators(client, course, instructor, agency):
    client.force_login(instructor)
    assert "/admin/reports/course-progress/" in client.get("/admin/").content.decode()
    client.force_login(make_coordinator(agency=agency))
    assert "/admin/reports/course-progress/" not in client.get("/admin/").content.decode()


def test_administrator_sees_every_course(client, course, course_index, enrolled):
    other = make_course(course_index, code="T-9", title="Other")
    client.force_login(make_administrator())
    assert client.get(report_url(other)).status_code == 200
    rows = rows_of_csv(client.get("/admin/reports/course-progress/?export=csv"))
    assert rows[0] == ["Course", "Course code", "Trainees enrolled", "In progress", "Completed the course"]
    assert ["Test course", "T-1", "3", "2", "1"] in rows and ["Other", "T-9", "0", "0", "0"] in rows


def test_filter_by_status(client, course, instructor, enrolled):
    client.force_login(instructor)
    rows = rows_of_csv(client.get(report_url(course, "csv") + "&status=completed"))
    assert [row[0] for row in rows[1:]] == [enrolled[2].get_full_name()]


def test_queries_do_not_grow_with_rows(client, course, instructor, lessons, agency):
    client.force_login(instructor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report_url(course, "csv")).status_code == 200
        return len(queries)

    for _ in range(2):
        user = make_trainee(agency=agency)
        progress.enroll(user, course)
        progress.complete_step(user, lessons[0])
    client.get(report_url(course, "csv"))  # warm the outline cache
    few = count()
    for _ in range(6):
        user = make_trainee(agency=agency)
        progress.enroll(user, course)
        progress.complete_step(user, lessons[1])
    assert count() == few
