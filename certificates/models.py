"""Certificates: what a certificate looks like (templates), which template a
course uses, the issued records and the reminders sent about them.

An issued Certificate is a record, not a document being edited: once
written, only its revocation and supersession fields ever change (see
``Certificate.save``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from courses.models import CoursePage, Enrollment
from lms.conditions import matches
from lms.storage import private_storage

# --------------------------------------------------------------- statuses


class Status(models.TextChoices):
    """What a verification says about a code. Defined once; used by the
    model, the verification page, the JSON API and the lists."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_FOUND = "not_found", _("Not found")


class PageSize(models.TextChoices):
    A4 = "A4", _("A4 landscape")
    LETTER = "letter", _("US Letter landscape")


class LanguageMode(models.TextChoices):
    HOLDER = "holder", _("The holder's preferred language")
    BILINGUAL = "bilingual", _("Bilingual (English and Spanish)")


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, e.g. #0b3d62."))


# --------------------------------------------------------------- templates


class CertificateTemplate(models.Model):
    """The look and wording of a certificate. Administrators manage these in
    the Wagtail admin; each course picks one (CourseCertificateSettings) or
    gets the default."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used by every course that does not pick a template."),
    )
    # Wording left empty falls back to the built-in, translated wording.
    heading = models.CharField(
        _("heading"),
        max_length=120,
        blank=True,
        help_text=_("E.g. Certificate of Completion."),
    )
    statement = models.CharField(
        _("statement"),
        max_length=255,
        blank=True,
        help_text=_("Printed between the holder's name and the course title."),
    )
    issuer_name = models.CharField(_("issuing organisation"), max_length=200, blank=True)
    footer_note = models.CharField(_("footer note"), max_length=300, blank=True)
    signatory_1_name = models.CharField(_("first signatory: name"), max_length=120, blank=True)
    signatory_1_title = models.CharField(_("first signatory: title"), max_length=160, blank=True)
    signatory_1_signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("first signatory: signature image"),
    )
    signatory_2_name = models.CharField(_("second signatory: name"), max_length=120, blank=True)
    signatory_2_title = models.CharField(_("second signatory: title"), max_length=160, blank=True)
    signatory_2_signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("second signatory: signature image"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    border_colour = models.CharField(
        _("border colour"),
        max_length=7,
        default="#0b3d62",
        validators=[colour_validator],
    )
    page_size = models.CharField(_("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4)
    language_mode = models.CharField(
        _("language"),
        max_length=10,
        choices=LanguageMode.choices,
        default=LanguageMode.HOLDER,
    )

    panels = (
        FieldRowPanel([FieldPanel("name"), FieldPanel("is_default")]),
        MultiFieldPanel(
            [
                FieldPanel("heading_en"),
                FieldPanel("heading_es"),
                FieldPanel("statement_en"),
                FieldPanel("statement_es"),
                FieldPanel("issuer_name_en"),
                FieldPanel("issuer_name_es"),
                FieldPanel("footer_note_en"),
                FieldPanel("footer_note_es"),
            ],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_1_name"),
                FieldPanel("signatory_1_title_en"),
                FieldPanel("signatory_1_title_es"),
                FieldPanel("signatory_1_signature"),
                FieldPanel("signatory_2_name"),
                FieldPanel("signatory_2_title_en"),
                FieldPanel("signatory_2_title_es"),
                FieldPanel("signatory_2_signature"),
            ],
            heading=_("Signatures"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("border_colour"),
                FieldPanel("page_size"),
                FieldPanel("language_mode"),
            ],
            heading=_("Layout"),
        ),
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="certificate_template_one_default",
            ),
        )

    def __str__(self):
        return self.name

    def wording(self, field, language):
        """A translated wording field in ``language`` ("" when not written)."""
        return getattr(self, f"{field}_{language}", "") or ""

    @classmethod
    def for_course(cls, course):
        """The template ``course`` uses: its own choice, else the default, else
        None (the built-in wording)."""
        chosen = (
            CourseCertificateSettings.objects.filter(course=course).select_related("template").first()
            if course is not None
            else None
        )
        if chosen is not None and chosen.template is not None:
            return chosen.template
        return cls.objects.filter(is_default=True).first()


class CourseCertificateSettings(models.Model):
    """Which certificate template a course uses. Lives here so that courses
    never import certificates."""

    course = models.OneToOneField(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="certificate_settings",
        verbose_name=_("course"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.PROTECT,
        related_name="course_settings",
        verbose_name=_("certificate template"),
    )

    panels = (
        FieldPanel("course"),
        FieldPanel("template"),
    )

    class Meta:
        verbose_name = _("course certificate setting")
        verbose_name_plural = _("course certificate settings")

    def __str__(self):
        return f"{self.course} → {self.template}"


# --------------------------------------------------------------- serials


class SerialCounter(models.Model):
    """The last serial number issued in a year. Locked with
    select_for_update while a number is taken, so serials stay unique under
    concurrent issuing (gaps are possible when an issue is abandoned)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


