"""Routing through the cached course outline gives the same answers as
Wagtail's, and the cache follows publishing, unpublishing, moves and deletes."""

import pytest
from django.utils import translation

from courses import progress
from courses.models import LessonPage, ModulePage
from tests.courses.factories import lesson_body, make_course
from tests.factories import add_page

pytestmark = pytest.mark.django_db


def title_at(client, url):
    response = client.get(url)
    return response.context["page"].title if response.status_code == 200 else response.status_code


def test_every_page_of_the_course_is_served_in_both_languages(client, course, lessons):
    for page in [course, *ModulePage.objects.child_of(course), *lessons]:
        assert client.get(page.get_url()).context["page"].pk == page.pk
        with translation.override("es"):
            url = page.get_url()
        assert client.get(url).context["page"].pk == page.pk


def test_new_lesson_appears_at_once(client, course, lessons):
    client.get(lessons[0].get_url())  # outline cached
    module = ModulePage.objects.child_of(course).first()
    new = add_page(module, LessonPage, "Late lesson", body_en=lesson_body("late"))
    assert title_at(client, new.get_url()) == "Late lesson"
    assert progress.required_step_ids(course) == {*(lesson.pk for lesson in lessons), new.pk}


def test_unpublished_and_deleted_lessons_404(client, course, lessons):
    client.get(lessons[0].get_url())
    lessons[1].unpublish()
    assert client.get(lessons[1].get_url()).status_code == 404
    assert lessons[1].pk not in progress.required_step_ids(course)
    url = lessons[2].get_url()
    lessons[2].delete()
    assert client.get(url).status_code == 404


def test_renamed_slug_moves_the_url(client, course, lessons):
    old_url = lessons[0].get_url()
    client.get(old_url)
    lessons[0].slug_en = "renamed"
    lessons[0].save_revision().publish()
    lessons[0].refresh_from_db()
    assert lessons[0].get_url().endswith("/renamed/")
    assert client.get(lessons[0].get_url()).status_code == 200
    assert client.get(old_url).status_code == 404


def test_moved_lesson_follows_its_new_module(client, course, lessons, course_index):
    other = make_course(course_index, code="T-2", title="Other", modules=1, lessons=1)
    client.get(lessons[0].get_url())
    client.get(other.get_url())
    target = ModulePage.objects.child_of(other).get()
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.move(target, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.get_url().startswith(other.get_url())
    assert client.get(lesson.get_url()).context["page"].pk == lesson.pk
    assert lesson.pk not in progress.required_step_ids(course)
    assert lesson.pk in progress.required_step_ids(other)


def test_new_course_and_renamed_course(client, course, course_index):
    client.get(course.get_url())
    new = make_course(course_index, code="T-3", title="Brand new", modules=1, lessons=1)
    assert title_at(client, new.get_url()) == "Brand new"
    course.slug_en = "renamed-course"
    course.save_revision().publish()
    course.refresh_from_db()
    assert title_at(client, course.get_url()) == "Test course"


def test_draft_module_page_and_unknown_paths(client, course):
    client.get(course.get_url())
    assert client.get(course.get_url() + "no-such-module/").status_code == 404
    assert client.get(course.get_url() + "no-such-module/no-lesson/").status_code == 404
    draft = add_page(course, ModulePage, "Draft module", publish=False)
    assert client.get(draft.get_url() or course.get_url() + "draft-module/").status_code == 404


def test_view_restrictions_still_apply_inside_courses(client, course, lessons):
    from wagtail.models import PageViewRestriction

    client.get(lessons[0].get_url())
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lessons[0].get_url())
    assert response.status_code == 302 and "login" in response["Location"]
    assert lessons[0].specific.get_view_restrictions().count() == 1
    assert lessons[1].specific.get_view_restrictions().get().page_id == course.pk
