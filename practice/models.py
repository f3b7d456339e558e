"""Practice exercises: a course step in which trainees enter records into a
training case database and search it, graded automatically.

Each exercise owns a case database. Its seed records (``attempt`` empty) are
shared read-only by every trainee; what a trainee enters lives in the
sandbox of their attempt (``attempt`` set), which nobody else can read.
Structure (which fields are graded, by which rule, the expected values) is
shared between languages; only texts are translated (translation.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.models import StepPage

from .forms import ExercisePageForm
from .vocabulary import PORT_CHOICES, FirearmType, PersonRole, RecordKind


class ReviewPolicy(models.TextChoices):
    """The quiz review policies, with the same values."""

    SCORE_ONLY = "score_only", _("Show the score only")
    AFTER_EACH = "after_each", _("Show answers and explanations after each attempt")
    AFTER_PASS_OR_LAST = "after_pass_or_last", _("Show answers and explanations after passing or the last attempt")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class GradedField(models.TextChoices):
    """The fields of an entry an answer key can grade."""

    KIND = "kind", _("Record type")
    DATE = "occurred_on", _("Date")
    PLACE = "place", _("Place")
    PORT = "port_of_entry", _("Port of entry")
    AGENCIES = "agencies", _("Agencies involved")
    FIREARM_TYPE = "firearm_type", _("Firearm type")
    MAKE = "make", _("Make")
    MODEL = "model", _("Model")
    CALIBER = "caliber", _("Calibre")
    SERIAL = "serial", _("Serial number")
    IMPORTER = "importer_marking", _("Importer marking")
    QUANTITY = "quantity", _("Quantity")
    PERSON_NAME = "person_name", _("Person: full name")
    PERSON_ALIAS = "person_alias", _("Person: alias")
    VEHICLE_PLATE = "vehicle_plate", _("Vehicle: plate")
    VEHICLE_MAKE = "vehicle_make", _("Vehicle: make")
    LINKED_RECORD = "linked_record", _("Linked record")


class Tolerance(models.TextChoices):
    EXACT = "exact", _("Exact")
    CASE_INSENSITIVE = "case_insensitive", _("Case-insensitive")
    SERIAL = "serial", _("Normalised serial (O/0, I/1, separators)")
    ONE_OF = "one_of", _("One of a list")
    RANGE = "range", _("Numeric range")


class ExercisePage(StepPage):
    """A practice exercise inside a course module."""

    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Per enrolment cycle. Leave empty for no limit."),
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("cool-down (minutes)"),
        default=0,
        validators=[MaxValueValidator(60 * 24 * 14)],
        help_text=_("Time a trainee waits after an attempt before starting the next one."),
    )
    review_policy = models.CharField(
        _("review"), max_length=24, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_PASS_OR_LAST
    )
    seed_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("seed records file"),
        help_text=_(
            "A CSV or JSON file of the records every trainee finds in the case database. "
            "It is checked when you save; a file with errors changes nothing."
        ),
    )
    seed_sha256 = models.CharField(_("seed file fingerprint"), max_length=64, blank=True, editable=False)

    content_panels = (
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]),
                FieldPanel("review_policy"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("seed_document"),
        InlinePanel("entry_tasks", label=_("Entry tasks"), heading=_("Entry tasks")),
        InlinePanel("retrieval_tasks", label=_("Retrieval tasks"), heading=_("Retrieval tasks")),
        *StepPage.step_panels,
    )
    search_fields = (*Page.search_fields, index.SearchField("intro"))
    base_form_class = ExercisePageForm
    template = "practice/exercise_page.html"
    #: Only a passed attempt completes an exercise.
    manual_completion = False

    class Meta:
        verbose_name = _("practice exercise")
        verbose_name_plural = _("practice exercises")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)  # personal: attempts, state
        return response

    def get_context(self, request, *args, **kwargs):
        from .views import exercise_page_context

        context = super().get_context(request, *args, **kwargs)
        return exercise_page_context(self, request, context)


class EntryTask(ClusterableModel, Orderable):
    """A scenario the trainee enters as one record, graded by its answer key."""

    page = ParentalKey(ExercisePage, on_delete=models.CASCADE, related_name="entry_tasks")
    title = models.CharField(_("title"), max_length=200)
    scenario = models.TextField(_("scenario"), help_text=_("The narrative the trainee turns into a record."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Optional: a photo or drawing, e.g. of a firearm's markings."),
    )
    image_alt = models.CharField(
        _("image description"), max_length=300, blank=True, help_text=_("What the image shows, for screen readers.")
    )
    record_kind = models.CharField(
        _("record type"), max_length=16, choices=RecordKind.choices, default=RecordKind.SEIZURE
    )
    require_link = models.BooleanField(
        _("link required"), default=False, help_text=_("The entry must be linked to an existing record.")
    )

    panels = (
        FieldPanel("title"),
        FieldPanel("scenario"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt")]),
        FieldRowPanel([FieldPanel("record_kind"), FieldPanel("require_link")]),
        InlinePanel("answer_keys", label=_("Answer key"), heading=_("Answer key: graded fields")),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("entry task")
        verbose_name_plural = _("entry tasks")

    def __str__(self):
        return self.title


class AnswerKey(Orderable):
    """One graded field of an entry task: the expected value and the rule."""

    task = ParentalKey(EntryTask, on_delete=models.CASCADE, related_name="answer_keys")
    field = models.CharField(_("field"), max_length=24, choices=GradedField.choices)
    rule = models.CharField(_("tolerance"), max_length=20, choices=Tolerance.choices, default=Tolerance.EXACT)
    expected = models.CharField(
        _("expected value"), max_length=300, blank=True, help_text=_("Dates as YYYY-MM-DD. Not used by the range rule.")
    )
    alternatives = models.TextField(
        _("accepted values"), blank=True, help_text=_("One of a list: one accepted value per line.")
    )
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2, null=True, blank=True)
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown when the review policy allows."))

    panels = (
        FieldRowPanel([FieldPanel("field"), FieldPanel("rule"), FieldPanel("points")]),
        FieldPanel("expected"),
        FieldPanel("alternatives"),
        FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")]),
        FieldPanel("explanation"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("answer key field")
        verbose_name_plural = _("answer key fields")

    def __str__(self):
        return str(GradedField(self.field).label) if self.field in GradedField.values else self.field

    def clean(self):
        from .grading import check_answer_key

        check_answer_key(self)

    def accepted_values(self):
        return [line.strip() for line in self.alternatives.splitlines() if line.strip()]


class RetrievalTask(Orderable):
    """A question answered by searching: a count, a record, a person, or several."""

    page = ParentalKey(ExercisePage, on_delete=models.CASCADE, related_name="retrieval_tasks")
    question = models.TextField(_("question"))
    expected_count = models.PositiveIntegerField(_("expected count"), null=True, blank=True)
    expected_record = models.CharField(
        _("expected record number"), max_length=40, blank=True, help_text=_("E.g. SZ-2026-00042.")
    )
    expected_person = models.CharField(
        _("expected person code"), max_length=40, blank=True, help_text=_("E.g. P-00042.")
    )
    points = models.PositiveSmallIntegerField(
        _("points per part"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown when the review policy allows."))

    panels = (
        FieldPanel("question"),
        FieldRowPanel([FieldPanel("expected_count"), FieldPanel("expected_record"), FieldPanel("expected_person")]),
        FieldPanel("points"),
        FieldPanel("explanation"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("retrieval task")
        verbose_name_plural = _("retrieval tasks")

    def __str__(self):
        text = self.question or ""
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def asks_count(self):
        return self.expected_count is not None

    @property
    def asks_record(self):
        return bool(self.expected_record)

    @property
    def asks_person(self):
        return bool(self.expected_person)


class PracticeAttempt(models.Model):
    """One try at an exercise; its sandbox is the records it owns."""

    exercise = models.ForeignKey(
        ExercisePage, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("exercise")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_attempts", verbose_name=_("trainee")
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="practice_attempts", verbose_name=_("enrolment")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    points_possible = models.DecimalField(_("points possible"), max_digits=7, decimal_places=2, default=0)
    points_earned = models.DecimalField(_("points earned"), max_digits=7, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    sandbox_cleared_at = models.DateTimeField(_("sandbox cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("practice attempt")
        verbose_name_plural = _("practice attempts")
        ordering = ("exercise", "user", "number")
        constraints = (
            models.UniqueConstraint(fields=["enrollment", "exercise", "number"], name="practiceattempt_unique_number"),
            models.UniqueConstraint(
                fields=["enrollment", "exercise"],
                condition=models.Q(status=AttemptStatus.IN_PROGRESS),
                name="practiceattempt_one_open",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="practiceattempt_number_positive"),
            models.CheckConstraint(
                condition=(
                    models.Q(status=AttemptStatus.IN_PROGRESS, submitted_at__isnull=True, score__isnull=True)
                    | models.Q(
                        status=AttemptStatus.SUBMITTED,
                        submitted_at__isnull=False,
                        score__isnull=False,
                        passed__isnull=False,
                    )
                ),
                name="practiceattempt_graded_consistent",
            ),
        )

    def __str__(self):
        return f"{self.user} – {self.exercise_id} #{self.number}"

    @property
    def is_open(self):
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def is_graded(self):
        return self.status == AttemptStatus.SUBMITTED


class Record(models.Model):
    """A seizure, arrest or event of the training case database."""

    exercise = models.ForeignKey(ExercisePage, on_delete=models.CASCADE, related_name="records")
    #: Empty for seed records; the sandbox (attempt) that owns a trainee's entry otherwise.
    attempt = models.ForeignKey(
        PracticeAttempt, null=True, blank=True, on_delete=models.CASCADE, related_name="records"
    )
    entry_task = models.ForeignKey(EntryTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    reference = models.CharField(_("record number"), max_length=40)
    kind = models.CharField(_("record type"), max_length=16, choices=RecordKind.choices)
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    port_of_entry = models.CharField(_("port of entry"), max_length=60, blank=True, choices=PORT_CHOICES)
    agencies = models.CharField(_("agencies involved"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    deconfliction_note = models.TextField(_("deconfliction note"), blank=True)
    created_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("case record")
        verbose_name_plural = _("case records")
        constraints = (
            models.UniqueConstraint(
                fields=["exercise", "reference"], condition=models.Q(attempt__isnull=True), name="record_seed_ref"
            ),
            models.UniqueConstraint(fields=["attempt", "reference"], name="record_sandbox_ref"),
            models.UniqueConstraint(fields=["attempt", "entry_task"], name="record_one_entry_per_task"),
        )
        indexes = (
            models.Index(fields=["exercise", "occurred_on"], name="record_exercise_date"),
            models.Index(fields=["exercise", "reference"], name="record_reference"),
        )

    def __str__(self):
        return self.reference

    @property
    def is_seed(self):
        return self.attempt_id is None


class Firearm(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="firearms")
    firearm_type = models.CharField(_("firearm type"), max_length=16, choices=FirearmType.choices)
    make = models.CharField(_("make"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    caliber = models.CharField(_("calibre"), max_length=30, blank=True)
    serial = models.CharField(_("serial number"), max_length=40, blank=True)
    serial_key = models.CharField(max_length=40, blank=True, db_index=True)
    importer_marking = models.CharField(_("importer marking"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("firearm")
        verbose_name_plural = _("firearms")
        indexes = (models.Index(fields=["caliber", "firearm_type"], name="firearm_caliber_type"),)


class Person(models.Model):
    """A person of the case database, with the name variants search matches."""

    exercise = models.ForeignKey(ExercisePage, on_delete=models.CASCADE, related_name="persons")
    attempt = models.ForeignKey(PracticeAttempt, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("person code"), max_length=40)
    given_names = models.CharField(_("given names"), max_length=120)
    paternal_surname = models.CharField(_("first surname"), max_length=80)
    maternal_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    aliases = models.CharField(
        _("aliases and name variants"), max_length=300, blank=True, help_text=_("Separated by semicolons.")
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    search_names = models.TextField(blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = (
            models.UniqueConstraint(
                fields=["exercise", "code"], condition=models.Q(attempt__isnull=True), name="person_seed_code"
            ),
            models.UniqueConstraint(fields=["attempt", "code"], name="person_sandbox_code"),
        )

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.given_names, self.paternal_surname, self.maternal_surname) if part)

    def alias_list(self):
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]


class RecordPerson(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="record_persons")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="record_persons")
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices, default=PersonRole.SUSPECT)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["record", "person"], name="recordperson_unique"),)


class Vehicle(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="vehicles")
    make = models.CharField(_("make"), max_length=60, blank=True)
    model = models.CharField(_("model"), max_length=60, blank=True)
    color = models.CharField(_("colour"), max_length=30, blank=True)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    plate_key = models.CharField(max_length=20, blank=True, db_index=True)
    plate_region = models.CharField(_("plate state"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")


class RecordLink(models.Model):
    """Two records that belong together (same firearm, same person, same case)."""

    from_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_out")
    to_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_in")
    note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["from_record", "to_record"], name="recordlink_unique"),)


class RetrievalAnswer(models.Model):
    """What a trainee answered to a retrieval task (saved or submitted)."""

    attempt = models.ForeignKey(PracticeAttempt, on_delete=models.CASCADE, related_name="retrieval_answers")
    task = models.ForeignKey(RetrievalTask, on_delete=models.CASCADE, related_name="answers")
    count = models.PositiveIntegerField(null=True, blank=True)
    record_reference = models.CharField(max_length=40, blank=True)
    person = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["attempt", "task"], name="retrievalanswer_unique"),)


class GradedItem(models.Model):
    """One graded part of an attempt: an answer-key field of an entry task
    or one part (count, record, person) of a retrieval task. Kept with the
    attempt when its sandbox is cleaned up: it holds what was given."""

    attempt = models.ForeignKey(PracticeAttempt, on_delete=models.CASCADE, related_name="graded_items")
    answer_key = models.ForeignKey(AnswerKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    retrieval_task = models.ForeignKey(
        RetrievalTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    part = models.CharField(max_length=24)
    position = models.PositiveSmallIntegerField(default=0)
    given = models.CharField(max_length=300, blank=True)
    expected = models.CharField(max_length=300, blank=True)
    is_correct = models.BooleanField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    earned = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ("attempt", "position")


class SearchLog(models.Model):
    """A search a trainee ran in their sandbox: kept for the instructors."""

    attempt = models.ForeignKey(PracticeAttempt, on_delete=models.CASCADE, related_name="searches")
    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    criteria = models.JSONField(_("criteria"), default=dict)
    result_count = models.PositiveIntegerField(_("results"))

    class Meta:
        verbose_name = _("recorded search")
        verbose_name_plural = _("recorded searches")
        ordering = ("ran_at", "pk")
