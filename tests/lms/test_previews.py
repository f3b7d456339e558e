"""Wall 1 of issue 13: the editor's preview panel shows the page, in English
and in Spanish, while every other response still refuses to be framed."""

import pytest
from django.conf import settings
from django.test import RequestFactory

from lms.previews import BilingualPreviewMixin
from tests.factories import make_instructor

pytestmark = pytest.mark.django_db


def frame_ancestors(response):
    policy = response.headers.get("Content-Security-Policy", "")
    return [part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")]


def admin_request(user):
    request = RequestFactory().get("/admin/pages/1/edit/preview/")
    request.user = user
    return request


@pytest.mark.parametrize(("mode", "expected"), [("en", "Test course lesson 1.1"), ("es", "Test course lección 1.1")])
def test_preview_of_a_lesson_may_be_framed_by_the_admin_in_either_language(course, mode, expected):
    lesson = course.get_descendants().type(BilingualPreviewMixin).filter(title_en="Test course lesson 1.1").first()
    response = lesson.specific.make_preview_request(admin_request(make_instructor()), mode)
    assert response.status_code == 200
    assert frame_ancestors(response) == ["frame-ancestors 'self'"]
    html = response.content.decode()
    assert expected in html
    assert f'lang="{mode}"' in html


def test_every_course_page_type_offers_both_languages(course):
    for page in course.get_descendants(inclusive=True).specific():
        assert [code for code, _label in page.preview_modes] == ["en", "es"], page


def test_public_pages_still_refuse_framing(client, course):
    response = client.get(course.get_descendants().live().last().specific.get_url())
    assert response.status_code == 200
    assert frame_ancestors(response) == ["frame-ancestors 'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_admin_preview_view_is_framed_by_its_own_origin_only(client, course):
    """Through Wagtail's own preview view, as the side panel loads it."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    lesson = course.get_descendants().live().last().specific
    client.force_login(make_instructor())
    data = nested_form_data(
        {
            "title_en": lesson.title_en,
            "title_es": "Lección en vista previa",
            "slug_en": lesson.slug_en,
            "slug_es": lesson.slug_es,
            "intro_en": "",
            "intro_es": "",
            "body_en": streamfield([("rich_text", rich_text("<p>Body</p>"))]),
            "body_es": streamfield([("rich_text", rich_text("<p>Cuerpo</p>"))]),
            "is_required": "on",
            "estimated_minutes": "10",
            "comments": inline_formset([]),
        }
    )
    url = f"/admin/pages/{lesson.pk}/edit/preview/"
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url, {"mode": "es", "in_preview_panel": "true"})
    assert response.status_code == 200
    assert frame_ancestors(response) == ["frame-ancestors 'self'"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Lección en vista previa" in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the admin keeps its language
