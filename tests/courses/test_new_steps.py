"""A required step added to a course a trainee is in shows as "New" in the
outline until they complete it (issue 13; docs/decisions/0006)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from wagtail.models import Page

from courses import progress, structure
from courses.models import Enrollment, LessonPage, ModulePage, StepCompletion
from tests.courses.factories import lesson_body
from tests.factories import add_page, make_trainee

pytestmark = pytest.mark.django_db


def new_titles(client, page, lang="en"):
    with translation.override(lang):
        url = page.get_url()
    html = BeautifulSoup(client.get(url).content, "html.parser")
    return [
        item.select_one("a").get_text() for item in html.select(".step-list .step") if item.select(".badge.new")
    ], html


def test_a_step_added_after_the_trainee_was_there_shows_as_new(client, course, lessons):
    now = timezone.now()
    Page.objects.descendant_of(course, inclusive=True).update(first_published_at=now - timedelta(days=3))
    structure.build(course.pk)
    user = make_trainee()
    enrollment = progress.enroll(user, course)
    progress.complete_step(user, lessons[0])
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=now - timedelta(days=2))
    StepCompletion.objects.filter(enrollment=enrollment).update(completed_at=now - timedelta(days=1))
    client.force_login(user)
    assert new_titles(client, lessons[1])[0] == []

    first, second = ModulePage.objects.child_of(course).order_by("path")
    added = add_page(first, LessonPage, "Added lesson", "Lección añadida", body_en=lesson_body("new"))
    titles, html = new_titles(client, lessons[1])
    assert titles == ["Added lesson"]
    assert html.select_one(".badge.new").get_text() == "New"
    titles, html = new_titles(client, lessons[1], "es")
    assert titles == ["Lección añadida"] and html.select_one(".badge.new").get_text() == "Nuevo"

    # In a module without completions, "after the enrolment" decides.
    later = add_page(second, LessonPage, "Second added", body_en=lesson_body("new"))
    assert progress.progress_of(user, course).new_ids == {added.pk, later.pk}

    # Done, it is no longer new; the old steps never were.
    progress.complete_step(user, added)
    assert new_titles(client, lessons[1])[0] == []
    assert progress.progress_of(user, course).new_ids == {later.pk}


def test_nothing_is_new_for_someone_not_enrolled(client, course, lessons):
    add_page(ModulePage.objects.child_of(course).first(), LessonPage, "Added lesson", body_en=lesson_body("x"))
    user = make_trainee()
    assert progress.progress_of(user, course).new_ids == set()
