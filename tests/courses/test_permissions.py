"""courses.permissions: who may follow which course, and read which lessons."""

import pytest

from courses import permissions, progress
from tests.courses.factories import make_course
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db


def test_taught_courses_and_progress_access(course, course_index, agency):
    other = make_course(course_index, code="T-2", title="Other")
    teacher = make_instructor()
    course.instructors.add(teacher)
    course.save()
    assert list(permissions.taught_courses(teacher)) == [course]
    assert permissions.may_view_course_progress(teacher, course)
    assert not permissions.may_view_course_progress(teacher, other)
    admin = make_administrator()
    assert permissions.may_view_course_progress(admin, other)
    for outsider in (make_trainee(), make_coordinator(agency=agency)):
        assert not permissions.may_follow_courses(outsider)
        assert not permissions.may_view_course_progress(outsider, course)
        assert not permissions.course_progress_enrollments(outsider, course).exists()


def test_readable_courses(course, course_index):
    other = make_course(course_index, code="T-2", title="Other")
    trainee = make_trainee()
    assert permissions.readable_course_ids(trainee) == set()
    progress.enroll(trainee, course)
    assert permissions.readable_course_ids(trainee) == {course.pk}
    assert other.pk not in permissions.readable_course_ids(trainee)
    assert permissions.readable_course_ids(make_instructor()) is None
    assert permissions.may_view_lesson_body(trainee, None) is False
