"""Helpers for the certificates tests: small courses, completed cycles."""

from courses import progress
from courses.models import LessonPage
from tests.courses.factories import make_course


def make_small_course(index, code="CERT-1", validity_months=12, title="Export law basics", **fields):
    """A published course of one module with one lesson."""
    return make_course(
        index,
        code=code,
        modules=1,
        lessons=1,
        title=title,
        validity_months=validity_months,
        **fields,
    )


def complete_course(user, course):
    """Enrol ``user`` (if needed) and complete every lesson; returns the enrolment.

    course_completed fires on commit: inside a test transaction it only runs
    under django_capture_on_commit_callbacks(execute=True).
    """
    enrollment = progress.enroll(user, course)
    for lesson in LessonPage.objects.descendant_of(course).live():
        progress.complete_step(user, lesson)
    enrollment.refresh_from_db()
    return enrollment


def _poppler(tool, content, *args):
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            [tool, *args, handle.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")


def pdf_text(content):
    """The text pdftotext extracts from PDF bytes."""
    return _poppler("pdftotext", content)


def pdf_info(content):
    out = _poppler("pdfinfo", content)
    return {
        key.strip(): value.strip() for key, value in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


def pdf_fonts(content):
    return _poppler("pdffonts", content)


def at_noon(day):
    """Noon of ``day`` in the site's time zone (for time_machine.travel)."""
    import datetime

    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())
