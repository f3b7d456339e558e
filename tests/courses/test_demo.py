import pytest

from courses import demo
from courses.models import CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def test_demo_course_is_bilingual_idempotent_and_taught_by_the_instructor(site_pages):
    from lms import demo as people

    people.load()
    demo.load()
    demo.load()
    course = CoursePage.objects.get(code="AC-001")
    assert course.title_en == "Platform orientation" and course.title_es == "Orientación a la plataforma"
    assert course.live and course.audience == "open" and course.validity_months == 24
    assert list(course.instructors.values_list("username", flat=True)) == ["instructor"]
    modules = ModulePage.objects.child_of(course)
    assert modules.count() == 2
    for module in modules:
        lessons = LessonPage.objects.child_of(module)
        assert 2 <= lessons.count() <= 3
        for lesson in lessons:
            assert lesson.live and lesson.title_es and lesson.slug_es != lesson.slug_en
            assert len(lesson.body_en) == len(lesson.body_es) > 0
            assert 2 <= lesson.estimated_minutes <= 3
    assert LessonPage.objects.descendant_of(course).count() == 6
