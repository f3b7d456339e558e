"""Quizzes: a bank of questions, quiz pages (a course step) and the attempts
trainees make.

Structure is shared between languages (which questions, which choice is
correct, points, order); only texts are translated (see translation.py).
Grading uses ids, never text, so an English and a Spanish attempt of the same
questions are graded the same way.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PreviewableMixin
from wagtail.search import index
from wagtail.snippets.widgets import AdminSnippetChooser

from courses.models import StepPage
from lms.previews import BilingualPreviewMixin

#: Seconds a submission may arrive after the deadline and still count (network latency).
GRACE_SECONDS = 15


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple answers")
    TRUE_FALSE = "true_false", _("True or false")


class Scoring(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Partial credit")


class ReviewPolicy(models.TextChoices):
    SCORE_ONLY = "score_only", _("Show the score only")
    AFTER_EACH = "after_each", _("Show answers and explanations after each attempt")
    AFTER_PASS_OR_LAST = "after_pass_or_last", _("Show answers and explanations after passing or the last attempt")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    TIMED_OUT = "timed_out", _("Time ran out")


GRADED_STATUSES = [AttemptStatus.SUBMITTED, AttemptStatus.TIMED_OUT]


def validate_choice_set(kind, correct_flags):
    """Raise ValidationError unless the choices suit the question kind.

    ``correct_flags`` is one boolean per choice. Used by the admin form and the
    content loader alike.
    """
    total, correct = len(correct_flags), sum(1 for flag in correct_flags if flag)
    if kind == QuestionKind.TRUE_FALSE and total != 2:
        raise ValidationError(_("A true-or-false question has exactly two choices."))
    if total < 2:
        raise ValidationError(_("A question needs at least two choices."))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        raise ValidationError(_("Mark exactly one choice as correct."))
    if kind == QuestionKind.MULTIPLE and correct < 1:
        raise ValidationError(_("Mark at least one choice as correct."))


class QuestionCategory(models.Model):
    """A shelf of the question bank; quizzes can draw from whole categories."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    panels = (FieldPanel("name"), FieldPanel("description"))

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ("name",)

    def __str__(self):
        return self.name


class CategoryChooser(AdminSnippetChooser):
    """The category chooser with its button texts translated when shown
    (Wagtail's own are fixed in the language of the first request)."""

    def __init__(self, **kwargs):
        super().__init__(model=QuestionCategory, **kwargs)
        self.choose_one_text = _("Choose a question category")
        self.choose_another_text = _("Choose another question category")
        self.link_to_chosen_text = _("Edit this question category")


