"""Double clicks and concurrent requests record one completion and complete
the course once (PostgreSQL: real concurrent transactions).

``serialized_rollback`` restores what the migrations created (root page,
roles) after an earlier transactional test flushed the database."""

import threading

import pytest
from django.db import connection

from courses import progress
from courses.models import Enrollment, LessonPage, StepCompletion
from courses.signals import course_completed
from tests.courses.factories import make_course
from tests.factories import make_trainee

THREADS = 6


def run_together(target, count=THREADS):
    barrier = threading.Barrier(count)
    errors = []

    def worker(index):
        try:
            barrier.wait()
            target(index)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completions_record_once_and_complete_the_course_once(postgres_only, site_pages):
    course = make_course(site_pages["courses"], code="C-1", modules=1, lessons=2)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    user = make_trainee()
    progress.enroll(user, course)
    progress.complete_step(user, lessons[0])
    sent = []
    course_completed.connect(lambda sender, enrollment, **kw: sent.append(enrollment.pk), weak=False, dispatch_uid="cc")
    try:
        # Everyone presses "Mark as complete" on the last step at once.
        errors = run_together(lambda i: progress.complete_step(user, LessonPage.objects.get(pk=lessons[1].pk)))
    finally:
        course_completed.disconnect(dispatch_uid="cc")
    assert errors == []
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.completed_at is not None
    assert StepCompletion.objects.filter(enrollment=enrollment, page_id=lessons[1].pk).count() == 1
    assert sent == [enrollment.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_posts_through_the_view(postgres_only, site_pages):
    from django.test import Client

    course = make_course(site_pages["courses"], code="C-2", modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(course).get()
    user = make_trainee()
    progress.enroll(user, course)
    statuses = []

    def post(index):
        client = Client()
        client.force_login(user)
        statuses.append(client.post(f"/en/learning/complete/{lesson.pk}/").status_code)

    assert run_together(post) == []
    assert statuses == [302] * THREADS
    assert StepCompletion.objects.count() == 1
    assert Enrollment.objects.get(user=user).completed_at is not None
