import pytest

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
def course(course_index):
    """A small published course (one module, one lesson): quizzes need no more."""
    from tests.courses.factories import make_course

    return make_course(course_index, modules=1, lessons=1)
