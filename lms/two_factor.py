"""Two-factor authentication (django-otp): an authenticator app (TOTP) and
single-use recovery codes (otp_static).

Staff (administrators, coordinators, instructors: anyone who may open the
Wagtail admin) must enrol and verify before any admin page; trainees may opt
in, and once enrolled are asked for a code after every login. The whole
requirement is switched by ``settings.TWO_FACTOR_REQUIRED`` (on in base, dev
and production; off in the test settings, where the 2FA tests turn it on).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from .exceptions import RefusedAction

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


class TwoFactorRefused(RefusedAction):
    pass


def is_staff_member(user):
    """Does ``user`` reach the admin (and so need a second factor)?"""
    return user.is_authenticated and (user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def is_enrolled(user):
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user):
    return bool(getattr(user, "is_verified", lambda: False)())


def pending_device(user):
    """The authenticator being set up (unconfirmed), created once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=AUTHENTICATOR)
    return device


@transaction.atomic
def confirm_enrolment(request, token):
    """Confirm the pending authenticator with a first code; returns the new
    recovery codes (shown once). Refuses a wrong code. Not safe to call twice
    (the second call has no pending device and refuses)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    if device is None or not device.verify_token((token or "").strip()):
        raise TwoFactorRefused(_("That code is not right. Check the clock of your device and try again."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    log(instance=user, action="lms.two_factor.enrol", user=user)
    return codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def regenerate_recovery_codes(user):
    """Replace every recovery code; the old ones stop working. Each call
    gives new codes."""
    if not is_enrolled(user):
        raise TwoFactorRefused(_("Set up an authenticator app first."))
    codes = _new_recovery_codes(user)
    log(instance=user, action="lms.two_factor.recovery_codes", user=user)
    return codes


def verify(request, code):
    """Check ``code`` (authenticator or recovery code) against the user's
    devices and mark the session verified. Recovery codes work once;
    django-otp slows down repeated failures. Returns True on success."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return False
    for device in devices_for_user(request.user, confirmed=True):
        verified = verify_token(request.user, device.persistent_id, code)
        if verified is not None:
            otp_login(request, verified)
            return True
    return False


@transaction.atomic
def disable(user, *, required):
    """Remove the user's second factor. Refused when it is required of them.
    Safe to call twice."""
    if required:
        raise TwoFactorRefused(_("Staff accounts must keep two-factor authentication."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log(instance=user, action="lms.two_factor.disable", user=user)


def mark_verified(session, device):
    """For tests and tools: record in ``session`` that ``device`` verified it."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
