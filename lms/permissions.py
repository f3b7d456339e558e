"""Who may see what, for people and agencies. Other apps build on these."""

from django.contrib.auth import get_user_model

from .models import Agency


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.has_perm("lms.view_all_agencies"))


def is_coordinator(user):
    return user.is_active and user.has_perm("lms.coordinate_agency")


def is_instructor(user):
    return user.is_active and (user.is_superuser or user.has_perm("lms.teach_courses"))


def user_agency(user):
    profile = getattr(user, "profile", None)
    return profile.agency if profile else None


def coordinated_agencies(user):
    """The agencies whose people this user may follow: all, one or none."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if is_administrator(user):
        return Agency.objects.all()
    agency = user_agency(user)
    if is_coordinator(user) and agency is not None:
        return Agency.objects.filter(pk=agency.pk)
    return Agency.objects.none()


def visible_people(user):
    """Users whose records this user may see (besides their own)."""
    User = get_user_model()
    if not user.is_authenticated:
        return User.objects.none()
    if is_administrator(user):
        return User.objects.all()
    agency = user_agency(user)
    if is_coordinator(user) and agency is not None:
        return User.objects.filter(profile__agency=agency)
    return User.objects.filter(pk=user.pk)


def may_manage_person(actor, person):
    """May ``actor`` act for ``person`` (enrol them, see their records)?"""
    if not actor.is_authenticated:
        return False
    if actor.pk == person.pk:
        return True
    return visible_people(actor).filter(pk=person.pk).exists()


def agency_coordinators(agency):
    """Active coordinators of ``agency`` (who hear about its people)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if agency is None:
        return []
    permission_ids = list(
        Permission.objects.filter(codename="coordinate_agency", content_type__app_label="lms").values_list(
            "pk", flat=True
        )
    )
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, profile__agency=agency)
        .filter(Q(groups__permissions__in=permission_ids) | Q(user_permissions__in=permission_ids))
        .select_related("profile")
        .distinct()
    )
    return [user for user in candidates if is_coordinator(user)]


def administrators():
    """Active administrators (who hear about agencies without a coordinator)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission_ids = list(
        Permission.objects.filter(codename="view_all_agencies", content_type__app_label="lms").values_list(
            "pk", flat=True
        )
    )
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=permission_ids) | Q(user_permissions__in=permission_ids)
        )
        .select_related("profile")
        .distinct()
    )
    return [user for user in candidates if is_administrator(user)]
