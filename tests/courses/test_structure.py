"""The read model of a course (courses.structure): routed through, and never
stale. Every check of freshness reads as another process would: from the
database row, with this process's parsed rows forgotten."""

import pytest
from django.db import transaction
from django.utils import translation
from wagtail.models import Page

from courses import progress, structure
from courses.models import CourseIndexPage, CoursePage, CourseStructure, LessonPage, ModulePage, Sequencing
from tests.courses.factories import lesson_body, make_course
from tests.factories import add_page

pytestmark = pytest.mark.django_db


def other_process(course):
    """The structure of ``course`` as a fresh process sees it: the stored row
    and what ``structure.read`` makes of it with nothing parsed in memory."""
    structure._parsed.clear()
    row = CourseStructure.objects.get(pk=course.pk)
    stamp, data = structure.read(course.pk)
    assert stamp == row.stamp and data == row.data
    return row


def step_ids(row):
    return [step["id"] for module in row.data["modules"] for step in module["steps"]]


def step_titles(row, language="en"):
    return [step["title"][language] for module in row.data["modules"] for step in module["steps"]]


# ---------------------------------------------------------------- routing


def test_the_route_overrides_are_installed():
    assert structure.installed()
    assert CourseIndexPage.route is structure.course_index_route
    assert CoursePage.route is structure.course_route


def test_a_lesson_is_routed_through_the_read_model_not_the_tree(client, course, lessons, monkeypatch):
    """wagtail-modeltranslation's route walks the children of every page on the
    way down. With the overrides installed no children are ever listed; remove
    them (as a modeltranslation upgrade re-patching route() would) and this fails."""
    for page in (lessons[0], lessons[3]):
        client.get(page.get_url())  # the row is parsed once

    def no_children(self, *args, **kwargs):
        raise AssertionError("routing listed the children of a page")

    monkeypatch.setattr(Page, "get_children", no_children)
    for page in (course, ModulePage.objects.child_of(course).first(), lessons[0], lessons[3]):
        assert client.get(page.get_url()).context["page"].pk == page.pk
        with translation.override("es"):
            url = page.get_url()
        assert client.get(url).context["page"].pk == page.pk


def test_without_the_overrides_routing_falls_back_to_the_tree(client, course, lessons, monkeypatch):
    """The check above has teeth: the translated route does list children."""
    monkeypatch.setattr(CourseIndexPage, "route", structure._translated_route[CourseIndexPage])
    monkeypatch.setattr(CoursePage, "route", structure._translated_route[CoursePage])
    assert not structure.installed()
    listed = []
    original = Page.get_children

    def spy(self, *args, **kwargs):
        listed.append(self.pk)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Page, "get_children", spy)
    assert client.get(lessons[0].get_url()).status_code == 200
    assert course.pk in listed


# ---------------------------------------------------------------- never stale


def test_publish_updates_the_structure_in_the_same_transaction(course, lessons):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    before = other_process(course).stamp
    with transaction.atomic():
        new = add_page(module, LessonPage, "Late lesson", "Lección tardía", body_en=lesson_body("late"))
        # Before the commit, inside the transaction that published it.
        row = other_process(course)
        assert new.pk in step_ids(row)
    assert row.stamp != before
    assert "Late lesson" in step_titles(other_process(course))
    assert "Lección tardía" in step_titles(other_process(course), "es")
    assert new.pk in progress.required_step_ids(course)

    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.title_en = "Renamed lesson"
    lesson.is_required = False
    lesson.save_revision().publish()
    row = other_process(course)
    assert step_titles(row)[0] == "Renamed lesson"
    assert lesson.pk not in progress.required_step_ids(course)


def test_a_draft_change_does_not_reach_the_structure(course, lessons):
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.title_en = "Draft title"
    lesson.save_revision()
    assert "Draft title" not in step_titles(other_process(course))
    draft = add_page(ModulePage.objects.child_of(course).first(), LessonPage, "Draft lesson", publish=False)
    assert draft.pk not in step_ids(other_process(course))


def translated_answers(client, urls, monkeypatch):
    """What Wagtail with wagtail-modeltranslation alone answers for ``urls``."""
    with monkeypatch.context() as patched:
        patched.setattr(CourseIndexPage, "route", structure._translated_route[CourseIndexPage])
        patched.setattr(CoursePage, "route", structure._translated_route[CoursePage])
        return [client.get(url).status_code for url in urls]


