import pytest

from courses import progress
from courses.exceptions import (
    EnrollmentRefused,
    NotAStep,
    NotEnrolled,
    StepNotAvailable,
)
from courses.models import Audience, Enrollment, LessonPage, StepCompletion
from courses.signals import course_completed
from tests.factories import make_coordinator, make_trainee

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def test_completing_every_required_step_completes_the_course_once(course, django_capture_on_commit_callbacks):
    user = make_trainee()
    progress.enroll(user, course)
    received = []
    course_completed.connect(
        lambda sender, enrollment, **kw: received.append(enrollment.pk), weak=False, dispatch_uid="t1"
    )
    try:
        steps = lessons_of(course)
        with django_capture_on_commit_callbacks(execute=True):
            for step in steps:
                progress.complete_step(user, step)
            # A second completion of the last step changes nothing.
            progress.complete_step(user, steps[-1])
    finally:
        course_completed.disconnect(dispatch_uid="t1")
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.completed_at is not None
    assert StepCompletion.objects.filter(enrollment=enrollment).count() == len(steps)
    assert received == [enrollment.pk]


def test_percent_counts_required_steps_per_course_and_module(course):
    user = make_trainee()
    enrollment = progress.enroll(user, course)
    steps = lessons_of(course)
    progress.complete_step(user, steps[0])
    state = progress.progress_for(enrollment)
    assert state.percent == 25
    assert [m.percent for m in state.modules] == [50, 0]
    assert state.next_step.page_id == steps[1].pk


def test_refuses_unenrolled_non_steps_and_drafts(course):
    user = make_trainee()
    step = lessons_of(course)[0]
    with pytest.raises(NotEnrolled):
        progress.complete_step(user, step)
    progress.enroll(user, course)
    with pytest.raises(NotAStep):
        progress.complete_step(user, course)
    step.unpublish()
    with pytest.raises(StepNotAvailable):
        progress.complete_step(user, step)
    assert not StepCompletion.objects.exists()


def test_restricted_course_refuses_other_agencies(course, agency, other_agency):
    course.audience = Audience.RESTRICTED
    course.save()
    course.agencies.set([agency])
    course.save()
    with pytest.raises(EnrollmentRefused):
        progress.enroll(make_trainee(agency=other_agency), course)
    assert progress.enroll(make_trainee(agency=agency), course).pk


def test_coordinator_enrols_only_own_agency(course, agency, other_agency):
    coordinator = make_coordinator(agency=agency)
    mine = make_trainee(agency=agency)
    theirs = make_trainee(agency=other_agency)
    assert progress.enroll(mine, course, actor=coordinator).enrolled_by == coordinator
    with pytest.raises(EnrollmentRefused):
        progress.enroll(theirs, course, actor=coordinator)
    assert not Enrollment.objects.filter(user=theirs).exists()


def test_new_cycle_keeps_history(course):
    user = make_trainee()
    first = progress.enroll(user, course)
    for step in lessons_of(course):
        progress.complete_step(user, step)
    second = progress.start_new_cycle(user, course)
    assert second.cycle == 2 and second.completed_at is None
    first.refresh_from_db()
    assert not first.is_current and first.completed_at is not None
    assert progress.start_new_cycle(user, course).pk == second.pk
