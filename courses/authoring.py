"""Authoring rules for instructors in the Wagtail admin (issue 13).

- Where a new step goes: before the step that closes its module (the module
  quiz), not after it, so a trainee's outline keeps the quiz last.
- Abandoned drafts: each author's pages that were never published, or have
  changes not yet published, for the "My drafts" dashboard panel.
- A clash of slugs explained where the author is, naming the page in the way.

Progress when a required step is added to a course trainees are in
(docs/decisions/0004-adding-steps-to-running-courses.md): completions are
kept; an unfinished enrolment now counts the new step as not done (the
outline shows it as new); a completed enrolment stays completed at 100 %,
its certificate untouched.
"""

from django.db import transaction
from django.db.models import Q
from wagtail.models import Page

from .models import ModulePage, StepPage

#: How many drafts the dashboard lists.
DRAFTS_SHOWN = 10


@transaction.atomic
def place_new_step(page):
    """Move the new step ``page`` before the first step of its module that
    closes the module (a quiz); leave it where it is otherwise. Returns True
    when it moved. Safe to call twice (a step already before the quiz stays).
    """
    if not isinstance(page, StepPage) or page.specific_class.closes_module:
        return False
    parent = page.get_parent()
    if parent is None or parent.specific_class is not ModulePage:
        return False
    for sibling in parent.get_children().order_by("path"):
        if sibling.pk == page.pk:
            return False  # already before any closing step
        model = sibling.specific_class
        if model is not None and issubclass(model, StepPage) and model.closes_module:
            page.move(sibling, pos="left")
            return True
    return False


def drafts_of(user):
    """Pages ``user`` started or changed and has not published: never-published
    pages they own, and live pages whose latest revision is theirs and
    unpublished. Newest first."""
    if not user.is_authenticated:
        return Page.objects.none()
    return (
        Page.objects.filter(
            Q(owner=user, live=False) | Q(live=True, has_unpublished_changes=True, latest_revision__user=user)
        )
        .exclude(depth=1)
        .select_related("latest_revision")
        .order_by("-latest_revision_created_at", "-pk")
    )


def pages_using_slug(parent, slug_field, slug, exclude=None):
    """Children of ``parent`` already using ``slug`` in ``slug_field``."""
    pages = parent.get_children().filter(**{slug_field: slug})
    if exclude is not None and exclude.pk:
        pages = pages.exclude(pk=exclude.pk)
    return pages
