"""Fuzzing the quiz attempt form: submit and autosave (``action=save`` with
``autosave=1``, as the page's script sends it), with NUL bytes, unknown and
duplicated fields, foreign answers, huge and wrong-typed values.

No input gives a 5xx; a refused form stores no answer and grades nothing;
the refusal is explained in Spanish under /es/.
"""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from courses import progress
from quizzes.attempts import start_attempt
from quizzes.models import AttemptAnswer, AttemptQuestion, QuizAttempt
from tests.factories import make_trainee
from tests.quizzes.factories import first_module, make_question, make_quiz

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    bad_request_page,
    context_value,
    nasty_integer_text,
    nasty_text,
    rolled_back,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(course_index, client):
    from tests.courses.factories import make_course

    course = make_course(course_index, modules=1, lessons=1)
    quiz = make_quiz(first_module(course), questions=2, extra_questions=[make_question(kind="multiple", correct=2)])
    trainee = make_trainee(language="es")
    progress.enroll(trainee, course)
    with translation.override("es"):
        attempt = start_attempt(trainee, quiz, language="es")
    client.force_login(trainee)
    rows = list(attempt.questions.order_by("position"))
    keys = [str(key) for row in rows for key in row.question.choices.values_list("key", flat=True)]
    return {
        "client": client,
        "attempt": attempt,
        "rows": rows,
        "keys": keys,
        "url": f"/es/quizzes/attempts/{attempt.pk}/",
    }


def payloads(rows, keys):
    names = st.one_of(
        st.sampled_from([f"q-{row.pk}" for row in rows] + ["q-", "q-0", "q--1", "q-" + "9" * 30, "q-\x00"]),
        st.builds(lambda n: f"q-{n}", nasty_integer_text()),
        nasty_text(max_size=12),
    )
    values = st.one_of(st.sampled_from(keys), st.uuids().map(str), nasty_text(), nasty_integer_text())
    answers = st.dictionaries(names, st.lists(values, min_size=1, max_size=4), max_size=6)
    action = st.fixed_dictionaries(
        {},
        optional={
            "action": st.one_of(st.sampled_from(["save", "submit"]), nasty_text(max_size=10)),
            "autosave": st.one_of(st.just("1"), nasty_text(max_size=5)),
        },
    )
    return st.builds(lambda a, b: {**a, **b}, answers, action)


def stored(attempt):
    return (
        AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count(),
        AttemptQuestion.objects.filter(attempt=attempt, earned__isnull=False).count(),
        QuizAttempt.objects.get(pk=attempt.pk).status,
    )


@FUZZ
@given(data=st.data())
def test_submit_and_autosave(setup, data):
    client, attempt = setup["client"], setup["attempt"]
    payload = data.draw(payloads(setup["rows"], setup["keys"]))
    with rolled_back():
        before = stored(attempt)
        response = client.post(setup["url"], payload)
        assert_no_server_error(response)
        after = stored(attempt)
        if response.status_code >= 400:
            assert after == before, "a refused form changed the attempt"
            error = context_value(response, "error")
            if bad_request_page(response):
                messages = bad_request_page(response)
            elif error is not None:  # the attempt page with the problems marked
                messages = [str(m) for m in [*error.errors.values(), *error.general]]
            else:  # the error page
                messages = [str(context_value(response, "message"))]
            assert_shown(response, messages)
            assert_spanish(messages)
        elif response.status_code == 204:
            assert payload.get("autosave") == "1" and after[1] == 0
        else:
            assert response.status_code == 303