class QuestionForm(WagtailAdminModelForm):
    """Checks the choices against the kind of question before saving."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices") if hasattr(self, "formsets") else None
        if formset is None or not formset.is_valid():
            return cleaned
        flags = [
            bool(form.cleaned_data.get("is_correct"))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_choice_set(cleaned.get("kind"), flags)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class QuestionQuerySet(models.QuerySet):
    def in_pools(self):
        """Questions a new attempt may draw (not retired)."""
        return self.filter(retired_at__isnull=True)

    def with_spanish_status(self):
        """Annotate ``spanish_missing``: the question, its explanation (when
        there is an English one) or one of its choices lacks Spanish."""
        empty_choice = Choice.objects.filter(question=models.OuterRef("pk")).filter(
            models.Q(text_es__isnull=True) | models.Q(text_es="")
        )
        missing = (
            models.Q(text_es__isnull=True)
            | models.Q(text_es="")
            | (
                ~(models.Q(explanation_en__isnull=True) | models.Q(explanation_en=""))
                & (models.Q(explanation_es__isnull=True) | models.Q(explanation_es=""))
            )
            | models.Q(models.Exists(empty_choice))
        )
        return self.annotate(
            spanish_missing=models.Case(
                models.When(missing, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Question(BilingualPreviewMixin, PreviewableMixin, ClusterableModel):
    """A reusable question of the bank. A quiz lists questions or draws them
    from categories; a retired question leaves every pool but stays in the
    attempts that asked it."""

    text = models.TextField(_("question"), help_text=_("The question as the trainee reads it."))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    scoring = models.CharField(
        _("scoring"),
        max_length=16,
        choices=Scoring.choices,
        default=Scoring.ALL_OR_NOTHING,
        help_text=_(
            "Multiple-answer questions only. Partial credit: each correct choice picked earns its share, "
            "each wrong choice picked takes away its share, never below zero."
        ),
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Why the answer is right; shown when the review policy allows.")
    )
    category = models.ForeignKey(
        QuestionCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("category"),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lesson that teaches it"),
        help_text=_(
            "A trainee who misses this question is pointed to this lesson (the answer itself is shown only "
            "as the quiz's review policy allows)."
        ),
    )
    reference = models.CharField(
        _("content reference"),
        max_length=255,
        blank=True,
        help_text=_("Set by the content files that created this question; leave empty for questions written here."),
    )
    retired_at = models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A retired question is no longer drawn; past attempts keep it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    base_form_class = QuestionForm
    panels = (
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("scoring"), FieldPanel("points")]),
        FieldPanel("category", widget=CategoryChooser),
        FieldPanel("lesson"),
        InlinePanel("choices", label=_("Choices"), min_num=2, max_num=10),
        FieldPanel("explanation"),
        FieldPanel("reference", read_only=True),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("-updated_at",)
        constraints = (
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="question_unique_reference"
            ),
        )

    def __str__(self):
        text = self.text or ""
        return text if len(text) <= 90 else text[:89] + "…"

    @property
    def is_retired(self):
        return self.retired_at is not None

    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"

    def get_preview_context(self, request, mode_name):
        """The question as a trainee sees it in an attempt (choices in their
        authored order, nothing marked correct)."""
        return {
            "object": self,
            "request": request,
            "choices": list(self.choices.all()),
            "multiple": self.kind == QuestionKind.MULTIPLE,
        }


class Choice(Orderable):
    """One choice of a question. ``key`` is what the browser sees: random, so
    neither its value nor its order hints at the authoring order."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    key = models.UUIDField(_("public key"), default=uuid.uuid4, editable=False, unique=True)

    panels = (FieldPanel("text"), FieldPanel("is_correct"))

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class QuizPage(StepPage):
    """A quiz inside a course module. Its questions are listed one by one
    and/or drawn from categories of the bank; each attempt fixes its own."""

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
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for no time limit."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(
        _("shuffle choices"), default=True, help_text=_("True-or-false choices always keep their order.")
    )
    review_policy = models.CharField(
        _("review"), max_length=24, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_PASS_OR_LAST
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Draw this many questions at random from the pool. Leave empty to ask the whole pool."),
    )
    draw_categories = ParentalManyToManyField(
        QuestionCategory,
        blank=True,
        related_name="+",
        verbose_name=_("draw from categories"),
        help_text=_(
            "Every question of these categories joins the pool, besides the questions listed below; "
            "a question added to one of them is drawn from the next attempt on."
        ),
    )
    is_diagnostic = models.BooleanField(
        _("pre-assessment"),
        default=False,
        help_text=_(
            "An ungraded diagnostic taken before the course: never required, it counts toward neither "
            "completion nor the certificate, and its score is shown beside the final results."
        ),
    )

    content_panels = (
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]),
                FieldPanel("time_limit_minutes"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("review_policy"),
                FieldPanel("is_diagnostic"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel([FieldPanel("draw_count"), FieldPanel("draw_categories")], heading=_("Question pool")),
        InlinePanel("quiz_questions", label=_("Questions"), heading=_("Questions of this quiz")),
        *StepPage.step_panels,
    )
    search_fields = (*Page.search_fields, index.SearchField("intro"))
    template = "quizzes/quiz_page.html"
    #: Only a passed attempt completes a quiz: "mark as complete" must not.
    manual_completion = False
    #: A module's quiz stays its last step: new steps are created before it.
    closes_module = True

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def save(self, *args, **kwargs):
        if self.is_diagnostic:
            # A pre-assessment never blocks or completes a course.
            self.is_required = False
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)  # personal: attempts, state
        return response

    def get_context(self, request, *args, **kwargs):
        from .views import quiz_page_context

        context = super().get_context(request, *args, **kwargs)
        return quiz_page_context(self, request, context)

    def pool_question_ids(self):
        """Ids of every question an attempt may draw: listed ones in their
        order, then the categories' questions by id (two queries). Retired
        questions are left out."""
        listed = list(
            self.quiz_questions.filter(question__retired_at__isnull=True)
            .order_by("sort_order", "pk")
            .values_list("question_id", flat=True)
        )
        seen = set(listed)
        pool = list(dict.fromkeys(listed))
        category_ids = list(self.draw_categories.values_list("pk", flat=True))
        if category_ids:
            for question_id in (
                Question.objects.in_pools()
                .filter(category_id__in=category_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            ):
                if question_id not in seen:
                    seen.add(question_id)
                    pool.append(question_id)
        return pool


class QuizQuestion(Orderable):
    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="quiz_links", verbose_name=_("question")
    )

    panels = (FieldPanel("question"),)

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = (models.UniqueConstraint(fields=["page", "question"], name="quizquestion_unique"),)


