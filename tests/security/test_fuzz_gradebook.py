"""Fuzzing the gradebook (admin): the GET parameters and ids of the course
listing (with its export), the index and the trainee record, and the two
forms that change a result (grade override) or grant extra attempts.

No input gives a 5xx; reading writes nothing; a refused form (400, or 409
when the service refuses) writes no override, grant or log entry and leaves
the attempt's score and result as they were; the errors are in Spanish for a
Spanish-speaking administrator.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from courses import progress
from courses.models import Enrollment, LessonPage
from gradebook.forms import GrantForm, OverrideForm
from gradebook.models import AttemptGrant, GradeOverride
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from quizzes.models import QuizAttempt
from tests.factories import make_trainee
from tests.quizzes.factories import first_module, make_quiz, wrong_answers

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    bad_request_page,
    context_value,
    form_errors,
    nasty_integer_text,
    rolled_back,
    row_counts,
)
from .test_fuzz_practice import spoil
from .test_fuzz_reports import queries, streamed

pytestmark = pytest.mark.django_db

TABLES = (GradeOverride, AttemptGrant, ModelLogEntry, QuizAttempt, Enrollment)


@pytest.fixture
def book(course_index, client, admin_es):
    """A course whose module quiz (one attempt) the trainee failed; the
    Spanish-speaking administrator logged in."""
    from tests.courses.factories import make_course

    course = make_course(course_index, modules=1, lessons=1)
    quiz = make_quiz(first_module(course), questions=2, title="Module quiz", max_attempts=1)
    trainee = make_trainee(first_name="Ana", last_name="Ruiz", username="ana")
    progress.enroll(trainee, course)
    progress.complete_step(trainee, LessonPage.objects.descendant_of(course).get())
    attempt = start_attempt(trainee, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    client.force_login(admin_es)
    record = f"/admin/reports/gradebook/{course.pk}/trainee/{trainee.pk}/"
    return {"client": client, "course": course, "quiz": quiz, "trainee": trainee, "attempt": attempt, "record": record}


def scores(attempt):
    return QuizAttempt.objects.filter(pk=attempt.pk).values_list("score", "passed").get()


def shown_errors(response):
    return bad_request_page(response) or form_errors(context_value(response, "form"))


def assert_refused_without_writing(response, before):
    """A refused form: a 400 or 409, no row written, its errors shown and
    translated."""
    assert response.status_code in (400, 409)
    assert row_counts(*TABLES) == before
    messages = shown_errors(response)
    assert_shown(response, messages)
    assert_spanish(messages)


@FUZZ
@example(page="course", query={"export": "csv", "agency": "\x00", "status": "x"})
@example(page="course", query={"export": "xlsx", "ordering": "-user__last_name\x00"})
@given(page=st.sampled_from(["index", "index_results", "course", "course_results", "record"]), query=queries())
def test_gradebook_pages(book, page, query):
    """GET parameters (filters, ordering, page, export) of every gradebook page."""
    course = book["course"]
    url = {
        "index": reverse("gradebook_index"),
        "index_results": reverse("gradebook_index_results"),
        "course": reverse("gradebook_course", args=[course.pk]),
        "course_results": reverse("gradebook_course_results", args=[course.pk]),
        "record": book["record"],
    }[page]
    with rolled_back():
        before = row_counts(*TABLES)
        response = book["client"].get(url, query)
        assert_no_server_error(response)
        streamed(response)  # an export is written while it streams
        assert row_counts(*TABLES) == before
        errors = context_value(response, "filter_errors")
        if response.status_code == 400 and response.get("Content-Type", "").startswith("text/plain"):
            errors = response.content.decode().splitlines()
        if errors:
            assert_spanish([line.split(": ", 1)[-1] for line in errors])


@FUZZ
@given(
    course_id=st.one_of(st.just("OWN"), nasty_integer_text()),
    trainee_id=st.one_of(st.just("OWN"), nasty_integer_text()),
    kind=st.one_of(st.sampled_from(["quiz", "practice"]), nasty_integer_text()),
    item_id=st.one_of(st.just("OWN"), nasty_integer_text()),
    action=st.sampled_from(["course", "record", "override", "grant"]),
)
def test_gradebook_ids(book, course_id, trainee_id, kind, item_id, action):
    """Unknown, malformed and foreign ids in every gradebook URL: 404, never 5xx."""
    course_id = str(book["course"].pk) if course_id == "OWN" else course_id
    trainee_id = str(book["trainee"].pk) if trainee_id == "OWN" else trainee_id
    own_item = book["attempt"].pk if action == "override" else book["quiz"].pk
    item_id = str(own_item) if item_id == "OWN" else item_id
    base = f"/admin/reports/gradebook/{quote(course_id, safe='')}/"
    record = f"{base}trainee/{quote(trainee_id, safe='')}/"
    url = {
        "course": base,
        "record": record,
        "override": f"{record}override/{quote(kind, safe='')}/{quote(item_id, safe='')}/",
        "grant": f"{record}extra-attempt/{quote(item_id, safe='')}/",
    }[action]
    with rolled_back():
        before = row_counts(*TABLES)
        response = book["client"].get(url)
        assert_no_server_error(response)
        if action in ("override", "grant"):
            response = book["client"].post(url, {"score": "90", "extra": "1", "reason": "fuzz"})
            assert_no_server_error(response)
        streamed(response)
        if response.status_code >= 400:
            assert row_counts(*TABLES) == before


@FUZZ
@example(payload={"score": "50", "reason": "a\x00b"})
@example(payload={"score": "NaN", "reason": "x"})
@example(payload={"score": "0", "reason": "same score"})
@given(payload=spoil({"score": "85", "reason": "Re-graded on appeal"}, OverrideForm.base_fields))
def test_override_form(book, payload):
    attempt = book["attempt"]
    url = f"{book['record']}override/quiz/{attempt.pk}/"
    with rolled_back():
        before, before_scores = row_counts(*TABLES), scores(attempt)
        response = book["client"].post(url, payload)
        assert_no_server_error(response)
        if response.status_code >= 400:
            assert_refused_without_writing(response, before)
            assert scores(attempt) == before_scores
        else:
            assert response.status_code == 302
            assert GradeOverride.objects.count() == before[GradeOverride._meta.label] + 1


@FUZZ
@example(payload={"extra": "1", "reason": "\x00"})
@example(payload={"extra": "11", "reason": "x"})
@given(payload=spoil({"extra": "1", "reason": "Sick on the day"}, GrantForm.base_fields))
def test_grant_form(book, payload):
    attempt = book["attempt"]
    url = f"{book['record']}extra-attempt/{book['quiz'].pk}/"
    with rolled_back():
        before, before_scores = row_counts(*TABLES), scores(attempt)
        response = book["client"].post(url, payload)
        assert_no_server_error(response)
        assert scores(attempt) == before_scores
        if response.status_code >= 400:
            assert_refused_without_writing(response, before)
        else:
            assert response.status_code == 302
            assert AttemptGrant.objects.count() == before[AttemptGrant._meta.label] + 1
