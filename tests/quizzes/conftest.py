import pytest
from django.db import connection

from courses import progress
from tests.factories import make_trainee
from tests.quizzes.factories import first_module, make_quiz


@pytest.fixture
def module(course):
    return first_module(course)


@pytest.fixture
def quiz(module):
    return make_quiz(module)


@pytest.fixture
def trainee(course):
    user = make_trainee()
    progress.enroll(user, course)
    return user


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrency)")
