import pytest

from courses import progress
from courses.models import ModulePage
from tests.factories import make_trainee
from tests.practice.factories import make_exercise


@pytest.fixture
def course(course_index):
    from tests.courses.factories import make_course

    return make_course(course_index, modules=1, lessons=1)


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).first()


@pytest.fixture
def exercise(module):
    return make_exercise(module)


@pytest.fixture
def trainee(course):
    user = make_trainee()
    progress.enroll(user, course)
    return user


@pytest.fixture
def attempt(trainee, exercise):
    from practice.attempts import start_attempt

    return start_attempt(trainee, exercise)
