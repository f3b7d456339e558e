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
    """A published course with one module of ``lessons`` lessons, built fast:
    pages are saved live without revisions (serving needs none)."""
    from django.utils import translation

    course = add_page(index, CoursePage, title, f"{title} ES", code=code, summary_en="S", summary_es="R")
    module = add_page(course, ModulePage, f"{title} module", f"{title} módulo")
    with translation.override("en"):
        for n in range(1, lessons + 1):
            module.add_child(
                instance=LessonPage(
                    title_en=f"{title} lesson {n}",
                    title_es=f"{title} lección {n}",
                    slug_en=f"lesson-{n}",
                    slug_es=f"leccion-{n}",
                    body_en=lesson_body(f"Body {n}"),
                    body_es=lesson_body(f"Cuerpo {n}"),
                    live=True,
                )
            )
            module.refresh_from_db()
    return course
