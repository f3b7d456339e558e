"""E-mails to a certificate's holder when it is issued (with the verify
link; the PDF is not attached) and when it is revoked. Sent by the task
queue after the certificate's transaction commits (see receivers.py), in the
holder's language, with plain-text and HTML parts."""

from django.core.mail import get_connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from lms.notifications import OptionalEmail, language_of, render_email, site_url, wants

from .models import Certificate
from .rendering import verification_url


def _context(certificate, language):
    holder = certificate.holder
    with translation.override(language):
        return {
            "name": holder.get_full_name() or holder.get_username(),
            "course": certificate.course_title_in(language),
            "serial": certificate.serial,
            "issued": formats.date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT"),
            "expires": formats.date_format(certificate.expires_on, "DATE_FORMAT") if certificate.expires_on else "",
            "verify_url": verification_url(certificate, language),
            "learning_url": site_url(reverse("my_learning")),
        }


def holder_email(certificate, template):
    """The e-mail ``template`` ("issued" or "revoked") for the holder."""
    language = language_of(certificate.holder)
    return render_email(
        f"certificates/emails/{template}",
        _context(certificate, language),
        to=certificate.holder.email,
        language=language,
    )


def _certificate(certificate_id):
    return Certificate.objects.select_related("holder__profile").filter(pk=certificate_id).first()


@task()
def send_certificate_issued(certificate_id):
    """Optional (the holder may turn it off). Sends again if run twice."""
    certificate = _certificate(certificate_id)
    if certificate is None or certificate.holder is None or not certificate.holder.is_active:
        return 0
    if not certificate.is_active or not wants(certificate.holder, OptionalEmail.CERTIFICATE_ISSUED):
        return 0
    get_connection().send_messages([holder_email(certificate, "issued")])
    return 1


@task()
def send_certificate_revoked(certificate_id):
    """Always sent (not optional). Sends again if run twice."""
    certificate = _certificate(certificate_id)
    if certificate is None or certificate.holder is None or not certificate.holder.email:
        return 0
    if certificate.revoked_at is None:
        return 0
    get_connection().send_messages([holder_email(certificate, "revoked")])
    return 1
