"""What the tracking app stores: the bulk certificate downloads people
asked for, and each trainee's certification state (derived from courses and
certificates, kept current on events, rebuildable at any time)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.storage import private_storage


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_upload_to(instance, filename):
    return f"bulk-exports/{instance.created_at:%Y/%m}/{filename}"


class BulkExport(models.Model):
    """One request for a ZIP of the current certificates of a filtered set of
    people, built by a background task (``tracking.tasks.build_bulk_export``)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificate_bulk_exports",
        verbose_name=_("requested by"),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(_("file"), upload_to=export_upload_to, storage=private_storage, max_length=255, blank=True)
    certificates = models.PositiveIntegerField(_("certificates included"), default=0)
    missing = models.PositiveIntegerField(_("certificates without a PDF"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the builder while it works; a build without news for
    # TASKS_STALE_AFTER_SECONDS is taken for lost and retried (lms.recovery).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("build attempts"), default=0)

    class Meta:
        verbose_name = _("bulk certificate download")
        verbose_name_plural = _("bulk certificate downloads")
        ordering = ("-created_at",)
        indexes = (models.Index(fields=["requested_by", "-created_at"], name="bulkexport_requester"),)

    def __str__(self):
        return f"{self.pk} {self.status}"

    @property
    def is_finished(self):
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


class CertificationState(models.Model):
    """One trainee's certification facts for the required-certifications
    definition, kept current on the events that change them (see
    ``tracking.certification``) so the headline report is one GROUP BY over
    one narrow table. Derived data: ``manage.py refresh_certification_states``
    rebuilds it from enrolments and certificates at any time.

    Only dates are stored, never "expired yet?": expiry is decided when the
    figures are read, so no event is needed when a day passes.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="certification_state",
        verbose_name=_("trainee"),
    )
    agency = models.ForeignKey("lms.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    required = models.PositiveSmallIntegerField(_("courses required"), default=0)
    enrolled = models.BooleanField(_("enrolled in a required course"), default=False)
    in_progress = models.BooleanField(_("a required course in progress"), default=False)
    completed = models.BooleanField(_("completed every required course"), default=False)
    held_all = models.BooleanField(_("holds a certificate for every required course"), default=False)
    held_any = models.BooleanField(_("holds a certificate for a required course"), default=False)
    first_expiry = models.DateField(
        _("first expiry"),
        null=True,
        blank=True,
        help_text=_("The earliest expiry among the required certificates held (empty when none expires)."),
    )
    revoked = models.BooleanField(_("a required certificate was revoked"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certification state")
        verbose_name_plural = _("certification states")

    def __str__(self):
        return f"{self.user_id} {self.agency_id}"
