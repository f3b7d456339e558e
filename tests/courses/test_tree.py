"""The course page tree: allowed types both ways, creation in the admin as an
instructor, translated fields and Spanish slugs."""

import pytest
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, StepPage
from lms.models import HomePage
from tests.factories import make_instructor, make_trainee

pytestmark = pytest.mark.django_db


def test_allowed_subpage_types(page_asserts):
    page_asserts.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
    page_asserts.assertAllowedSubpageTypes(CoursePage, {ModulePage})
    page_asserts.assertAllowedSubpageTypes(LessonPage, set())
    # Any step type, from any app, fits in a module; nothing else does.
    step_types = set(ModulePage.clean_subpage_models())
    assert LessonPage in step_types
    assert all(issubclass(model, StepPage) for model in step_types)
    page_asserts.assertAllowedSubpageTypes(ModulePage, step_types)


def test_allowed_parent_page_types(page_asserts):
    page_asserts.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
    page_asserts.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
    page_asserts.assertAllowedParentPageTypes(ModulePage, {CoursePage})
    page_asserts.assertAllowedParentPageTypes(LessonPage, {ModulePage})
    page_asserts.assertCanNotCreateAt(CourseIndexPage, LessonPage)
    page_asserts.assertCanNotCreateAt(Page, CoursePage)


def lesson_form(**overrides):
    data = {
        "title_en": "Ports of entry",
        "title_es": "Puertos de entrada",
        "slug_en": "ports-of-entry",
        "slug_es": "puertos-de-entrada",
        "intro_en": "What happens at a port of entry.",
        "intro_es": "Qué pasa en un puerto de entrada.",
        "body_en": streamfield(
            [
                ("rich_text", rich_text("<p>Officers inspect vehicles leaving the country.</p>")),
                (
                    "callout",
                    {
                        "kind": "red_flag",
                        "title": "Fresh welds",
                        "text": rich_text("<p>New welds under a car may hide a compartment.</p>"),
                    },
                ),
            ]
        ),
        "body_es": streamfield(
            [("rich_text", rich_text("<p>Los oficiales revisan los vehículos que salen del país.</p>"))]
        ),
        "is_required": "on",
        "estimated_minutes": "7",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_instructor_creates_a_translated_lesson_in_the_admin(client, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(make_instructor())
    response = client.post(f"/admin/pages/add/courses/lessonpage/{module.pk}/", lesson_form())
    assert response.status_code == 302, response.content[:3000]
    lesson = LessonPage.objects.get(slug_en="ports-of-entry")
    assert lesson.live and lesson.get_parent().pk == module.pk
    assert lesson.title_es == "Puertos de entrada" and lesson.estimated_minutes == 7
    assert [block.block_type for block in lesson.body_en] == ["rich_text", "callout"]
    assert lesson.body_en[1].value["kind"] == "red_flag"
    assert "Los oficiales" in str(lesson.body_es[0].value)
    # Each language is served under its own slug.
    with translation.override("es"):
        es_url = lesson.get_url()
    assert es_url.startswith("/es/") and es_url.endswith("/puertos-de-entrada/")
    assert lesson.get_url().endswith("/ports-of-entry/")


def test_instructor_cannot_put_a_lesson_directly_in_a_course(client, course):
    client.force_login(make_instructor())
    response = client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form())
    # Wagtail refuses by sending the user back to the dashboard.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not LessonPage.objects.filter(slug_en="ports-of-entry").exists()


def test_trainee_cannot_author(client, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(make_trainee())
    response = client.post(f"/admin/pages/add/courses/lessonpage/{module.pk}/", lesson_form())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not LessonPage.objects.filter(slug_en="ports-of-entry").exists()


def test_spanish_url_uses_spanish_slug(client, course, lessons):
    lesson = lessons[0]
    lesson.slug_es = "primera-leccion"
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    with translation.override("es"):
        es_url = lesson.get_url()
    assert es_url.endswith("/primera-leccion/")
    response = client.get(es_url)
    assert response.status_code == 200
    assert response.context["page"].pk == lesson.pk
    assert '<html lang="es">' in response.content.decode()
    # The English slug under /es/ is not the Spanish page.
    en_slug_under_es = es_url.replace("primera-leccion", lesson.slug_en)
    assert client.get(en_slug_under_es).status_code == 404
    assert client.get(lesson.get_url()).status_code == 200
