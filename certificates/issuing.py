"""Issuing, revoking and re-issuing certificates: the one place that writes
Certificate records.

Serial numbers come from a per-year counter row taken under
``select_for_update`` in a short transaction of its own, so concurrent
issuers never share a number and never hold the counter while a PDF renders.
PDFs are rendered and stored outside every transaction; the short
transaction that then writes the record removes the file if it does not
commit (``_committed_or_removed``).
A number taken by an issue that then finds the certificate already issued
is skipped: serials are unique and increasing, not gapless.
"""

import logging
import secrets
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.models import Enrollment

from . import permissions
from .exceptions import (
    AlreadyRevoked,
    AlreadySuperseded,
    CertificateError,
    NotAllowed,
    NotIssuable,
)
from .models import Certificate, CertificateTemplate, SerialCounter, add_months
from .rendering import render_pdf

logger = logging.getLogger(__name__)


def serial_prefix():
    return getattr(settings, "CERTIFICATE_SERIAL_PREFIX", "AC")


def format_serial(year, number):
    return f"{serial_prefix()}-{year}-{number:06d}"


def next_serial(year):
    """Take the next serial number of ``year``, e.g. ``AC-2026-000042``.

    Not idempotent: every call takes a new number.
    """
    with transaction.atomic():
        SerialCounter.objects.get_or_create(year=year)
        counter = SerialCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return format_serial(year, counter.last)


def new_code():
    """The public verification code: 192 random bits, URL-safe, unrelated
    to the serial."""
    return secrets.token_urlsafe(24)


def _language_of(user):
    codes = {code for code, _name in settings.LANGUAGES}
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None)
    return language if language in codes else settings.LANGUAGE_CODE


def _snapshot(enrollment, *, serial, now, expires_on=None, compute_expiry=True):
    """An unsaved Certificate for ``enrollment`` with every snapshot taken now."""
    user = enrollment.user
    course = enrollment.course
    issued_on = timezone.localdate(now)
    if compute_expiry:
        expires_on = add_months(issued_on, course.validity_months) if course.validity_months else None
    return Certificate(
        serial=serial,
        code=new_code(),
        enrollment=enrollment,
        holder=user,
        course=course,
        template=CertificateTemplate.for_course(course),
        holder_name=(user.get_full_name() or user.get_username()).strip()[:300],
        course_code=course.code,
        course_title_en=course.title_en or course.title,
        course_title_es=course.title_es or course.title_en or course.title,
        credit_hours=course.credit_hours,
        language=_language_of(user),
        issued_at=now,
        issued_on=issued_on,
        expires_on=expires_on,
        completed_revision_id=enrollment.completed_revision_id,
    )


def store_pdf(certificate):
    """Render ``certificate``'s PDF and write it to storage; set ``pdf`` and
    ``sha256`` on the (unsaved) instance. Called outside any transaction: a
    render or an upload never holds a row lock. The caller removes the file
    again if the record that would reference it is not committed
    (``_committed_or_removed``)."""
    rendered = render_pdf(certificate, certificate.template)
    certificate.sha256 = rendered.sha256
    certificate.pdf.save(
        f"{certificate.serial}-{secrets.token_hex(8)}.pdf",
        ContentFile(rendered.content),
        save=False,
    )


@contextmanager
def _committed_or_removed(certificate):
    """A durable transaction for the write that references ``certificate``'s
    stored PDF: if it rolls back (or the caller refuses inside it), the file
    is removed, so no orphan PDF is left behind.

    Durable: called inside another transaction it raises RuntimeError,
    because that outer transaction could still roll back after this block
    has kept the file.
    """
    try:
        with transaction.atomic(durable=True):
            yield
    except BaseException:
        remove_pdf(certificate)
        raise


def remove_pdf(certificate):
    """Delete ``certificate``'s stored PDF (an unsaved or abandoned one)."""
    if certificate.pdf:
        try:
            certificate.pdf.delete(save=False)
        except OSError:
            logger.warning("Could not remove the abandoned PDF %s", certificate.pdf.name, exc_info=True)


def _issued_for(enrollment):
    return Certificate.objects.filter(enrollment=enrollment).order_by("-issued_at", "-pk").first()


