import pytest

from courses import progress
from courses.models import LessonPage
from quizzes.attempts import start_attempt
from quizzes.grading import submit_attempt
from tests.factories import make_administrator, make_coordinator, make_instructor, make_trainee
from tests.quizzes.factories import first_module, make_quiz, wrong_answers


@pytest.fixture
def course(course_index):
    """One module: a lesson, then the module quiz (one attempt allowed)."""
    from tests.courses.factories import make_course

    return make_course(course_index, modules=1, lessons=1)


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).get()


@pytest.fixture
def quiz(course):
    return make_quiz(first_module(course), questions=2, title="Module quiz", max_attempts=1)


@pytest.fixture
def instructor(course):
    user = make_instructor(first_name="Inés", last_name="Instructora")
    course.instructors.add(user)
    course.save()
    return user


@pytest.fixture
def other_instructor(course_index):
    """The instructor of another course."""
    from tests.courses.factories import make_course

    other = make_course(course_index, code="OTHER-1", title="Other course", modules=1, lessons=1)
    user = make_instructor(username="other-instructor")
    other.instructors.add(user)
    other.save()
    return user


@pytest.fixture
def administrator(db):
    return make_administrator(username="admin-gb")


@pytest.fixture
def trainee(course, quiz, lesson, agency):
    """Enrolled, lesson done, module quiz failed on its only attempt."""
    user = make_trainee(agency=agency, first_name="Ana", last_name="Ruiz", username="ana")
    progress.enroll(user, course)
    progress.complete_step(user, lesson)
    attempt = start_attempt(user, quiz)
    submit_attempt(attempt, wrong_answers(attempt))
    return user


@pytest.fixture
def failed_attempt(trainee, quiz):
    return quiz.attempts.get(user=trainee)


@pytest.fixture
def other_trainee(course, other_agency):
    user = make_trainee(agency=other_agency, first_name="Luis", last_name="Pérez", username="luis")
    progress.enroll(user, course)
    return user


@pytest.fixture
def coordinator(agency):
    return make_coordinator(agency=agency, username="coord")
