from django import template
from django.core.cache import cache
from django.utils import translation

from courses.models import CourseIndexPage
from courses.signal_handlers import CATALOGUE_URL_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def course_catalogue_url(context):
    """The URL of the course catalogue in the active language ("" if none).
    Cached per language; dropped when pages are saved, moved or deleted."""
    key = CATALOGUE_URL_KEY.format(language=translation.get_language())
    url = cache.get(key)
    if url is None:
        index = CourseIndexPage.objects.live().first()
        url = (index.get_url(context.get("request")) or "") if index else ""
        cache.set(key, url, 24 * 3600)
    return url
