"""The rule behind "Require Spanish before publishing": which Spanish fields a
page of the course tree must have before it may go live."""

from django.utils.text import capfirst
from wagtail.models import Site

from courses.models import CoursePage, LessonPage, ModulePage, StepPage

from .exceptions import SpanishRequired
from .models import TranslationPolicySettings
from .translation_status import is_empty

#: Every course page needs these in Spanish; the types below need more.
COMMON_FIELDS = ("title", "slug")
EXTRA_FIELDS = {CoursePage: ("summary",), LessonPage: ("body",)}


def in_course_tree(page):
    return isinstance(page, (CoursePage, ModulePage, StepPage))


def required_spanish_fields(page):
    """Base names of the fields that must be filled in Spanish."""
    fields = list(COMMON_FIELDS)
    for model, extra in EXTRA_FIELDS.items():
        if isinstance(page, model):
            fields.extend(extra)
    return fields


def missing_spanish_fields(page):
    """Labels of the required Spanish fields of ``page`` that are empty, in
    the form's order (e.g. ["Title", "Body"]). Empty outside the course tree."""
    if not in_course_tree(page):
        return []
    missing = []
    for name in required_spanish_fields(page):
        field = page._meta.get_field(f"{name}_es")
        if is_empty(field, getattr(page, field.attname)):
            missing.append(capfirst(page._meta.get_field(name).verbose_name))
    return missing


def spanish_required(site):
    """Is the "Require Spanish before publishing" setting on for ``site``?"""
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return False
    return TranslationPolicySettings.for_site(site).require_spanish_to_publish


def check_publishable(page, site=None):
    """Raise ``SpanishRequired`` when ``site`` requires Spanish and ``page``
    (a page of the course tree) lacks a required Spanish field. Read-only
    apart from creating the site's settings row on first use; safe to call
    twice."""
    if not in_course_tree(page):
        return
    if site is None:
        site = page.get_site()
    if not spanish_required(site):
        return
    missing = missing_spanish_fields(page)
    if missing:
        raise SpanishRequired(page=page, fields=missing)
