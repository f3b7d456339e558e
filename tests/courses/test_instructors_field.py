"""Weakness 3: who teaches a course is set by administrators only. An
instructor who posts the course edit form with their own id in
``instructors`` does not become its instructor."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses import permissions
from tests.factories import make_administrator, make_instructor

pytestmark = pytest.mark.django_db


def course_form(course, instructors=()):
    data = {
        "title_en": course.title_en,
        "title_es": course.title_es,
        "slug_en": course.slug_en,
        "slug_es": course.slug_es,
        "code": course.code,
        "summary_en": "Changed summary",
        "summary_es": "Resumen cambiado",
        "intro_en": rich_text(""),
        "intro_es": rich_text(""),
        "credit_hours": "2.0",
        "estimated_minutes": "60",
        "validity_months": "",
        "audience": "open",
        "sequencing": "free",
        "action-publish": "action-publish",
    }
    form = nested_form_data(data)
    form["instructors"] = [str(pk) for pk in instructors]
    return form


def test_instructor_cannot_make_themselves_instructor_of_a_course(client, course):
    intruder = make_instructor()
    client.force_login(intruder)
    page = client.get(f"/admin/pages/{course.pk}/edit/")
    assert page.status_code == 200
    assert 'name="instructors"' not in page.content.decode()
    response = client.post(f"/admin/pages/{course.pk}/edit/", course_form(course, instructors=[intruder.pk]))
    assert response.status_code == 302, response.content[:2000]
    course.refresh_from_db()
    assert course.summary_en == "Changed summary"  # the edit itself went through
    assert not course.instructors.filter(pk=intruder.pk).exists()
    assert not permissions.taught_courses(intruder).filter(pk=course.pk).exists()


def test_administrator_sets_who_teaches(client, course):
    teacher = make_instructor()
    client.force_login(make_administrator())
    response = client.post(f"/admin/pages/{course.pk}/edit/", course_form(course, instructors=[teacher.pk]))
    assert response.status_code == 302, response.content[:2000]
    course.refresh_from_db()
    assert list(course.instructors.all()) == [teacher]