class QuizAttempt(models.Model):
    """One try at a quiz, tied to the enrolment cycle it counts against.

    The database guarantees the fairness rules: one attempt number per
    enrolment and quiz (concurrent starts cannot both be number N), one open
    attempt at a time, and a graded attempt always has its submission time
    and score.
    """

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("trainee")
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("enrolment")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    points_possible = models.DecimalField(_("points possible"), max_digits=7, decimal_places=2, default=0)
    points_earned = models.DecimalField(_("points earned"), max_digits=7, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ("quiz", "user", "number")
        constraints = (
            models.UniqueConstraint(fields=["enrollment", "quiz", "number"], name="quizattempt_unique_number"),
            models.UniqueConstraint(
                fields=["enrollment", "quiz"],
                condition=models.Q(status=AttemptStatus.IN_PROGRESS),
                name="quizattempt_one_open",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="quizattempt_number_positive"),
            models.CheckConstraint(
                condition=(
                    models.Q(status=AttemptStatus.IN_PROGRESS, submitted_at__isnull=True, score__isnull=True)
                    | (
                        ~models.Q(status=AttemptStatus.IN_PROGRESS)
                        & models.Q(submitted_at__isnull=False, score__isnull=False, passed__isnull=False)
                    )
                ),
                name="quizattempt_graded_consistent",
            ),
        )
        indexes = (models.Index(fields=["quiz", "status"], name="quizattempt_quiz_status"),)

    def __str__(self):
        return f"{self.user} – {self.quiz_id} #{self.number}"

    @property
    def is_open(self):
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def is_graded(self):
        return self.status in GRADED_STATUSES

    @property
    def timed_out(self):
        return self.status == AttemptStatus.TIMED_OUT

    def closes_at(self):
        """The last moment a submission counts (deadline plus grace), or None."""
        if self.deadline is None:
            return None
        return self.deadline + timezone.timedelta(seconds=GRACE_SECONDS)

    def is_overdue(self, now=None):
        closes = self.closes_at()
        return closes is not None and (now or timezone.now()) > closes


class AttemptQuestion(models.Model):
    """A question as fixed for one attempt: its position, the order its
    choices were shown in, its points, and after grading its result."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="attempt_questions", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    choice_order = models.JSONField(_("choice order"), default=list)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    earned = models.DecimalField(_("points earned"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(_("fully correct"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ("attempt", "position")
        constraints = (
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptquestion_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attemptquestion_unique_question"),
        )

    @property
    def field_name(self):
        return f"q-{self.pk}"


class AttemptAnswer(models.Model):
    """A choice a trainee picked (saved during the attempt or submitted)."""

    attempt_question = models.ForeignKey(AttemptQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        verbose_name = _("attempt answer")
        verbose_name_plural = _("attempt answers")
        constraints = (models.UniqueConstraint(fields=["attempt_question", "choice"], name="attemptanswer_unique"),)
