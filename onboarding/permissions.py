"""Who may onboard whom. Every onboarding list, detail, export and action
scopes its rows through :func:`managed_agencies`; the querysets below only
filter by it, so a coordinator of one agency never reaches another's."""

from django.contrib.auth import get_user_model

from lms import permissions as people

from .models import Assignment, ImportBatch, Registration


def managed_agencies(user):
    """The one scoping rule: administrators manage every agency, a
    coordinator their own, anyone else none."""
    if not (user.is_authenticated and user.is_active):
        return people.coordinated_agencies(user).none()
    return people.coordinated_agencies(user)


def may_onboard(user):
    """May ``user`` use the onboarding workspace at all?"""
    return managed_agencies(user).exists()


def may_choose_agency(user):
    """Administrators import into (and assign for) any agency."""
    return user.is_authenticated and people.is_administrator(user)


def managed_people(user):
    """People of the agencies ``user`` manages (active or not)."""
    return get_user_model().objects.filter(profile__agency__in=managed_agencies(user))


def managed_registrations(user):
    return Registration.objects.filter(agency__in=managed_agencies(user))


def managed_imports(user):
    return ImportBatch.objects.filter(agency__in=managed_agencies(user))


def managed_assignments(user):
    return Assignment.objects.filter(agency__in=managed_agencies(user))


def may_deactivate(actor, person):
    """A person of a managed agency, not the actor and not an administrator."""
    if actor.pk == person.pk or person.is_superuser or people.is_administrator(person):
        return False
    return managed_people(actor).filter(pk=person.pk).exists()
