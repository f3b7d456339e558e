"""Routing inside the course tree in a constant number of queries.

wagtail-modeltranslation replaces ``route()`` on every page model with a
version that loads all children of each page on the way down and then the
specific page (two queries per level, and every lesson of a module loaded to
find one). A lesson five levels deep cost about ten queries, growing with the
size of the module.

Here the course index finds the course among its children (cached per
language, so usually no query), and the course resolves ``module/step/``
from its cached outline (``outline.cached_outline``, per course and
language) and loads only the specific step page, without the body columns
of other languages. Anything the outline does not know (drafts, stale
entries, untranslated paths) falls back to the translated route, so the
answers (including 404s and language fallbacks) stay the same.

``install()`` runs from ``CoursesConfig.ready()``, after
wagtail-modeltranslation has patched the models.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import RichTextField, StreamField

from . import caching
from . import outline as outlines
from .models import CourseIndexPage, CoursePage, ModulePage

COURSES_KEY = "courses:by-slug:v1:{language}"
_translated_route = {}


def install():
    for model, route in ((CourseIndexPage, course_index_route), (CoursePage, course_route)):
        if model.route is not route:
            _translated_route[model] = model.route
            model.route = route


def _fallback(page, request, components):
    return _translated_route[type(page)](page, request, components)


def course_index_route(self, request, path_components):
    if path_components:
        course = courses_by_slug(self).get(path_components[0])
        if course is not None:
            course._cached_parent_obj = self
            return course.route(request, path_components[1:])
    return _fallback(self, request, path_components)


def courses_by_slug(index):
    """{slug in the active language: CoursePage} of the index's courses, from
    Django's cache (dropped with the outlines when any page changes)."""
    key = COURSES_KEY.format(language=translation.get_language())
    by_index = cache.get(key) or {}
    courses = by_index.get(index.pk)
    if courses is None:
        courses = {course.slug: course for course in CoursePage.objects.child_of(index)}
        by_index[index.pk] = courses
        cache.set(key, by_index, caching.lifetime("courses"))
    return courses


def forget_courses():
    cache.delete_many([COURSES_KEY.format(language=code) for code, _name in settings.LANGUAGES])


def course_route(self, request, path_components):
    if path_components:
        outline = outlines.cached_outline(self, request)
        entry = outline.find(path_components)
        if isinstance(entry, outlines.Module) and len(path_components) == 1:
            page = _load(ModulePage, entry.page.pk)
            return _attach(page, self, outline).route(request, [])
        if isinstance(entry, outlines.Step):
            page = _load(apps.get_model(entry.model), entry.page_id)
            return _attach(page, self, outline).route(request, path_components[2:])
    return _fallback(self, request, path_components)


def _load(model, pk):
    try:
        # Django's own defer(): modeltranslation's would also defer every
        # translation of an untranslated field name.
        queryset = QuerySet.defer(model.objects.all(), *unused_text_columns(model, translation.get_language()))
        return queryset.get(pk=pk)
    except model.DoesNotExist as error:
        raise Http404 from error


def unused_text_columns(model, language):
    """Rich text and stream columns a page view in ``language`` never reads:
    the untranslated column and the translations other than ``language``
    and the fallback language. A lesson body is stored three times; this
    loads one (or two) of them."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    keep = {language, *getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", ("en",))}
    columns = []
    for name, translated in options.all_fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, (StreamField, RichTextField)):
            columns.append(field.attname)
            columns.extend(f.attname for f in translated if f.language not in keep)
    return columns


def _attach(page, course, outline):
    """Hand the course and its outline to the page so serving it needs no
    further lookups (see ``courses.study``)."""
    page._course = course
    page._outline = outline
    return page
