"""Onboarding records: registrations waiting for approval, import batches,
course assignments with due dates and the reminders sent for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("E-mail not verified")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Registration(models.Model):
    """A self-registration. The account stays inactive until approved."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        "lms.Agency", on_delete=models.PROTECT, related_name="registrations", verbose_name=_("agency")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.UNVERIFIED
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason given"), blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "status"], name="registration_agency_status")]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.get_status_display()})"


class ImportBatch(models.Model):
    """One file of people imported (or refused) for an agency."""

    agency = models.ForeignKey(
        "lms.Agency", on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("agency")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    filename = models.CharField(_("file"), max_length=255)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new people"), default=0)
    existing_count = models.PositiveIntegerField(_("already in the agency"), default=0)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people created")
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.agency.acronym})"


class Assignment(models.Model):
    """A course an agency asks some or all of its people to complete."""

    agency = models.ForeignKey(
        "lms.Agency", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("agency")
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("course")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    include_future = models.BooleanField(
        _("everyone who joins later"),
        default=False,
        help_text=_("Also assign the course to people who join the agency later."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} – {self.agency.acronym}"


class AssignedPerson(models.Model):
    """One person's share of an assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="members", verbose_name=_("assignment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("person")
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assigned person")
        verbose_name_plural = _("assigned people")
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="assigned_person_once")]


class DueReminderKind(models.TextChoices):
    WEEK = "week", _("7 days before")
    DAY = "day", _("1 day before")


class DueReminder(models.Model):
    """A due-date reminder that went out; the unique pair sends it once."""

    member = models.ForeignKey(AssignedPerson, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=8, choices=DueReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("due-date reminder")
        verbose_name_plural = _("due-date reminders")
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="due_reminder_once")]
