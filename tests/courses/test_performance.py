"""A lesson page costs the same, small number of queries whatever the size
of the course."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import progress, structure
from courses.models import LessonPage
from tests.courses.factories import make_wide_course
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def lesson_queries(client, course, fresh_process=False):
    user = make_trainee()
    progress.enroll(user, course)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    progress.complete_step(user, lessons[0])
    client.force_login(user)
    assert client.get(lessons[0].get_url()).status_code == 200
    if fresh_process:
        # A process that has not parsed this course's structure yet.
        structure._parsed.clear()
    with CaptureQueriesContext(connection) as queries:
        # A step not visited before: the resume point is written too.
        response = client.get(lessons[3].get_url())
    assert response.status_code == 200
    assert response.context["progress"].required_total == len(lessons)
    return len(queries)


def test_lesson_page_queries_do_not_grow_with_the_course(client, course_index, django_assert_max_num_queries):
    small_course = make_wide_course(course_index, "Q-5", 5, title="Small")
    large_course = make_wide_course(course_index, "Q-200", 200, title="Large")
    small = lesson_queries(client, small_course)
    large = lesson_queries(client, large_course)
    assert small == large
    assert large <= MAX_QUERIES
    # In a process that meets the course's structure for the first time
    # (its data comes along in the same query), the same too.
    assert lesson_queries(client, small_course, fresh_process=True) == lesson_queries(
        client, large_course, fresh_process=True
    )
    assert lesson_queries(client, large_course, fresh_process=True) <= MAX_QUERIES
    # The same through pytest-django's assertion, on a revisit.
    lesson = LessonPage.objects.filter(slug_en="lesson-150").get()
    client.get(lesson.get_url())
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(lesson.get_url()).status_code == 200
