from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import admin_urls, permissions
from .models import ExercisePage
from .seeds import SeedError, sync_seed


def _load_seed(request, page):
    """After the page is saved: load its seed file if it changed. The form
    already checked the file, so an error here means it changed meanwhile."""
    page = page.specific
    if not isinstance(page, ExercisePage):
        return
    try:
        count = sync_seed(page, user=request.user)
    except SeedError as error:
        messages.error(request, _("The seed file was not loaded: %(error)s") % {"error": "; ".join(error.errors[:5])})
        return
    except OSError:
        messages.error(request, _("The seed file could not be read."))
        return
    if count is not None:
        messages.success(request, _("%(count)s seed records loaded.") % {"count": count})


@hooks.register("after_create_page")
def seed_after_create(request, page):
    _load_seed(request, page)


@hooks.register("after_edit_page")
def seed_after_edit(request, page):
    _load_seed(request, page)


@hooks.register("register_admin_urls")
def register_practice_urls():
    return [path("practice/", include((admin_urls, "practice_admin"), namespace="practice_admin"))]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_statistics_menu(request.user)


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Practice exercises"),
        reverse("practice_admin:index"),
        name="practice-statistics",
        icon_name="form",
        order=310,
    )


def _buttons(page, user, priority):
    if page.specific_class is not ExercisePage or not permissions.may_see_statistics_menu(user):
        return
    if permissions.statistics_exercise(user, page.pk) is not None:
        yield Button(
            _("Statistics"), reverse("practice_admin:detail", args=[page.pk]), icon_name="form", priority=priority
        )
        yield Button(
            _("Search log"),
            reverse("practice_admin:searches", args=[page.pk]),
            icon_name="search",
            priority=priority + 1,
        )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _buttons(page, user, priority=61)


@hooks.register("register_page_listing_more_buttons")
def page_listing_buttons(page, user, next_url=None):
    yield from _buttons(page, user, priority=51)


@hooks.register("register_log_actions")
def register_practice_actions(actions):
    actions.register_action("practice.grade", _("Grade practice attempt"), _("Practice attempt graded"))
    actions.register_action("practice.seed", _("Load seed records"), _("Seed records loaded"))
