"""Repairing certificates that were never issued.

A completed cycle is issued by a task enqueued when the completion commits;
a process killed between the commit and the enqueue (or a task row lost
with its worker) leaves the cycle complete without a certificate, and
nothing retries it. ``issue_missing_certificates`` finds every such cycle
and issues it. It is safe beside a live worker and when run twice: issuing
locks the enrolment and the database allows one active certificate per
enrolment, so a cycle is never issued twice.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import Enrollment

from .exceptions import CertificateError
from .issuing import issue
from .models import Certificate

logger = logging.getLogger(__name__)


def missing_certificates(completed_before=None):
    """Completed enrolment cycles with no certificate at all (a revoked or
    superseded one counts as issued), oldest completion first."""
    enrollments = Enrollment.objects.filter(completed_at__isnull=False).filter(
        ~Exists(Certificate.objects.filter(enrollment=OuterRef("pk")))
    )
    if completed_before is not None:
        enrollments = enrollments.filter(completed_at__lt=completed_before)
    return enrollments.order_by("completed_at", "pk")


@dataclass
class IssueRun:
    issued: list = field(default_factory=list)
    already: int = 0
    failed: int = 0

    def __str__(self):
        return (
            f"certificates: {len(self.issued)} missing certificate(s) issued, "
            f"{self.already} issued meanwhile by another process, {self.failed} failed"
        )


def issue_missing_certificates(*, min_age=datetime.timedelta(0), now=None):
    """Issue the certificate of every completed cycle that has none and
    completed at least ``min_age`` ago. Returns an IssueRun (serials
    issued, cycles another process issued meanwhile, failures).

    Safe to call twice and concurrently with workers and other runs.
    A cycle that cannot be issued is logged and counted, and the others
    still are.
    """
    now = now or timezone.now()
    run = IssueRun()
    for pk in list(missing_certificates(now - min_age).values_list("pk", flat=True)):
        enrollment = Enrollment.objects.filter(pk=pk).first()
        if enrollment is None:
            continue
        try:
            certificate, created = issue(enrollment, recovered=True)
        except CertificateError as refused:
            logger.warning("Enrolment %s not issued: %s", pk, refused.message)
            run.failed += 1
            continue
        except Exception:  # one broken cycle must not stop the repair of the others (logged, counted)
            logger.exception("Enrolment %s: the missing certificate could not be issued", pk)
            run.failed += 1
            continue
        if created:
            logger.warning("Issued missing certificate %s for enrolment %s", certificate.serial, pk)
            run.issued.append(certificate.serial)
        else:
            run.already += 1
    return run


def recover(now=None):
    """The certificates app's ``recover_lost_work`` hook."""
    return issue_missing_certificates(now=now)


def store_missing_pdfs(certificates):
    """Render and store the PDF of each of ``certificates`` that has none
    (records written in bulk, e.g. the demo population), from the
    certificate's own snapshots. Returns how many were stored.

    Only an empty ``pdf`` is ever filled (one conditional UPDATE per
    certificate), so this is safe to call twice and concurrently; a file
    written by a run that lost the race is removed.
    """
    from .issuing import remove_pdf
    from .rendering import render_pdf, template_for

    stored = 0
    for certificate in certificates.filter(pdf="").select_related("course", "template").iterator(chunk_size=100):
        rendered = render_pdf(certificate, template_for(certificate))
        certificate.pdf.save(
            f"{certificate.serial}-{secrets.token_hex(8)}.pdf", ContentFile(rendered.content), save=False
        )
        if Certificate.objects.filter(pk=certificate.pk, pdf="").update(
            pdf=certificate.pdf.name, sha256=rendered.sha256
        ):
            stored += 1
        else:
            remove_pdf(certificate)
    return stored
