from django.utils.translation import gettext_lazy as _

from lms.exceptions import RefusedAction


class CertificateError(RefusedAction):
    """A refused certificate action; ``message`` is translated and safe to show."""

    default_message = _("This action is not possible.")


class NotIssuable(CertificateError):
    default_message = _("A certificate is issued only for a completed enrolment.")


class AlreadyRevoked(CertificateError):
    default_message = _("This certificate has already been revoked.")


class AlreadySuperseded(CertificateError):
    default_message = _("This certificate has already been replaced by a newer one.")


class NotAllowed(CertificateError):
    default_message = _("You may not do this.")


class RecertificationRefused(CertificateError):
    default_message = _("You cannot start recertification for this course now.")
