"""Who may see, download, revoke or manage certificates. Every view, admin
screen, task and e-mail of this app asks here."""

from django.db.models import Q

from lms import permissions as people

from .models import Certificate


def visible_certificates(user):
    """Certificates ``user`` may see: their own; their agency's as a
    coordinator; all as an administrator."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    if people.is_administrator(user):
        return Certificate.objects.all()
    query = Q(holder=user)
    agency = people.user_agency(user)
    if people.is_coordinator(user) and agency is not None:
        query |= Q(holder__profile__agency=agency)
    return Certificate.objects.filter(query)


def may_download(user, certificate):
    """The holder (while the certificate is neither revoked nor superseded),
    coordinators of the holder's agency and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if people.is_administrator(user):
        return True
    holder = certificate.holder
    if holder is None:
        return False
    if holder.pk != user.pk and people.is_coordinator(user):
        agency = people.user_agency(user)
        return agency is not None and people.user_agency(holder) == agency
    if holder.pk == user.pk:
        return certificate.is_active
    return False


def may_revoke(user):
    """Revoking and re-issuing are for administrators only."""
    return user.is_authenticated and people.is_administrator(user)


may_reissue = may_revoke


def may_manage_templates(user):
    return user.is_authenticated and people.is_administrator(user)


def may_recertify(user, certificate):
    """Only the holder starts their own recertification."""
    return user.is_authenticated and user.is_active and certificate.holder_id == user.pk


def agency_coordinators(agency):
    """Active coordinators of ``agency`` (who get its expiry reminders)."""
    return people.agency_coordinators(agency)


def may_use_admin(user, action):
    """The Wagtail admin's Certificates listing: administrators and
    coordinators may look (scoped by visible_certificates); nobody adds,
    edits or deletes certificates there."""
    return action == "view" and user.is_authenticated and (people.is_administrator(user) or people.is_coordinator(user))


def may_use_template_admin(user, action):
    """Certificate templates and course settings: administrators only."""
    return may_manage_templates(user)
