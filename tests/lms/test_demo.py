import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from courses.duration import course_minutes
from courses.models import CoursePage
from lms.models import Agency, Profile
from practice.models import ExercisePage
from training.models import LoadedJobAid

pytestmark = pytest.mark.django_db


def snapshot():
    users = sorted(
        (u.username, u.profile.preferred_language, u.profile.agency.acronym, tuple(g.name for g in u.groups.all()))
        for u in get_user_model().objects.all()
    )
    return users, Agency.objects.count(), Profile.objects.count()


def test_load_demo_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = snapshot()
    course = CoursePage.objects.get(code="AC-100")
    # Its stated time is computed from its steps, the practice exercise included.
    assert ExercisePage.objects.descendant_of(course).exists()
    assert course.estimated_minutes == course_minutes(course)
    assert LoadedJobAid.objects.filter(course_code="AC-100").count() == 6  # three job aids, two languages
    call_command("load_demo")
    assert snapshot() == first
    assert CoursePage.objects.get(code="AC-100").estimated_minutes == course.estimated_minutes
    names = {row[0]: row for row in first[0]}
    assert names["trainee"][1] == "en" and names["aprendiz"][1] == "es"
    assert {"admin", "instructor", "coordinator", "trainee", "aprendiz"} <= set(names)
    assert Agency.objects.filter(country="US").exists() and Agency.objects.filter(country="MX").exists()
    assert get_user_model().objects.get(username="aprendiz").check_password("demo-Armas-2026")


def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not get_user_model().objects.filter(username="admin").exists()
