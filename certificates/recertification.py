"""Recertification: a holder whose certificate has expired, or expires
within the window, starts a new cycle of the course. The old cycle, its
progress and its certificate stay as history."""

from django.conf import settings
from django.db import transaction

from courses import progress
from courses.exceptions import CourseError
from courses.models import Enrollment

from .exceptions import RecertificationRefused
from .models import Certificate


def window_days():
    return int(getattr(settings, "CERTIFICATE_RECERTIFY_WINDOW_DAYS", 90))


def is_due(certificate, today=None):
    """May the holder of ``certificate`` start recertifying now? Active
    (not revoked or superseded) and expired or within the window."""
    if not certificate.is_active or certificate.expires_on is None:
        return False
    return certificate.days_to_expiry(today) <= window_days()


def certificate_due(user, course, today=None):
    """The certificate of ``user``'s current, completed cycle of ``course``
    if it is due for recertification, else None."""
    if not user.is_authenticated:
        return None
    certificate = (
        Certificate.objects.active()
        .filter(
            holder=user,
            course=course,
            enrollment__is_current=True,
            enrollment__completed_at__isnull=False,
        )
        .order_by("-issued_at")
        .first()
    )
    return certificate if certificate is not None and is_due(certificate, today) else None


def start_recertification(user, course, today=None):
    """Open the next cycle of ``course`` for ``user`` and return it.

    Safe to call twice: when the current cycle is already a new, unfinished
    recertification cycle it is returned unchanged. Raises
    RecertificationRefused when no certificate of the current cycle is due.
    """
    with transaction.atomic():
        current = Enrollment.objects.filter(user=user, course=course, is_current=True).first()
        if current is not None and current.completed_at is None and current.cycle > 1:
            return current
        if certificate_due(user, course, today) is None:
            raise RecertificationRefused()
        try:
            return progress.start_new_cycle(user, course, actor=user)
        except CourseError as error:
            raise RecertificationRefused(error.message) from error
