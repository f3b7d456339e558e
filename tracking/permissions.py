"""Who may see the certification reports, and of which agencies.

``reportable_agencies`` is THE scoping function: every report, export,
dashboard panel and background task of this app starts from it (directly or
through ``reportable_people``), so a coordinator can never reach another
agency's people by editing a URL or an export parameter.
"""

from django.contrib.auth import get_user_model

from lms import permissions as people


def may_view_reports(user):
    """Administrators and agency coordinators; never trainees or instructors."""
    return bool(
        user.is_authenticated and user.is_active and (people.is_administrator(user) or people.is_coordinator(user))
    )


def reportable_agencies(user):
    """The agencies whose figures ``user`` may see: every agency for an
    administrator, their own for a coordinator, none for anyone else."""
    if not may_view_reports(user):
        return people.coordinated_agencies(user).none()
    return people.coordinated_agencies(user)


def reportable_people(user):
    """People (users with a profile in a reportable agency) ``user`` may follow."""
    return get_user_model().objects.filter(profile__agency__in=reportable_agencies(user))


def may_download_export(user, export):
    """A bulk download is for the person who asked for it, and administrators."""
    if not may_view_reports(user):
        return False
    return export.requested_by_id == user.pk or people.is_administrator(user)
