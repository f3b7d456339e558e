"""What the tracking app stores: only the bulk certificate downloads people
asked for. Every figure in the reports is computed from courses and
certificates when asked, never copied here."""

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
