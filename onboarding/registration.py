"""Self-registration with e-mail verification and approval.

An account is created inactive. The person proves their address through a
signed link; then the agency's coordinators (or the administrators) are told
and approve or reject it. Nothing here says whether an address already has an
account: the owner of an existing account is e-mailed instead.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.notifications import enqueue_on_commit, site_url
from lms.roles import TRAINEES

from . import permissions
from .exceptions import RegistrationRefused
from .models import Registration, RegistrationStatus

SALT = "onboarding.registration.verify"


def verification_max_age():
    return int(getattr(settings, "ONBOARDING_VERIFY_MAX_AGE", 3 * 24 * 3600))


def make_verification_token(registration):
    return signing.dumps({"r": registration.pk, "e": registration.user.email.lower()}, salt=SALT)


def verification_url(registration, language):
    with translation.override(language):
        path = reverse("register_verify", kwargs={"token": make_verification_token(registration)})
    return site_url(path)


def register(*, first_name, last_name, email, agency, language, password):
    """Create an inactive account waiting for verification, or, when the
    address is already known, e-mail its owner. Returns the Registration, or
    None for a known address (callers show the same page either way).

    Not safe to call twice for a new address: the second call finds the
    account and sends the "already registered" e-mail (or, while it is still
    unverified, the verification link again).
    """
    from .tasks import send_already_registered, send_verification

    User = get_user_model()
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).select_related("registration").first()
    if existing is None and User.objects.filter(username=email).exists():
        existing = User.objects.get(username=email)
    if existing is not None:
        registration = getattr(existing, "registration", None)
        if registration is not None and registration.status == RegistrationStatus.UNVERIFIED:
            enqueue_on_commit(send_verification, registration.pk, verification_url(registration, language))
        else:
            enqueue_on_commit(send_already_registered, existing.pk)
        return None
    try:
        with transaction.atomic():
            user = User(username=email, email=email, first_name=first_name, last_name=last_name, is_active=False)
            user.set_password(password)
            user.save()
            profile = user.profile
            profile.agency = agency
            profile.preferred_language = language
            profile.save(update_fields=["agency", "preferred_language"])
            registration = Registration.objects.create(user=user, agency=agency)
            log(instance=registration, action="onboarding.register", user=user)
            enqueue_on_commit(send_verification, registration.pk, verification_url(registration, language))
    except IntegrityError:
        # The same address registered at the same moment: treat as known.
        return None
    return registration


def verify_email(token):
    """Mark the registration of a verification link verified and tell the
    reviewers. Safe to call twice: a verified registration is returned
    unchanged. Raises RegistrationRefused for a bad or expired link."""
    from .tasks import send_registration_received

    try:
        data = signing.loads(token, salt=SALT, max_age=verification_max_age())
    except signing.SignatureExpired:
        raise RegistrationRefused(_("This link has expired. Please register again.")) from None
    except signing.BadSignature:
        raise RegistrationRefused(_("This link is not valid. Check that you copied all of it.")) from None
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("user", "agency").filter(pk=data.get("r")).first()
        )
        if registration is None or registration.user.email.lower() != data.get("e"):
            raise RegistrationRefused(_("This link is not valid. Check that you copied all of it."))
        if registration.status != RegistrationStatus.UNVERIFIED:
            return registration
        registration.status = RegistrationStatus.PENDING
        registration.email_verified_at = timezone.now()
        registration.save(update_fields=["status", "email_verified_at"])
        log(instance=registration, action="onboarding.verify", user=registration.user)
        enqueue_on_commit(send_registration_received, registration.pk)
    return registration


def _decide(registration, actor, status, reason=""):
    if not permissions.managed_registrations(actor).filter(pk=registration.pk).exists():
        raise RegistrationRefused(_("You may not decide on this registration."))
    locked = Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
    if locked.status == status:
        return locked, False
    if locked.status != RegistrationStatus.PENDING:
        raise RegistrationRefused(
            _("This registration is %(status)s and can no longer be decided.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return locked, True


@transaction.atomic
def approve(registration, *, actor):
    """Activate the account as a trainee of its agency, apply the agency's
    standing assignments and e-mail the person. Safe to call twice."""
    from .assignments import apply_standing_assignments
    from .tasks import send_registration_decided

    registration, changed = _decide(registration, actor, RegistrationStatus.APPROVED)
    if changed:
        user = registration.user
        user.is_active = True
        user.save(update_fields=["is_active"])
        user.groups.add(Group.objects.get(name=TRAINEES))
        log(instance=registration, action="onboarding.approve", user=actor)
        apply_standing_assignments(user, actor=actor)
        enqueue_on_commit(send_registration_decided, registration.pk)
    return registration


@transaction.atomic
def reject(registration, *, actor, reason=""):
    """Refuse the registration; the account stays inactive. The person is
    e-mailed the reason given. Safe to call twice."""
    from .tasks import send_registration_decided

    registration, changed = _decide(registration, actor, RegistrationStatus.REJECTED, reason)
    if changed:
        log(instance=registration, action="onboarding.reject", user=actor, data={"reason": reason})
        enqueue_on_commit(send_registration_decided, registration.pk)
    return registration
