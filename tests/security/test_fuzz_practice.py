"""Fuzzing the practice sandbox: the record entry form, the search form and
the retrieval answers (save and submit).

No input gives a 5xx; a refused form writes no record, person, firearm,
vehicle, link, search or answer; the problems are listed in Spanish under
/es/.
"""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from courses import progress
from courses.models import ModulePage
from practice.attempts import start_attempt
from practice.entry import EntryForm
from practice.models import Firearm, Person, Record, RecordLink, RetrievalAnswer, Vehicle
from practice.search import SearchForm
from tests.factories import make_trainee
from tests.practice.factories import make_exercise, right_entry

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    bad_request_page,
    context_value,
    form_errors,
    nasty_date_text,
    nasty_integer_text,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

SANDBOX = (Record, Person, Firearm, Vehicle, RecordLink, RetrievalAnswer)


@pytest.fixture
def setup(course_index, client):
    from tests.courses.factories import make_course

    course = make_course(course_index, modules=1, lessons=1)
    exercise = make_exercise(ModulePage.objects.child_of(course).first())
    trainee = make_trainee(language="es")
    progress.enroll(trainee, course)
    with translation.override("es"):
        attempt = start_attempt(trainee, exercise, language="es")
    client.force_login(trainee)
    return {"client": client, "attempt": attempt, "exercise": exercise}


def spoil(good, fields):
    """``good`` with some fields replaced by nasty values, sent twice, or dropped."""
    value = st.one_of(
        nasty_text(), nasty_integer_text(), nasty_date_text(), st.lists(nasty_text(max_size=10), min_size=2, max_size=3)
    )
    changes = st.dictionaries(st.sampled_from(sorted(fields)), st.one_of(value, st.none()), min_size=1, max_size=5)
    return changes.map(lambda c: {k: v for k, v in {**good, **c}.items() if v is not None})


def shown_errors(response, form_name="form"):
    message = context_value(response, "message")  # practice/error.html (e.g. a form too large)
    return (
        bad_request_page(response)
        or ([str(message)] if message else [])
        or form_errors(context_value(response, form_name))
    )


@FUZZ
@given(data=st.data())
def test_record_entry(setup, data):
    client, attempt = setup["client"], setup["attempt"]
    task = setup["exercise"].entry_tasks.get()
    payload = data.draw(spoil(right_entry(), EntryForm.base_fields))
    with rolled_back():
        before = row_counts(*SANDBOX)
        response = client.post(f"/es/practice/attempts/{attempt.pk}/entry/{task.pk}/", payload)
        assert_no_server_error(response)
        if response.status_code >= 400:
            assert row_counts(*SANDBOX) == before
            messages = shown_errors(response)
            if not messages:  # refused as a possible duplicate: the matches are listed
                assert context_value(response, "matches")
                return
            assert_shown(response, messages)
            assert_spanish(messages)
        else:
            assert response.status_code == 303


@FUZZ
@given(data=st.data())
def test_search(setup, data):
    client, attempt = setup["client"], setup["attempt"]
    good = {"text": "ortiz", "caliber": "9mm", "date_from": "2025-01-01", "date_to": "2026-01-01", "page": "1"}
    payload = data.draw(spoil(good, SearchForm.base_fields))
    with rolled_back():
        before = row_counts(*SANDBOX)
        response = client.post(f"/es/practice/attempts/{attempt.pk}/search/", payload)
        assert_no_server_error(response)
        assert row_counts(*SANDBOX) == before
        if response.status_code >= 400:
            messages = shown_errors(response)
            assert_shown(response, messages)
            assert_spanish(messages)


@FUZZ
@given(data=st.data())
def test_retrieval_answers(setup, data):
    client, attempt = setup["client"], setup["attempt"]
    task = setup["exercise"].retrieval_tasks.get()
    good = {f"r-{task.pk}-count": "2", f"r-{task.pk}-person": "maria jose ortiz", f"r-{task.pk}-record": "SZ-1"}
    payload = data.draw(spoil(good, [*good, "action"]))
    with rolled_back():
        before = row_counts(*SANDBOX)
        response = client.post(f"/es/practice/attempts/{attempt.pk}/submit/", payload)
        assert_no_server_error(response)
        if response.status_code >= 400:
            assert row_counts(*SANDBOX) == before
            error_list = context_value(response, "questions")
            messages = bad_request_page(response)
            if not messages and context_value(response, "message") is not None:
                messages = [str(context_value(response, "message"))]
            if not messages and error_list is not None:
                messages = [q.error for q in error_list if q.error]
            assert_shown(response, messages)
            assert_spanish(messages)
        else:
            assert response.status_code == 303


def test_found_bugs_stay_fixed(setup):
    """The two practice bugs the fuzzing found, as fixed examples."""
    client, attempt = setup["client"], setup["attempt"]
    task = setup["exercise"].retrieval_tasks.get()
    for action in ("save", "submit"):
        # A NUL in an answer was stored raw: a 500 on PostgreSQL.
        response = client.post(
            f"/es/practice/attempts/{attempt.pk}/submit/", {f"r-{task.pk}-person": "a\x00b", "action": action}
        )
        assert response.status_code == 400
        assert not RetrievalAnswer.objects.filter(attempt=attempt).exists()
        assert_spanish([q.error for q in context_value(response, "questions") if q.error])
    # A bad hidden page number was refused without saying why.
    response = client.post(f"/es/practice/attempts/{attempt.pk}/search/", {"text": "ortiz", "page": "0"})
    assert response.status_code == 400
    messages = form_errors(context_value(response, "form"))
    assert_shown(response, messages)
    assert_spanish(messages)
