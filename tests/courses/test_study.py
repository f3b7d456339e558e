"""Studying: lesson pages, marking steps complete, resuming, bad input."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from courses import progress
from courses.models import Enrollment, StepCompletion
from tests.factories import make_instructor, make_trainee

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def complete_url(page, lang="en"):
    with translation.override(lang):
        return reverse("complete_step", args=[page.pk])


@pytest.fixture
def trainee(client, course):
    user = make_trainee()
    progress.enroll(user, course)
    client.force_login(user)
    return user


def test_lesson_shows_outline_with_ticks_progress_and_neighbours(client, trainee, lessons):
    progress.complete_step(trainee, lessons[0])
    page = soup(client.get(lessons[1].get_url()))
    assert "Lesson 1.2 body" in page.get_text()
    bar = page.find("progress")
    assert bar["value"] == "25" and bar["max"] == "100"
    assert page.find("label", attrs={"for": bar["id"]}).get_text(strip=True) == "Course progress"
    steps = page.select(".study-sidebar .step")
    assert len(steps) == 2  # the current module's steps
    # The completed step is marked by text and icon, not colour alone.
    assert steps[0].find(class_="step-state-text").get_text() == "Done"
    assert steps[0].find("svg")["aria-hidden"] == "true"
    assert steps[1].find(class_="visually-hidden").get_text() == "Not done yet"
    assert steps[1].find("a")["aria-current"] == "step"
    assert page.find("a", rel="prev")["href"] == lessons[0].get_url()
    assert page.find("a", rel="next")["href"] == lessons[2].get_url()
    form = page.find("form", action=complete_url(lessons[1]))
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_mark_complete_redirects_to_next_step_and_is_idempotent(client, trainee, lessons):
    response = client.post(complete_url(lessons[0]))
    assert response.status_code == 302 and response["Location"] == lessons[1].get_url()
    response = client.post(complete_url(lessons[0]))  # a double click
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=trainee)
    assert StepCompletion.objects.filter(enrollment=enrollment).count() == 1
    page = soup(client.get(lessons[0].get_url()))
    assert page.find(attrs={"data-testid": "step-done"})
    assert not page.find(attrs={"data-testid": "mark-complete"})


def test_completing_the_last_step_completes_the_course(client, trainee, lessons, course):
    for lesson in lessons[:-1]:
        client.post(complete_url(lesson))
    response = client.post(complete_url(lessons[-1]), follow=True)
    assert response.redirect_chain[-1][0] == course.get_url()
    assert "you completed" in response.content.decode()
    enrollment = Enrollment.objects.get(user=trainee)
    assert enrollment.completed_at is not None
    assert soup(response).find("progress")["value"] == "100"


def test_mark_complete_requires_post_and_csrf(course, lessons):
    from django.test import Client

    user = make_trainee()
    progress.enroll(user, course)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.get(complete_url(lessons[0])).status_code == 405
    assert strict.post(complete_url(lessons[0])).status_code == 403
    assert not StepCompletion.objects.exists()
    # With the token from the lesson page it works.
    page = soup(strict.get(lessons[0].get_url()))
    token = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert strict.post(complete_url(lessons[0]), {"csrfmiddlewaretoken": token}).status_code == 302
    assert StepCompletion.objects.count() == 1


def test_refuses_when_not_enrolled(client, lessons):
    client.force_login(make_trainee())
    response = client.post(complete_url(lessons[0]))
    assert response.status_code == 403
    assert "You are not enrolled in this course." in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_refuses_a_page_that_is_not_a_step(client, trainee, course):
    response = client.post(complete_url(course))
    assert response.status_code == 400
    assert "This page is not a course step." in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_refuses_a_draft_step(client, trainee, lessons):
    lessons[0].unpublish()
    response = client.post(complete_url(lessons[0]))
    assert response.status_code == 404
    assert "This step is not published." in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_refuses_steps_completed_only_by_passing_them(client, trainee, lessons, monkeypatch):
    monkeypatch.setattr(type(lessons[0]), "manual_completion", False)
    assert not soup(client.get(lessons[0].get_url())).find(attrs={"data-testid": "mark-complete"})
    response = client.post(complete_url(lessons[0]))
    assert response.status_code == 400
    assert "completed by passing it" in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_refusal_is_translated(client, lessons):
    client.force_login(make_trainee())
    response = client.post(complete_url(lessons[0], "es"))
    assert response.status_code == 403
    assert "No está inscrito en este curso." in response.content.decode()


def test_unknown_page_is_404_and_anonymous_goes_to_login(client, lessons):
    client.force_login(make_trainee())
    assert client.post("/en/learning/complete/999999/").status_code == 404
    assert client.post("/en/learning/complete/99999999999999999999/").status_code == 404
    client.logout()
    response = client.post(complete_url(lessons[0]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not StepCompletion.objects.exists()


def test_visiting_a_lesson_records_the_resume_point(client, trainee, lessons, course):
    client.get(lessons[2].get_url())
    enrollment = Enrollment.objects.get(user=trainee)
    assert enrollment.last_step_id == lessons[2].pk and enrollment.last_activity_at is not None
    page = soup(client.get(course.get_url()))
    resume = page.find(attrs={"data-testid": "resume"})
    assert resume["href"] == lessons[2].get_url()
    assert "Continue where you left off" in resume.get_text()


def test_unenrolled_and_anonymous_see_outline_but_not_bodies(client, course, lessons):
    for who in (None, make_trainee()):
        if who:
            client.force_login(who)
        page = soup(client.get(lessons[0].get_url()))
        assert "Lesson 1.1 body" not in page.get_text()
        assert page.select(".study-sidebar .step a")[0]["href"] == lessons[0].get_url()
        course_page = soup(client.get(course.get_url()))
        assert len(course_page.select(".outline .step")) == len(lessons)
        if who:
            assert page.find("form", action=reverse("enrol", args=[course.pk]))
        else:
            assert page.find(attrs={"data-testid": "enrol-box"}).find("a", href=lambda h: "/accounts/login/" in h)
    assert not Enrollment.objects.exists()


def test_instructor_previews_lesson_bodies_without_enrolling(client, lessons):
    client.force_login(make_instructor())
    page = soup(client.get(lessons[0].get_url()))
    assert "Lesson 1.1 body" in page.get_text()
    assert not page.find(attrs={"data-testid": "mark-complete"})


def test_missing_spanish_body_falls_back_to_english_with_a_notice(client, trainee, lessons):
    lesson = lessons[0]
    lesson.body_es = []
    lesson.save_revision().publish()
    with translation.override("es"):
        response = client.get(lesson.get_url())
    page = soup(response)
    body = page.find(class_="lesson-body")
    assert body["lang"] == "en" and "Lesson 1.1 body" in body.get_text()
    assert page.find(class_="notice")


def test_switching_language_mid_course_keeps_progress_and_resume_point(client, trainee, lessons, course):
    # Half the course in English, through the POST endpoint...
    for lesson in lessons[:2]:
        assert client.post(complete_url(lesson, "en")).status_code == 302
    client.get(lessons[2].get_url())
    # ...the rest in Spanish.
    with translation.override("es"):
        es_urls = [lesson.get_url() for lesson in lessons]
        es_course = course.get_url()
    assert es_urls[2].startswith("/es/") and es_urls[2] != lessons[2].get_url()
    page = soup(client.get(es_urls[2]))
    assert page.find("progress")["value"] == "50"
    assert page.find("h1").get_text() == lessons[2].title_es
    course_es = soup(client.get(es_course))
    assert len(course_es.select(".outline .step-state.done")) == 2
    resume = course_es.find(attrs={"data-testid": "resume"})
    assert resume["href"] == es_urls[2]
    en_resume = soup(client.get(course.get_url())).find(attrs={"data-testid": "resume"})
    assert en_resume["href"] == lessons[2].get_url()
    # Finishing in Spanish redirects within Spanish URLs.
    response = client.post(complete_url(lessons[2], "es"))
    assert response["Location"] == es_urls[3]
    client.post(complete_url(lessons[3], "es"))
    for url in (es_course, course.get_url()):
        assert soup(client.get(url)).find("progress")["value"] == "100"
    assert Enrollment.objects.get(user=trainee).completed_at is not None
    assert StepCompletion.objects.count() == 4


def test_trainee_cannot_see_another_trainees_progress(client, course, lessons):
    other = make_trainee()
    progress.enroll(other, course)
    progress.complete_step(other, lessons[0])
    progress.record_visit(other, lessons[1])
    client.force_login(make_trainee())
    page = soup(client.get(course.get_url()))
    assert not page.find("progress")
    assert not page.select(".step-state.done")
    assert not page.find(attrs={"data-testid": "resume"})
