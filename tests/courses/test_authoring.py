"""Walls 3 to 6 of issue 13, as an instructor meets them in the admin:
where a new lesson lands, the explorer's order, what adding a required step
does to progress, drafts that block a slug, Spanish admin strings and ASCII
slugs, the site's name and no Gravatar."""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from courses import progress
from courses.authoring import drafts_of, place_new_step
from courses.models import LessonPage, ModulePage
from tests.courses.factories import lesson_body
from tests.factories import add_page, make_instructor, make_trainee
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def lesson_form(title_en="Reading a manifest", title_es="Cómo leer un manifiesto", **extra):
    data = {
        "title_en": title_en,
        "title_es": title_es,
        "slug_en": extra.pop("slug_en", "reading-a-manifest"),
        "slug_es": extra.pop("slug_es", "como-leer-un-manifiesto"),
        "intro_en": "",
        "intro_es": "",
        "body_en": streamfield([("rich_text", rich_text("<p>Body</p>"))]),
        "body_es": streamfield([("rich_text", rich_text("<p>Cuerpo</p>"))]),
        "is_required": "on",
        "estimated_minutes": "10",
        "comments": inline_formset([]),
    }
    data.update(extra)
    return nested_form_data(data)


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def quiz(module):
    return make_quiz(module, questions=2)


def step_titles(module):
    return list(module.get_children().order_by("path").values_list("title_en", flat=True))


# ------------------------------------------------------------ wall 3: order


def test_a_lesson_created_in_the_admin_lands_before_the_module_quiz(client, module, quiz):
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = client.post(url, lesson_form(**{"action-publish": "publish"}))
    assert response.status_code == 302
    assert step_titles(module)[-2:] == ["Reading a manifest", "Test quiz"]


def test_placing_a_step_twice_moves_it_once(module, quiz):
    lesson = add_page(module, LessonPage, "Late lesson", body_en=lesson_body("x"))
    assert place_new_step(lesson) is True
    assert place_new_step(LessonPage.objects.get(pk=lesson.pk)) is False
    assert step_titles(module)[-2:] == ["Late lesson", "Test quiz"]


def test_a_module_without_a_quiz_keeps_the_new_lesson_last(module):
    lesson = add_page(module, LessonPage, "Last lesson", body_en=lesson_body("x"))
    assert place_new_step(lesson) is False
    assert step_titles(module)[-1] == "Last lesson"


def test_the_explorer_lists_steps_in_course_order(client, module, quiz):
    last = LessonPage.objects.child_of(module).order_by("path").last()
    last.save_revision()  # most recently edited: first under Wagtail's default "Updated" order
    client.force_login(make_instructor())
    html = client.get(reverse("wagtailadmin_explore", args=[module.pk])).content.decode()
    positions = [html.index(title) for title in step_titles(module)]
    assert positions == sorted(positions)


def test_adding_a_required_step_keeps_completions_and_completed_courses(course, module):
    steps = [page for page in course.get_descendants().live().specific() if isinstance(page, LessonPage)]
    finished, midway = make_trainee(), make_trainee()
    for user in (finished, midway):
        progress.enroll(user, course)
    for step in steps:
        progress.complete_step(finished, step)
    progress.complete_step(midway, steps[0])
    added = add_page(module, LessonPage, "New required lesson", body_en=lesson_body("new"))

    done = progress.progress_of(finished, course)
    assert done.enrollment.completed_at is not None and done.percent == 100
    assert not done.is_done(added.pk)

    going = progress.progress_of(midway, course)
    assert going.is_done(steps[0].pk)  # kept
    assert going.required_total == len(steps) + 1
    assert not going.is_done(added.pk)


# ------------------------------------------------------------ wall 4: drafts


def test_a_slug_taken_by_an_abandoned_draft_is_explained_at_the_top(client, module):
    instructor = make_instructor()
    abandoned = add_page(module, LessonPage, "Reading a manifest", publish=False, owner=instructor)
    assert not abandoned.live
    client.force_login(instructor)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = client.post(url, lesson_form(**{"action-publish": "publish"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already used by the unpublished draft “Reading a manifest”" in html
    assert LessonPage.objects.child_of(module).filter(slug_en="reading-a-manifest").count() == 1


def test_my_drafts_lists_my_unpublished_pages_only(client, module):
    mine, theirs = make_instructor(), make_instructor()
    add_page(module, LessonPage, "My abandoned lesson", publish=False, owner=mine)
    add_page(module, LessonPage, "Their abandoned lesson", publish=False, owner=theirs)
    assert [page.title for page in drafts_of(mine)] == ["My abandoned lesson"]
    client.force_login(mine)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "My drafts" in html and "My abandoned lesson" in html and "Their abandoned lesson" not in html
    draft = Page.objects.get(title_en="My abandoned lesson")
    assert reverse("wagtailadmin_pages:delete", args=[draft.pk]) in html


# --------------------------------------------------- wall 5: Spanish admin


def test_the_spanish_admin_has_no_english_or_odd_strings(client, module):
    instructor = make_instructor()
    UserProfile.get_for_user(instructor).__class__.objects.filter(user=instructor).update(preferred_language="es")
    client.force_login(instructor)
    lesson = LessonPage.objects.child_of(module).first()
    html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert "Ver / editar campos en" in html and "View / edit fields for" not in html
    assert "Copiar contenido de" in html  # handed to the copy buttons' script
    assert "arquilla" not in html and "Identificador de URL" in html
    question_form = client.get(reverse("wagtailsnippets_quizzes_question:add")).content.decode()
    assert "Elegir una categoría de preguntas" in question_form
    assert "Choose question category" not in question_form


def test_slugs_are_ascii_in_both_languages(client, module):
    assert settings.WAGTAIL_ALLOW_UNICODE_SLUGS is False
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = client.post(url, lesson_form(slug_es="cómo-leer-ñandú", **{"action-publish": "publish"}))
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title_en="Reading a manifest")
    assert lesson.slug_es == "como-leer-nandu"
    assert lesson.url_path_es.isascii()


# -------------------------------------------------- wall 6: the dashboard


def test_setup_site_names_the_site_and_the_admin_home_uses_it(client, site_pages):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == settings.WAGTAIL_SITE_NAME
    client.force_login(make_instructor())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert settings.WAGTAIL_SITE_NAME in html
    assert "localhost" not in html.split("<title>")[1].split("</title>")[0]


def test_no_gravatar_in_the_admin(client, site_pages):
    client.force_login(make_instructor(email="dana@example.org"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in html.lower()
