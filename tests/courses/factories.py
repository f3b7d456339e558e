from decimal import Decimal

from courses.models import CoursePage, LessonPage, ModulePage
from tests.factories import add_page


def lesson_body(text):
    return [{"type": "rich_text", "value": f"<p>{text}</p>"}]


def make_course(index, code="T-1", modules=2, lessons=2, title="Test course", **fields):
    """A published course with ``modules`` modules of ``lessons`` lessons."""
    course = add_page(
        index,
        CoursePage,
        title,
        f"{title} ES",
        code=code,
        summary_en="Summary",
        summary_es="Resumen",
        credit_hours=Decimal("2.0"),
        **fields,
    )
    for m in range(1, modules + 1):
        module = add_page(course, ModulePage, f"{title} module {m}", f"{title} módulo {m}")
        for n in range(1, lessons + 1):
            add_page(
                module,
                LessonPage,
                f"{title} lesson {m}.{n}",
                f"{title} lección {m}.{n}",
                body_en=lesson_body(f"Lesson {m}.{n} body"),
                body_es=lesson_body(f"Cuerpo de la lección {m}.{n}"),
            )
    return course


def make_wide_course(index, code, lessons, title="Wide course"):
    """A published course with one module of ``lessons`` live lessons, built
    fast for the size tests: the lessons are written straight into the tree
    (paths, translated URL paths) without Wagtail's clean, revisions or
    search indexing, none of which serving a page needs."""
    from contextlib import contextmanager

    from django.db.models import Model
    from django.db.models.signals import post_save
    from django.utils import translation
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import Page

    @contextmanager
    def no_search_indexing():
        post_save.disconnect(post_save_signal_handler, sender=LessonPage)
        try:
            yield
        finally:
            post_save.connect(post_save_signal_handler, sender=LessonPage)

    course = add_page(index, CoursePage, title, f"{title} ES", code=code, summary_en="S", summary_es="R")
    module = add_page(course, ModulePage, f"{title} module", f"{title} módulo")
    from courses import structure

    with translation.override("en"), no_search_indexing(), structure.batch():
        for n in range(1, lessons + 1):
            page = LessonPage(
                title_en=f"{title} lesson {n}",
                title_es=f"{title} lección {n}",
                draft_title=f"{title} lesson {n}",
                slug_en=f"lesson-{n}",
                slug_es=f"leccion-{n}",
                url_path_en=f"{module.url_path_en}lesson-{n}/",
                url_path_es=f"{module.url_path_es}leccion-{n}/",
                body_en=lesson_body(f"Body {n}"),
                body_es=lesson_body(f"Cuerpo {n}"),
                live=True,
                path=LessonPage._get_path(module.path, module.depth + 1, n),
                depth=module.depth + 1,
                numchild=0,
                locale_id=module.locale_id,
            )
            Model.save(page)
    Page.objects.filter(pk=module.pk).update(numchild=lessons)
    return course
