"""Background work of the certificates app (Django's Tasks API)."""

import logging

from django_tasks import task

from courses.models import Enrollment

from .issuing import issue_certificate

logger = logging.getLogger(__name__)


@task()
def issue_certificate_task(enrollment_id):
    """Issue the certificate of enrolment ``enrollment_id``; returns its serial.

    Safe to run twice (issue_certificate returns the existing certificate).
    An enrolment deleted meanwhile is skipped.
    """
    enrollment = Enrollment.objects.filter(pk=enrollment_id).first()
    if enrollment is None:
        logger.warning("Certificate not issued: enrolment %s no longer exists.", enrollment_id)
        return None
    return issue_certificate(enrollment).serial
