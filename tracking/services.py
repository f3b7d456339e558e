"""Bulk certificate downloads: asking for one, and building its ZIP.

The ZIP is built by the background task ``tasks.build_bulk_export`` (never
in the request): the PDFs of the current certificates of the people the
requester may see, under the filters they chose, plus a manifest listing
every certificate and whether its PDF was included.
"""

import csv
import io
import logging
import re
import secrets
import tempfile
import time
import zipfile
from dataclasses import dataclass
from functools import partial

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import stats
from .criteria import Criteria
from .exceptions import ExportRefused
from .exports import describe_filter_form, neutralise
from .models import BulkExport, ExportStatus
from .permissions import may_view_reports

logger = logging.getLogger(__name__)

BEAT_EVERY = 30  # seconds between two signs of life of a long build


class _Request:
    """Just enough of a request for the filter forms (which read ``user``)."""

    def __init__(self, user):
        self.user = user


def request_bulk_export(user, criteria, language="en"):
    """Record a bulk download of ``criteria``'s current certificates for
    ``user`` and enqueue its building once the transaction commits.

    Not idempotent: each call asks for a new download.
    """
    from .tasks import build_bulk_export

    if not may_view_reports(user):
        raise ExportRefused()
    params = criteria.as_params()
    params.pop("status", None)  # every person of the set; the certificates decide
    with transaction.atomic():
        export = BulkExport.objects.create(requested_by=user, filters=params, language=language)
        log(instance=export, action="tracking.bulk_export", user=user)
        transaction.on_commit(partial(build_bulk_export.enqueue, export_id=export.pk))
    return export


def visible_exports(user):
    """The downloads ``user`` may see: their own; every one for administrators."""
    from lms.permissions import is_administrator

    if not may_view_reports(user):
        return BulkExport.objects.none()
    exports = BulkExport.objects.select_related("requested_by")
    return exports if is_administrator(user) else exports.filter(requested_by=user)


def stored_criteria(export):
    """The stored filters, re-validated against the requester's scope now."""
    from .filters import PeopleFilterSet

    filters = PeopleFilterSet(data=export.filters, request=_Request(export.requested_by))
    if not filters.is_valid():
        raise ExportRefused(" ".join(filters.error_messages()))
    return filters, filters.criteria()


def describe_stored_filters(export):
    try:
        filters, _criteria = stored_criteria(export)
    except ExportRefused:
        return []
    return describe_filter_form(filters)


def build_bulk_export(export_id):
    """Build the ZIP of one BulkExport. Safe to call twice and beside
    another builder: a finished export is left as it is, and so is one whose
    builder showed a sign of life recently (``heartbeat_at``). A build
    retried more than ``TASKS_MAX_ATTEMPTS`` times (its workers kept dying)
    is marked failed with a message instead of "being built" for ever."""
    export = _claim(export_id)
    if export is None:
        return None
    try:
        with translation.override(export.language):
            included, missing, handle = _write_zip(export, beat=partial(_beat, export.pk))
        with handle:
            export.file.save(f"certificates-{export.pk}-{secrets.token_hex(8)}.zip", File(handle), save=False)
        export.certificates, export.missing = included, missing
        export.status, export.finished_at = ExportStatus.DONE, timezone.now()
        export.save(update_fields=["file", "certificates", "missing", "status", "finished_at"])
    except ExportRefused as refused:
        _fail(export, str(refused.message))
    except Exception:
        logger.exception("Bulk certificate export %s failed", export_id)
        _fail(export, _("The download could not be built. Please try again or ask an administrator."))
        raise
    return export.pk


def _claim(export_id):
    """Take the build of ``export_id`` (or None: finished, or alive elsewhere)."""
    from lms.recovery import max_attempts, stale_after

    now = timezone.now()
    with transaction.atomic():
        export = BulkExport.objects.select_for_update().select_related("requested_by").filter(pk=export_id).first()
        if export is None or export.is_finished:
            return None
        if export.status == ExportStatus.RUNNING and export.heartbeat_at and export.heartbeat_at > now - stale_after():
            return None  # another builder is at work
        if export.attempts >= max_attempts():
            with translation.override(export.language):
                _fail(export, _("The download could not be built: the process building it stopped. Please ask again."))
            return None
        export.status, export.heartbeat_at, export.attempts = ExportStatus.RUNNING, now, export.attempts + 1
        export.save(update_fields=["status", "heartbeat_at", "attempts"])
    return export


