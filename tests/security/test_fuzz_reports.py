"""Fuzzing the GET parameters of the report views: certification by agency,
by person and the matrix (with their ``results/`` and export variants),
course progress and quiz statistics.

No query string gives a 5xx; a filter that cannot be applied is explained
in Spanish to a Spanish-speaking administrator; reports write nothing.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from courses.models import Enrollment

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_spanish,
    context_value,
    nasty_date_text,
    nasty_integer_text,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

TRACKING = [
    "tracking_admin:agencies",
    "tracking_admin:people",
    "tracking_admin:people_results",
    "tracking_admin:matrix",
    "tracking_admin:matrix_results",
]
OTHERS = ["courses_progress_index", "courses_progress_index_results", "quizzes_statistics:index"]
PARAMETERS = ["course", "country", "level", "agency", "date_from", "date_to", "status", "q", "export", "p", "ordering"]


def queries():
    value = st.one_of(
        nasty_text(),
        nasty_integer_text(),
        nasty_date_text(),
        st.sampled_from(["US", "MX", "federal", "csv", "xlsx", "certified", "expired"]),
        st.lists(nasty_text(max_size=10), min_size=2, max_size=3),
    )
    return st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), nasty_text(max_size=8)), value, max_size=5)


def streamed(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@FUZZ
@example(name="tracking_admin:people", query={"date_from": "2026-13-01", "q": "a\x00b"}, expect_errors=2)
@example(name="tracking_admin:agencies", query={"export": "csv", "date_to": "x"}, expect_errors=2)
@given(name=st.sampled_from(TRACKING + OTHERS), query=queries(), expect_errors=st.just(None))
def test_report_filters(client, admin_es, course, name, query, expect_errors):
    client.force_login(admin_es)
    with rolled_back():
        before = row_counts(User, Enrollment)
        response = client.get(reverse(name), query)
        assert_no_server_error(response)
        streamed(response)  # an export is written while it streams
        assert row_counts(User, Enrollment) == before
        errors = context_value(response, "filter_errors")
        if response.status_code == 400 and response.get("Content-Type", "").startswith("text/plain"):
            errors = response.content.decode().splitlines()
        if expect_errors is not None:
            assert len(errors) == expect_errors, errors
        if errors:
            assert_spanish([line.split(": ", 1)[-1] for line in errors])


@FUZZ
@given(course_id=nasty_integer_text(), query=queries())
def test_course_progress_and_quiz_statistics_ids(client, admin_es, course, course_id, query):
    from urllib.parse import quote

    client.force_login(admin_es)
    with rolled_back():
        for url in (
            f"/admin/reports/course-progress/{quote(course_id, safe='')}/",
            f"/admin/quizzes/statistics/{quote(course_id, safe='')}/",
        ):
            response = client.get(url, query)
            assert_no_server_error(response)
            streamed(response)
        response = client.get(f"/admin/reports/course-progress/{course.pk}/", query)
        assert_no_server_error(response)
        streamed(response)
