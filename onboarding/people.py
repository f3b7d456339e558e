"""Deactivating people who left an agency. Their enrolments, completions and
certificates stay (history); ``is_active`` false takes them out of current
figures (tracking counts active people only) and stops their sign-in."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import permissions
from .exceptions import OnboardingRefused


@transaction.atomic
def set_active(person, *, actor, active):
    """Deactivate (``active=False``) or reactivate ``person``. Safe to call
    twice: a person already in that state is left as is. Raises
    OnboardingRefused when ``actor`` may not."""
    if not permissions.may_deactivate(actor, person):
        raise OnboardingRefused(_("You may not deactivate or reactivate this person."))
    registration = getattr(person, "registration", None)
    if active and registration is not None and registration.status != "approved":
        raise OnboardingRefused(_("This person's registration is not approved; decide on it first."))
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    log(instance=person, action="onboarding.reactivate" if active else "onboarding.deactivate", user=actor)
    return person