# --------------------------------------------------------------- certificates


def expired_q(today, field="expires_on"):
    """The expiry rule: a certificate (or a date standing for one) has
    expired on ``today`` when its ``field`` is on or before it. Reports
    apply it to their own date columns through ``field``."""
    return models.Q(**{f"{field}__lte": today})


def expiring_q(today, days, field="expires_on"):
    """Expires within ``days`` days of ``today`` (apply to current ones)."""
    return models.Q(**{f"{field}__lte": today + datetime.timedelta(days=days)})


def status_rules(today):
    """THE definition of a certificate's status on ``today``: (status,
    condition) in order of precedence. A certificate has the first status
    whose condition it meets, and is valid (current) when it meets none.
    Used in SQL by ``CertificateQuerySet`` and in Python by
    ``Certificate.status_on``, so both always agree."""
    return (
        (Status.SUPERSEDED, models.Q(superseded_at__isnull=False)),
        (Status.REVOKED, models.Q(revoked_at__isnull=False)),
        (Status.EXPIRED, expired_q(today)),
    )


def status_q(status, today):
    """The condition of having exactly ``status`` on ``today``."""
    condition = models.Q()
    for rule_status, rule in status_rules(today):
        if rule_status == status:
            return condition & rule
        condition &= ~rule
    if status != Status.VALID:
        raise ValueError(f"No certificate has the status {status!r}.")
    return condition


class CertificateQuerySet(models.QuerySet):
    """Certificates by status, each filter built from ``status_rules``."""

    def active(self):
        """Neither revoked nor superseded (may still have expired)."""
        return self.filter(revoked_at__isnull=True, superseded_at__isnull=True)

    def with_status(self, today=None):
        """Annotate ``status_code``: the status on ``today``."""
        today = today or timezone.localdate()
        whens = [models.When(rule, then=models.Value(status.value)) for status, rule in status_rules(today)]
        return self.annotate(
            status_code=models.Case(*whens, default=models.Value(Status.VALID.value), output_field=models.CharField())
        )

    def with_status_of(self, status, today=None):
        return self.filter(status_q(status, today or timezone.localdate()))

    def current(self, today=None):
        """Valid on ``today``: neither superseded, revoked nor expired."""
        return self.with_status_of(Status.VALID, today)

    def expiring(self, days, today=None):
        """Current on ``today`` and expiring within ``days`` days."""
        today = today or timezone.localdate()
        return self.current(today).filter(expiring_q(today, days))

    def expired(self, today=None):
        """Expired on ``today`` (and neither superseded nor revoked)."""
        return self.with_status_of(Status.EXPIRED, today)

    def revoked(self):
        return self.with_status_of(Status.REVOKED, timezone.localdate())

    def superseded(self):
        return self.with_status_of(Status.SUPERSEDED, timezone.localdate())


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.issued_on:%Y}/{filename}"


