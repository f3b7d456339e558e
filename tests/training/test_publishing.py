"""The "Require Spanish before publishing" setting, through the admin views."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, Revision, Site
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from courses.models import LessonPage, ModulePage
from lms.models import HomePage
from tests.factories import make_administrator, make_instructor
from training.models import TranslationPolicySettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_spanish(site_pages):
    def switch(on=True):
        setting = TranslationPolicySettings.for_site(Site.objects.get(is_default_site=True))
        setting.require_spanish_to_publish = on
        setting.save()

    switch(True)
    return switch


@pytest.fixture
def instructor_client(client):
    client.force_login(make_instructor())
    return client


def lesson_form(lesson, *, title_es, slug_es, body_es, action="action-publish"):
    return nested_form_data(
        {
            "title_en": "Concealment in vehicles",
            "title_es": title_es,
            "slug_en": "concealment-in-vehicles",
            "slug_es": slug_es,
            "intro_en": "Where loads are hidden.",
            "intro_es": "",
            "body_en": streamfield([("rich_text", rich_text("<p>Spare tyres and door panels.</p>"))]),
            "body_es": streamfield([("rich_text", rich_text(body_es))] if body_es else []),
            "is_required": "on",
            "estimated_minutes": "12",
            "comments": inline_formset([]),
            action: action.removeprefix("action-"),
        }
    )


def live_revision_count(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def first_lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


def test_with_the_setting_on_a_lesson_without_spanish_body_is_not_published(course, require_spanish, instructor_client):
    lesson = first_lesson(course)
    live_before = lesson.live_revision_id
    revisions = live_revision_count(lesson)

    response = instructor_client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_form(lesson, title_es="Ocultamiento en vehículos", slug_es="ocultamiento", body_es=""),
    )

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    lesson.refresh_from_db()
    assert lesson.live_revision_id == live_before  # nothing went live
    assert lesson.title_en != "Concealment in vehicles" and lesson.slug_es != "ocultamiento"
    assert live_revision_count(lesson) == revisions + 1 and lesson.has_unpublished_changes  # kept as a draft
    (message,) = messages_of(response)
    assert "lacks required Spanish: Body" in message and "saved as a draft and not published" in message


def test_missing_title_and_slug_are_named(course, require_spanish, instructor_client):
    module = ModulePage.objects.descendant_of(course).first()
    response = instructor_client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        nested_form_data(
            {
                "title_en": module.title_en,
                "title_es": "",
                "slug_en": module.slug_en,
                "slug_es": "",
                "intro_en": "Intro",
                "intro_es": "",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "lacks required Spanish: Title, Slug." in message
    module.refresh_from_db()
    assert module.title_es  # the live page keeps its Spanish title


def test_with_the_setting_on_a_complete_lesson_is_published(course, require_spanish, instructor_client):
    lesson = first_lesson(course)
    response = instructor_client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_form(lesson, title_es="Ocultamiento en vehículos", slug_es="ocultamiento", body_es="<p>Llantas.</p>"),
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title_en, lesson.slug_es, lesson.has_unpublished_changes) == (
        "Concealment in vehicles",
        "ocultamiento",
        False,
    )
    assert not any("Spanish" in message for message in messages_of(response))


def test_with_the_setting_off_a_lesson_without_spanish_is_published(course, require_spanish, instructor_client):
    require_spanish(False)
    lesson = first_lesson(course)
    instructor_client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_form(lesson, title_es="", slug_es="", body_es=""),
    )
    lesson.refresh_from_db()
    assert lesson.title_en == "Concealment in vehicles" and not lesson.has_unpublished_changes
    assert len(lesson.body_es) == 0


def test_creating_and_publishing_without_spanish_leaves_a_draft(course, require_spanish, instructor_client):
    module = ModulePage.objects.descendant_of(course).first()
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = instructor_client.post(url, lesson_form(None, title_es="", slug_es="", body_es=""))
    lesson = LessonPage.objects.get(slug_en="concealment-in-vehicles")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert not lesson.live and lesson.live_revision_id is None and lesson.first_published_at is None
    (message,) = messages_of(response)
    assert "lacks required Spanish: Title, Slug, Body" in message


def test_saving_a_draft_is_never_refused(course, require_spanish, instructor_client):
    lesson = first_lesson(course)
    response = instructor_client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        lesson_form(lesson, title_es="", slug_es="", body_es="", action="action-save"),
    )
    assert response.status_code == 302
    assert not any("Spanish" in message for message in messages_of(response))


def test_pages_outside_the_course_tree_are_not_affected(site_pages, require_spanish, client):
    client.force_login(make_administrator())
    home = HomePage.objects.get()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        nested_form_data(
            {
                "title_en": "Home",
                "title_es": "",
                "slug_en": home.slug_en,
                "slug_es": "",
                "intro_en": "",
                "intro_es": "",
                "body_en": rich_text("<p>Hi</p>"),
                "body_es": rich_text(""),
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.title_en == "Home" and not home.has_unpublished_changes


def test_bulk_publishing_is_refused_when_a_page_lacks_spanish(course, require_spanish, client):
    client.force_login(make_administrator())
    lesson = first_lesson(course)
    lesson.title_es = ""
    lesson.save_revision()  # a draft without a Spanish title
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={lesson.pk}&next=/admin/"
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes and lesson.title_es  # live page untouched
    assert any("Nothing was published" in message for message in messages_of(response))

    require_spanish(False)
    client.post(url, {"include_descendants": ""})
    lesson.refresh_from_db()
    assert not lesson.has_unpublished_changes and not lesson.title_es


def test_only_administrators_may_change_the_setting(site_pages, client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["training", "translationpolicysettings", site.pk])
    client.force_login(make_instructor())
    response = client.post(url, {"require_spanish_to_publish": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not TranslationPolicySettings.for_site(site).require_spanish_to_publish

    client.force_login(make_administrator())
    response = client.post(url, {"require_spanish_to_publish": "on"})
    assert response.status_code == 302
    assert TranslationPolicySettings.for_site(site).require_spanish_to_publish


def test_the_root_page_type_check_is_only_for_pages(site_pages):
    from training.publishing import missing_spanish_fields

    assert missing_spanish_fields(Page.objects.get(depth=1)) == []
