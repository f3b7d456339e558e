"""Sequencing (courses.progress): free or sequential order per course, with a
per-module override, enforced by ``complete_step`` and shown on the pages."""

import pytest
from django.core.cache import cache
from django.utils import translation

from courses import progress
from courses.exceptions import StepLocked
from courses.models import LessonPage, ModulePage, Sequencing, StepCompletion
from lms.i18n import page_url_in
from tests.courses.factories import make_course
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_outlines():
    cache.clear()
    yield
    cache.clear()


def tree(course):
    """[[lesson, lesson], [lesson, lesson]]: the lessons of each module."""
    return [
        list(LessonPage.objects.child_of(module).order_by("path"))
        for module in ModulePage.objects.child_of(course).order_by("path")
    ]


def enrolled(course):
    user = make_trainee()
    progress.enroll(user, course)
    return user


def set_module_sequencing(course, index, value):
    module = ModulePage.objects.child_of(course).order_by("path")[index]
    module.sequencing = value
    module.save_revision().publish()


def test_a_free_course_opens_every_step(course_index):
    course = make_course(course_index, code="SEQ-F")
    user = enrolled(course)
    lessons = tree(course)
    progress.complete_step(user, lessons[1][1])
    progress.complete_step(user, lessons[0][1])
    assert StepCompletion.objects.filter(enrollment__user=user).count() == 2


def test_a_sequential_course_refuses_a_step_before_the_ones_before_it(course_index):
    course = make_course(course_index, code="SEQ-S", sequencing=Sequencing.SEQUENTIAL)
    user = enrolled(course)
    lessons = tree(course)
    with pytest.raises(StepLocked) as refused:
        progress.complete_step(user, lessons[0][1])
    assert refused.value.blocker.page_id == lessons[0][0].pk
    assert str(refused.value.message) == f"This step opens once you have completed “{lessons[0][0].title}”."
    with pytest.raises(StepLocked) as refused:
        progress.complete_step(user, lessons[1][0])
    assert refused.value.blocker.page_id == lessons[0][0].pk
    assert not StepCompletion.objects.filter(enrollment__user=user).exists()

    for lesson in [lessons[0][0], lessons[0][1], lessons[1][0], lessons[1][1]]:
        progress.complete_step(user, lesson)
    enrollment = progress.current_enrollment(user, course)
    assert enrollment.completed_at is not None


def test_the_message_is_translated(course_index):
    course = make_course(course_index, code="SEQ-T", sequencing=Sequencing.SEQUENTIAL)
    user = enrolled(course)
    lessons = tree(course)
    with translation.override("es"), pytest.raises(StepLocked) as refused:
        progress.complete_step(user, lessons[0][1])
    assert str(refused.value.message).startswith("Este paso se abre cuando haya completado")


def test_an_optional_step_does_not_hold_the_next_one(course_index):
    course = make_course(course_index, code="SEQ-O", sequencing=Sequencing.SEQUENTIAL, modules=1, lessons=3)
    user = enrolled(course)
    first, second, third = tree(course)[0]
    second.is_required = False
    second.save_revision().publish()
    progress.complete_step(user, first)
    progress.complete_step(user, third)
    assert StepCompletion.objects.filter(enrollment__user=user).count() == 2


def test_a_free_module_in_a_sequential_course(course_index):
    """The module is free inside, but still waits for the modules before it."""
    course = make_course(course_index, code="SEQ-M", sequencing=Sequencing.SEQUENTIAL)
    set_module_sequencing(course, 1, Sequencing.FREE)
    user = enrolled(course)
    lessons = tree(course)
    with pytest.raises(StepLocked):
        progress.complete_step(user, lessons[1][1])
    progress.complete_step(user, lessons[0][0])
    progress.complete_step(user, lessons[0][1])
    progress.complete_step(user, lessons[1][1])  # out of order inside the free module


def test_a_sequential_module_in_a_free_course(course_index):
    course = make_course(course_index, code="SEQ-N")
    set_module_sequencing(course, 1, Sequencing.SEQUENTIAL)
    user = enrolled(course)
    lessons = tree(course)
    with pytest.raises(StepLocked) as refused:
        progress.complete_step(user, lessons[1][1])
    assert refused.value.blocker.page_id == lessons[1][0].pk
    progress.complete_step(user, lessons[1][0])  # the module does not wait for module 1
    progress.complete_step(user, lessons[1][1])
    progress.complete_step(user, lessons[0][1])  # module 1 stays free


def test_a_completed_course_and_a_done_step_stay_open(course_index):
    course = make_course(course_index, code="SEQ-C", sequencing=Sequencing.SEQUENTIAL, modules=1, lessons=2)
    user = enrolled(course)
    first, second = tree(course)[0]
    progress.complete_step(user, first)
    progress.complete_step(user, second)
    progress.complete_step(user, first)  # completing again is still fine
    state = progress.progress_of(user, course)
    assert state.blockers == {}


def test_the_lesson_page_says_why_it_is_locked_and_what_to_do(client, course_index):
    course = make_course(course_index, code="SEQ-P", sequencing=Sequencing.SEQUENTIAL)
    user = enrolled(course)
    lessons = tree(course)
    client.force_login(user)
    for lang, why in (("en", "This course is taken in order"), ("es", "Este curso se sigue en orden")):
        html = client.get(page_url_in(lessons[0][1], lang)).content.decode()
        assert 'data-testid="step-locked"' in html
        assert why in html
        assert f'href="{page_url_in(lessons[0][0], lang)}" data-testid="locked-go"' in html
        assert 'data-testid="mark-complete"' not in html
        assert "Lesson 1.2 body" not in html and "Cuerpo de la lección 1.2" not in html
    # The first lesson is open.
    html = client.get(page_url_in(lessons[0][0], "en")).content.decode()
    assert 'data-testid="step-locked"' not in html and "Lesson 1.1 body" in html


def test_the_outline_marks_locked_steps(client, course_index):
    course = make_course(course_index, code="SEQ-L", sequencing=Sequencing.SEQUENTIAL, modules=1, lessons=3)
    user = enrolled(course)
    client.force_login(user)
    html = client.get(page_url_in(ModulePage.objects.child_of(course).get(), "en")).content.decode()
    assert html.count('class="step is-locked"') == 2
