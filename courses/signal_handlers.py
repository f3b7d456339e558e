"""Keep the cached course outlines, courses and catalogue link honest.

The outline of a course (``outline.cached_outline``), the courses of the
catalogue by slug (``routing.courses_by_slug``) and the URL of the course
catalogue (``templatetags.courses_tags``) are cached per language, and
whether the site has any page view restriction at all is cached too.
Anything that can change them (publishing, unpublishing, saving, moving or
deleting a page inside or above a course) drops the affected entries.
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from . import caching, outline
from .models import CoursePage

CATALOGUE_URL_KEY = "courses:catalogue-url:v1:{language}"
RESTRICTIONS_KEY = "courses:any-view-restriction:v1"


def site_has_view_restrictions():
    """Is there any page view restriction at all? (Cached; one query on a miss.)"""
    flag = cache.get(RESTRICTIONS_KEY)
    if flag is None:
        flag = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_KEY, flag, caching.lifetime("restrictions"))
    return flag


def on_restriction_changed(sender, instance, **kwargs):
    cache.delete(RESTRICTIONS_KEY)
    transaction.on_commit(partial(cache.delete, RESTRICTIONS_KEY))


def catalogue_url_keys():
    return [CATALOGUE_URL_KEY.format(language=code) for code, _name in settings.LANGUAGES]


def courses_touching(page):
    """Ids of the courses at, above or below ``page`` (one query)."""
    steplen = page.steplen
    prefixes = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return list(
        CoursePage.objects.filter(Q(path__in=prefixes) | Q(path__startswith=page.path)).values_list("pk", flat=True)
    )


def forget(page):
    if page is None or not getattr(page, "path", None):
        return
    course_ids = courses_touching(page)
    _drop(course_ids)
    # Again after commit: a request may have cached the old state meanwhile.
    transaction.on_commit(partial(_drop, course_ids))


def _drop(course_ids):
    from .routing import forget_courses

    outline.invalidate_outlines(course_ids)
    forget_courses()
    cache.delete_many(catalogue_url_keys())


def on_page_saved(sender, instance, raw=False, **kwargs):
    # Django sends post_save once, for the instance's own class: publishing,
    # unpublishing and saves made in code all pass here.
    if isinstance(instance, Page) and not raw:
        forget(instance)


def on_page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    forget(instance)
    forget(parent_page_before)
    forget(parent_page_after)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget(instance)


def connect():
    post_save.connect(on_page_saved, dispatch_uid="courses_outline_saved")
    post_page_move.connect(on_page_moved, dispatch_uid="courses_outline_moved")
    pre_delete.connect(on_page_deleted, dispatch_uid="courses_outline_deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="courses_restriction_saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="courses_restriction_deleted")