def issue_certificate(enrollment):
    """Issue the certificate of a completed enrolment cycle and return it.

    Safe to call twice, and concurrently (tasks, ``issue_missing_certificates``
    beside a live worker): once an enrolment has a certificate (even a
    revoked one) it is returned instead of a new one. "One active
    certificate per enrolment" is a database constraint, and issuers of the
    same cycle are serialised by a row lock on the enrolment.

    Steps, so that no lock is held during the slow parts: take a serial in
    its own short transaction; render and store the PDF outside any
    transaction; then, in one short durable transaction, lock the enrolment,
    check again and save. If that transaction refuses or rolls back, the
    stored PDF is removed. A serial taken by a loser is skipped (serials are
    unique, not gapless). Must not be called inside a transaction.

    Raises NotIssuable for an enrolment that is not complete.
    """
    return issue(enrollment)[0]


def issue(enrollment, *, recovered=False):
    """``issue_certificate`` that also says whether this call issued it:
    (certificate, created). ``recovered`` marks the audit entry of an issue
    made by ``issue_missing_certificates``."""
    existing = _issued_for(enrollment)
    if existing is not None:
        return existing, False
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=enrollment.pk)
    if enrollment.completed_at is None:
        raise NotIssuable()
    now = timezone.now()
    certificate = _snapshot(enrollment, serial=next_serial(timezone.localdate(now).year), now=now)
    store_pdf(certificate)
    with _committed_or_removed(certificate):
        # Locking the enrolment serialises issuers of the same cycle.
        locked = Enrollment.objects.select_for_update(of=("self",)).get(pk=enrollment.pk)
        existing = _issued_for(locked)
        if existing is not None:
            remove_pdf(certificate)
            return existing, False
        if locked.completed_at is None:
            raise NotIssuable()
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            # A concurrent issuer won (databases without row locks).
            remove_pdf(certificate)
            return _issued_for(locked), False
        log(
            instance=certificate,
            action="certificates.issue",
            user=None,
            data={
                "serial": certificate.serial,
                "enrollment": locked.pk,
                "holder": certificate.holder_name,
                **({"recovered": True} if recovered else {}),
            },
        )
    return certificate, True


def revoke_certificate(certificate, *, actor, reason):
    """Revoke ``certificate`` (administrators only) with a private reason.

    Not repeatable: revoking a revoked or superseded certificate raises
    AlreadyRevoked / AlreadySuperseded and changes nothing.
    """
    if not permissions.may_revoke(actor):
        raise NotAllowed(_("Only administrators may revoke certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking this certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.superseded_at is not None:
            raise AlreadySuperseded()
        if locked.revoked_at is not None:
            raise AlreadyRevoked()
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        log(
            instance=locked,
            action="certificates.revoke",
            user=actor,
            data={"serial": locked.serial, "reason": reason},
        )
    return locked


def reissue_certificate(certificate, *, actor):
    """Replace ``certificate`` with a new one (new serial, new code, fresh
    snapshots of the holder's name and the course; the same expiry date) and
    mark the old one superseded. Administrators only.

    Not repeatable on the same certificate: a superseded certificate raises
    AlreadySuperseded; re-issue the newest one instead. As in
    ``issue_certificate``, the serial is taken in its own transaction and the
    PDF is rendered and stored before the short transaction that locks the
    old certificate (removed again if that transaction does not commit).
    Must not be called inside a transaction.
    """
    if not permissions.may_reissue(actor):
        raise NotAllowed(_("Only administrators may re-issue certificates."))
    old = Certificate.objects.get(pk=certificate.pk)
    if old.superseded_at is not None:
        raise AlreadySuperseded()
    enrollment = (
        Enrollment.objects.select_related("user", "course").filter(pk=old.enrollment_id).first()
        if old.enrollment_id
        else None
    )
    if enrollment is None or enrollment.user is None or enrollment.completed_at is None:
        raise NotIssuable(_("The enrolment of this certificate no longer exists; it cannot be re-issued."))
    now = timezone.now()
    new = _snapshot(
        enrollment,
        serial=next_serial(timezone.localdate(now).year),
        now=now,
        expires_on=old.expires_on,
        compute_expiry=False,
    )
    store_pdf(new)
    with _committed_or_removed(new):
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.superseded_at is not None:
            raise AlreadySuperseded()
        # Free the "one active certificate per enrolment" slot first.
        Certificate.objects.filter(pk=old.pk).update(superseded_at=now)
        new.save()
        Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
        log(
            instance=old,
            action="certificates.reissue",
            user=actor,
            data={"serial": old.serial, "new_serial": new.serial},
        )
        log(
            instance=new,
            action="certificates.issue",
            user=actor,
            data={
                "serial": new.serial,
                "enrollment": enrollment.pk,
                "supersedes": old.serial,
            },
        )
    new.refresh_from_db()
    return new
