"""Random payloads at the submit endpoint: never a 500, never a partial write.

Each example runs inside a savepoint that is rolled back, so every example
starts from the same open attempt.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.attempts import start_attempt
from quizzes.models import AttemptAnswer, AttemptQuestion, QuizAttempt
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def setup(module, trainee, client):
    quiz = make_quiz(module, questions=2, extra_questions=[make_question(kind="multiple", correct=2, n=9)])
    attempt = start_attempt(trainee, quiz)
    client.force_login(trainee)
    rows = list(attempt.questions.order_by("position"))
    keys = {
        row.pk: [str(key) for key in row.question.choices.order_by("sort_order").values_list("key", flat=True)]
        for row in rows
    }
    return {
        "client": client,
        "attempt": attempt,
        "rows": rows,
        "keys": keys,
        "url": reverse("quizzes:attempt", args=[attempt.pk]),
    }


def payloads(rows, keys):
    names = st.one_of(
        st.sampled_from([f"q-{row.pk}" for row in rows] + ["q-", "q-0", "q--1", "q-99999999999999999999", "action"]),
        st.text(max_size=12),
    )
    all_keys = [key for values in keys.values() for key in values]
    values = st.one_of(
        st.sampled_from(all_keys + ["", "submit", "save", "0", "-1", "not-a-uuid"]),
        st.uuids().map(str),
        st.text(max_size=40),
    )
    return st.dictionaries(names, st.lists(values, min_size=0, max_size=5), max_size=8)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_payloads_never_500_and_never_write_partially(setup, data):
    client, attempt, rows = setup["client"], setup["attempt"], setup["rows"]
    payload = data.draw(payloads(rows, setup["keys"]))
    payload = {
        name.replace("\x00", ""): [value.replace("\x00", "") for value in values] for name, values in payload.items()
    }
    try:
        with transaction.atomic():
            response = client.post(setup["url"], payload)
            assert response.status_code < 500, response.status_code
            state = QuizAttempt.objects.get(pk=attempt.pk)
            answers = AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count()
            graded_rows = AttemptQuestion.objects.filter(attempt=attempt, earned__isnull=False).count()
            if response.status_code >= 400:
                assert state.is_open and answers == 0 and graded_rows == 0
            elif state.is_open:
                # A save: answers stored, nothing graded.
                assert response.status_code == 303 and graded_rows == 0
            else:
                # A complete, valid submission: graded as a whole.
                assert response.status_code == 303
                assert graded_rows == len(rows) and answers >= len(rows) and state.score is not None
            raise Rollback
    except Rollback:
        pass