def _beat(export_id):
    BulkExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(heartbeat_at=timezone.now())


def _fail(export, message):
    export.status, export.error, export.finished_at = ExportStatus.FAILED, message, timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])


@dataclass
class ExportRecovery:
    retried: int = 0

    def __str__(self):
        return f"bulk downloads: {self.retried} stale build(s) queued again"


def recover_bulk_exports(now=None):
    """Queue again every unfinished bulk download with no sign of life for
    ``stale_after()`` (its task or its worker was lost). The build itself
    decides whether to run, to leave it to a live builder, or to fail it
    after too many attempts, so this is safe to call twice."""
    from lms.recovery import stale_after

    from .tasks import build_bulk_export as build_task

    cutoff = (now or timezone.now()) - stale_after()
    stale = BulkExport.objects.filter(status__in=(ExportStatus.PENDING, ExportStatus.RUNNING)).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    result = ExportRecovery()
    for export_id in stale.values_list("pk", flat=True):
        logger.warning("Bulk certificate export %s stalled; queued again", export_id)
        build_task.enqueue(export_id=export_id)
        result.retried += 1
    return result


def zip_name(*parts):
    """A path inside the ZIP made of ``parts`` with nothing that could climb
    out of its folder or make a new one: separators, dots-only names and
    control characters become "-"."""
    safe = []
    for part in parts:
        cleaned = UNSAFE_IN_ZIP.sub("-", str(part)).strip(" .-")
        safe.append(cleaned[:80] or "-")
    return "/".join(safe)


UNSAFE_IN_ZIP = re.compile(r"[^\w.\- ]+|\.{2,}")


def _write_zip(export, beat=lambda: None):
    """(certificates included, certificates without a PDF, open temp file).
    Calls ``beat`` now and then, so a long build shows it is alive."""
    _filters, criteria = stored_criteria(export)
    people = stats.scoped_people(export.requested_by, criteria)
    certificates = (
        stats.certificates(criteria)
        .current(criteria.today)
        .filter(holder__in=people.values("pk"))
        .select_related("holder__profile__agency")
        .order_by("holder__last_name", "holder__first_name", "holder_id", "course_code")
    )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (returned open; the caller closes it)
    included = missing = 0
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(
        [_("Certificate"), _("Holder"), _("Agency"), _("Course code"), _("Issued"), _("Expires"), _("File")]
    )
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        last_beat = time.monotonic()
        for cert in certificates.iterator(chunk_size=1000):
            if time.monotonic() - last_beat > BEAT_EVERY:
                beat()
                last_beat = time.monotonic()
            agency = getattr(getattr(cert.holder, "profile", None), "agency", None)
            name = zip_name(agency.acronym if agency else _("no agency"), f"{cert.serial}.pdf")
            stored = False
            if cert.pdf:
                try:
                    with cert.pdf.open("rb") as pdf, archive.open(name, "w") as target:
                        for chunk in iter(lambda: pdf.read(1 << 16), b""):
                            target.write(chunk)
                    stored = True
                except OSError:
                    logger.warning("PDF of certificate %s is missing from storage", cert.serial)
            included += stored
            missing += not stored
            writer.writerow(
                [
                    neutralise(cert.serial),
                    neutralise(cert.holder_name),
                    agency.acronym if agency else "",
                    neutralise(cert.course_code),
                    cert.issued_on.isoformat(),
                    cert.expires_on.isoformat() if cert.expires_on else "",
                    name if stored else _("no PDF stored"),
                ]
            )
        archive.writestr(_("manifest") + ".csv", manifest.getvalue().encode("utf-8"))
    handle.seek(0)
    return included, missing, handle


__all__ = ["Criteria", "build_bulk_export", "request_bulk_export", "visible_exports"]
