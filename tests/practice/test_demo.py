import pytest

from courses.models import LessonPage, ModulePage
from practice import demo
from practice.models import ExercisePage, Record
from practice.search import search
from tests.factories import add_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def ac100(course_index):
    from tests.courses.factories import make_course

    course = make_course(course_index, code="AC-100", modules=3, lessons=1)
    third = list(ModulePage.objects.child_of(course).order_by("path"))[2]
    add_page(third, LessonPage, "Module 3 closing step", "Paso final del módulo 3")
    return course


def test_demo_exercise_is_built_before_the_last_step_and_idempotent(ac100):
    exercise = demo.load()
    module = demo.third_module()
    children = list(module.get_children().order_by("path").specific())
    assert [type(page) for page in children[-2:]] == [ExercisePage, LessonPage]
    assert exercise.title_es == "Práctica: capturar y localizar registros de casos"
    seed = Record.objects.filter(exercise=exercise, attempt__isnull=True).count()
    assert 300 <= seed <= 320
    # The content loader moves its own pages last; a second load puts it back.
    exercise.move(module, pos="last-child")
    again = demo.load()
    assert again.pk == exercise.pk
    assert Record.objects.filter(exercise=exercise, attempt__isnull=True).count() == seed
    children = list(module.get_children().order_by("path").specific())
    assert [type(page) for page in children[-2:]] == [ExercisePage, LessonPage]


def test_demo_answers_hold(ac100, django_user_model):
    from courses import progress
    from practice.attempts import start_attempt

    exercise = demo.load()
    user = django_user_model.objects.create(username="t")
    progress.enroll(user, ac100)
    attempt = start_attempt(user, exercise)
    march = search(
        attempt,
        {
            "kind": "seizure",
            "firearm_type": "rifle",
            "caliber": "7.62x39",
            "port_of_entry": "Nogales, Arizona",
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
        },
    )
    assert march.total == len(demo.NOGALES_MARCH)
    people = [link.person.code for record in march.records for link in record.record_persons.all()]
    assert people.count(demo.LINKING_PERSON) == 2
    assert [r.reference for r in search(attempt, {"text": "zurdo"}).records] == [demo.ZURDO_ARREST]
    assert [r.reference for r in search(attempt, {"serial": demo.ENTRY_SERIAL}).records] == [demo.EVENT_REF]


def test_without_ac100_nothing_happens(course_index):
    assert demo.load() is None
    assert not ExercisePage.objects.exists()
