"""Enrolling through the site: who may, who is refused and why."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from courses import progress
from courses.models import Audience, Enrollment
from tests.courses.factories import make_course
from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


def enrol_url(course, lang="en"):
    return f"/{lang}/learning/enrol/{course.pk}/"


def test_url_names():
    assert reverse("enrol", args=[3]) == "/en/learning/enrol/3/"
    assert reverse("complete_step", args=[3]) == "/en/learning/complete/3/"


def test_trainee_enrols_in_an_open_course(client, course):
    user = make_trainee()
    client.force_login(user)
    page = BeautifulSoup(client.get(course.get_url()).content, "html.parser")
    assert page.find("form", action=enrol_url(course))
    response = client.post(enrol_url(course), follow=True)
    assert response.redirect_chain[0] == (course.get_url(), 302)
    assert Enrollment.objects.filter(user=user, course=course, is_current=True).count() == 1
    assert "You are enrolled" in response.content.decode()
    # Enrolling again changes nothing.
    client.post(enrol_url(course))
    assert Enrollment.objects.filter(user=user).count() == 1


def test_restricted_course_refuses_other_agencies_with_a_reason(client, course, agency, other_agency):
    course.audience = Audience.RESTRICTED
    course.save()
    course.agencies.set([agency])
    course.save()
    outsider = make_trainee(agency=other_agency)
    client.force_login(outsider)
    page = BeautifulSoup(client.get(course.get_url()).content, "html.parser")
    assert "open only to trainees of the agencies it lists" in page.find(attrs={"data-testid": "enrol-box"}).get_text()
    response = client.post(enrol_url(course))
    assert response.status_code == 403
    assert "This course is open only to trainees of the agencies it lists." in response.content.decode()
    assert not Enrollment.objects.exists()
    insider = make_trainee(agency=agency)
    client.force_login(insider)
    assert client.post(enrol_url(course)).status_code == 302
    assert Enrollment.objects.filter(user=insider).exists()


def test_prerequisites_are_enforced(client, course, course_index):
    advanced = make_course(course_index, code="T-2", title="Advanced")
    advanced.prerequisites.set([course])
    advanced.save()
    user = make_trainee()
    client.force_login(user)
    response = client.post(enrol_url(advanced))
    assert response.status_code == 403
    assert "Complete these courses first: Test course." in response.content.decode()
    assert not Enrollment.objects.filter(course=advanced).exists()
    progress.enroll(user, course)
    from courses.models import LessonPage

    for lesson in LessonPage.objects.descendant_of(course):
        progress.complete_step(user, lesson)
    assert client.post(enrol_url(advanced)).status_code == 302
    assert Enrollment.objects.filter(user=user, course=advanced).exists()


def test_enrol_needs_post_csrf_and_login(course):
    client = Client(enforce_csrf_checks=True)
    response = client.post(enrol_url(course))
    assert response.status_code == 403  # CSRF before anything else
    client = Client()
    response = client.post(enrol_url(course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_trainee())
    assert client.get(enrol_url(course)).status_code == 405
    assert client.post("/en/learning/enrol/999999/").status_code == 404
    assert client.post("/en/learning/enrol/99999999999999999999/").status_code == 404
    assert not Enrollment.objects.exists()


def test_draft_course_refuses(client, course):
    course.unpublish()
    client.force_login(make_trainee())
    response = client.post(enrol_url(course))
    assert response.status_code == 403
    assert "This course is not published." in response.content.decode()
    assert not Enrollment.objects.exists()