# Fields that change after issue: revocation and supersession only.
MUTABLE_FIELDS = frozenset({"revoked_at", "revoked_by", "revocation_reason", "superseded_at", "superseded_by"})


class Certificate(models.Model):
    """One certificate for one completed enrolment cycle.

    Snapshots (holder name, course titles and code, hours, dates) are taken
    at issue, so the record and its PDF keep saying what was certified even if
    the profile, the course or the people change later.
    """

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    code = models.CharField(_("verification code"), max_length=64, unique=True, editable=False)
    enrollment = models.ForeignKey(
        Enrollment,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    course = models.ForeignKey(
        CoursePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("course"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("template"),
    )
    holder_name = models.CharField(_("holder's name"), max_length=300)
    course_code = models.CharField(_("course code"), max_length=30)
    course_title_en = models.CharField(_("course title (English)"), max_length=255)
    course_title_es = models.CharField(_("course title (Spanish)"), max_length=255)
    credit_hours = models.DecimalField(_("credit hours"), max_digits=5, decimal_places=1)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField(_("issued at"))
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(
        _("expiry date"),
        null=True,
        blank=True,
        help_text=_("The first day the certificate is no longer valid."),
    )
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course revision completed"),
    )
    # Private storage: reached only through the permission-checked download
    # view, never under MEDIA_URL (deploy/nginx serves public media only).
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, storage=private_storage, max_length=255)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, help_text=_("Private."))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    objects = CertificateQuerySet.as_manager()

    # Nothing to show on a "usage" screen; saves a reference-index task per issue.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ("-issued_at",)
        constraints = (
            # One active certificate per enrolment cycle; revoked or superseded
            # ones stay as history beside their re-issue.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="certificate_one_active_per_enrollment",
            ),
        )
        indexes = (
            models.Index(fields=["expires_on"], name="certificate_expires"),
            # The reports' date filters.
            models.Index(fields=["issued_on"], name="certificate_issued_on"),
        )

    def __str__(self):
        return f"{self.serial} – {self.holder_name}"

    def save(self, *args, **kwargs):
        """Refuse to rewrite an issued certificate: after the first save only
        the revocation and supersession fields may be written."""
        update_fields = kwargs.get("update_fields")
        if self._state.adding is False and (update_fields is None or not set(update_fields) <= MUTABLE_FIELDS):
            raise ValidationError(_("An issued certificate cannot be edited; revoke and re-issue it instead."))
        super().save(*args, **kwargs)

    # -- status

    def status_on(self, today):
        """The status on ``today``, by ``status_rules`` (the queryset's rules)."""
        for status, rule in status_rules(today):
            if matches(self, rule):
                return status
        return Status.VALID

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    def get_status_display(self):
        return Status(self.status).label

    @property
    def is_active(self):
        return self.status_on(timezone.localdate()) in (Status.VALID, Status.EXPIRED)

    def course_title_in(self, language):
        return getattr(self, f"course_title_{language}", "") or self.course_title_en

    @property
    def course_title(self):
        from django.utils.translation import get_language

        return self.course_title_in((get_language() or "en")[:2])

    def days_to_expiry(self, today=None):
        if self.expires_on is None:
            return None
        return (self.expires_on - (today or timezone.localdate())).days


# --------------------------------------------------------------- reminders


class ReminderKind(models.IntegerChoices):
    DAYS_90 = 90, _("90 days before expiry")
    DAYS_30 = 30, _("30 days before expiry")
    EXPIRED = 0, _("On expiry")


class SentReminder(models.Model):
    """That the reminder of a kind went out for a certificate: each is sent
    once, whatever how often the daily command runs."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    kind = models.PositiveSmallIntegerField(_("kind"), choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = (models.UniqueConstraint(fields=["certificate", "kind"], name="reminder_once_per_kind"),)

    def __str__(self):
        return f"{self.certificate_id} {self.kind}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