def test_unpublish_removes_the_step_and_the_course(client, course, lessons, monkeypatch):
    client.get(lessons[1].get_url())
    LessonPage.objects.get(pk=lessons[1].pk).unpublish()
    assert lessons[1].pk not in step_ids(other_process(course))
    assert client.get(lessons[1].get_url()).status_code == 404

    module = ModulePage.objects.child_of(course).order_by("path").first()
    urls = [course.get_url(), module.get_url(), lessons[0].get_url(), lessons[1].get_url()]
    CoursePage.objects.get(pk=course.pk).unpublish()
    row = other_process(course)
    assert row.live is False and row.data["course"]["live"] is False
    answers = [client.get(url).status_code for url in urls]
    assert answers[0] == 404
    # The same answers as Wagtail's own routing gives for what is left live
    # below an unpublished course.
    assert answers == translated_answers(client, urls, monkeypatch)


def test_move_and_reorder_follow_at_once(client, course, lessons, course_index):
    first, second = lessons[0], lessons[1]
    LessonPage.objects.get(pk=second.pk).move(LessonPage.objects.get(pk=first.pk), pos="left")
    assert step_ids(other_process(course))[:2] == [second.pk, first.pk]

    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    ModulePage.objects.get(pk=modules[1].pk).move(ModulePage.objects.get(pk=modules[0].pk), pos="left")
    assert [module["id"] for module in other_process(course).data["modules"]] == [modules[1].pk, modules[0].pk]

    other = make_course(course_index, code="T-MOVE", title="Other", modules=1, lessons=1)
    target = ModulePage.objects.child_of(other).get()
    LessonPage.objects.get(pk=first.pk).move(target, pos="last-child")
    assert first.pk not in step_ids(other_process(course))
    assert first.pk in step_ids(other_process(other))
    moved = LessonPage.objects.get(pk=first.pk)
    assert client.get(moved.get_url()).context["page"].pk == first.pk


def test_delete_removes_steps_modules_and_courses(course, lessons, course_index):
    LessonPage.objects.get(pk=lessons[0].pk).delete()
    assert lessons[0].pk not in step_ids(other_process(course))
    module = ModulePage.objects.child_of(course).order_by("path").last()
    ModulePage.objects.get(pk=module.pk).delete()
    row = other_process(course)
    assert module.pk not in [m["id"] for m in row.data["modules"]]
    assert step_ids(row) == [lessons[1].pk]

    CoursePage.objects.get(pk=course.pk).delete()
    assert not CourseStructure.objects.filter(pk=course.pk).exists()
    structure._parsed.clear()
    assert structure.read(course.pk) == ("", None)


def test_sequencing_rules_and_prerequisites_are_in_the_structure(course_index):
    first = make_course(course_index, code="T-PRE")
    course = make_course(course_index, code="T-SEQ", title="Sequenced", sequencing=Sequencing.SEQUENTIAL)
    module = ModulePage.objects.child_of(course).order_by("path").first()
    module.sequencing = Sequencing.FREE
    module.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    course.prerequisites.add(first)
    course.save_revision().publish()
    data = other_process(course).data
    assert data["course"]["sequential"] is True
    assert data["course"]["prerequisites"] == [first.pk]
    assert [m["sequential"] for m in data["modules"]] == [False, True]
    assert {step["kind"] for m in data["modules"] for step in m["steps"]} == {"lessonpage"}


def test_the_structure_holds_no_model_instances(course, lessons):
    import json

    row = other_process(course)
    assert json.loads(json.dumps(row.data)) == row.data
    outline = progress.outline_of(course)
    for item in [*outline.modules, *outline.steps]:
        assert not any(isinstance(value, Page) for value in vars(item).values())


def test_a_view_restriction_reaches_the_structure(client, course, lessons):
    from wagtail.models import PageViewRestriction

    assert other_process(course).data["restricted"] is False
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert other_process(course).data["restricted"] is True
    response = client.get(lessons[0].get_url())
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert other_process(course).data["restricted"] is False
    assert client.get(lessons[0].get_url()).status_code == 200


def test_same_answers_as_wagtail_for_odd_paths(client, course, lessons, monkeypatch):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    draft = add_page(module, LessonPage, "Draft lesson", publish=False)
    base = course.get_url()
    with translation.override("es"):
        es_lesson = lessons[0].get_url()
    urls = [
        base + "nope/",
        base + "nope/nope/",
        module.get_url() + "nope/",
        lessons[0].get_url() + "extra/",
        module.get_url() + "draft-lesson/",
        es_lesson,
        es_lesson.replace("/es/", "/en/"),  # a Spanish slug under the English prefix
        lessons[0].get_url().replace("/en/", "/es/"),  # an English slug under the Spanish prefix
    ]
    assert draft.pk not in step_ids(other_process(course))
    assert [client.get(url).status_code for url in urls] == translated_answers(client, urls, monkeypatch)
