import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import progress
from tests.factories import make_trainee, PASSWORD
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def test_smoke(client, course):
    user = make_trainee()
    progress.enroll(user, course)
    client.force_login(user)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    url = lessons[1].get_url()
    print(url)
    r = client.get(url)
    assert r.status_code == 200, r.content[:2000]
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    for q in ctx.captured_queries:
        import re; print(re.sub(r"SELECT .*? FROM", "SELECT .. FROM", q["sql"])[:400])
    print(len(ctx.captured_queries))
    r = client.get(course.get_url())
    assert r.status_code == 200
    open("/tmp/courses_scratch/course.html", "wb").write(r.content)
    r = client.get(url)
    open("/tmp/courses_scratch/lesson.html", "wb").write(r.content)
