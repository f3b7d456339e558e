"""What other apps and templates ask of certificates."""

from django.utils import timezone

from .models import Certificate
from .recertification import is_due


def certificates_for(user, today=None):
    """``user``'s own certificates, newest first, each with ``status`` and
    ``recertify_due`` (an active certificate of their current cycle that has
    expired or expires within the recertification window)."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    rows = list(
        Certificate.objects.filter(holder=user).select_related("course", "enrollment").order_by("-issued_at", "-pk")
    )
    for certificate in rows:
        certificate.current_status = certificate.status_on(today)
        enrollment = certificate.enrollment
        certificate.recertify_due = (
            enrollment is not None
            and enrollment.is_current
            and certificate.course_id is not None
            and is_due(certificate, today)
        )
    return rows


def certificate_for_course(user, course, today=None):
    """The newest certificate ``user`` holds for ``course`` (or None), with
    the same extra attributes as certificates_for()."""
    for certificate in certificates_for(user, today):
        if certificate.course_id == course.pk:
            return certificate
    return None
