"""The course tree (CourseIndexPage > CoursePage > ModulePage > steps) and the
records of who is enrolled and what they completed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index

from lms.previews import BilingualPreviewMixin

from .blocks import LessonStreamBlock
from .forms import CoursePageForm


class CourseTreeMixin(BilingualPreviewMixin):
    """Shared by the pages inside a course (previews in both languages)."""

    base_form_class = CoursePageForm

    def get_view_restrictions(self):
        """Wagtail's rule (the restrictions of this page and its ancestors,
        an alias counting as its source page) in one query instead of two,
        and none at all when routing through the course's read model found
        that no restriction can apply (``courses.structure``): every lesson
        view runs it."""
        if getattr(self, "_no_view_restrictions", False):
            return PageViewRestriction.objects.none()
        steplen = self.steplen
        in_line = Page.objects.filter(path__in=[self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)])
        return PageViewRestriction.objects.filter(
            Q(page__in=in_line.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=in_line.filter(alias_of__isnull=False).values("alias_of"))
        )


class StepPage(CourseTreeMixin, Page):
    """Any page inside a module that a trainee completes: lessons, quizzes,
    practice exercises. Apps add step types by subclassing this."""

    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Required steps count towards completing the course.")
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )

    step_panels = [MultiFieldPanel([FieldPanel("is_required"), FieldPanel("estimated_minutes")], heading=_("Step"))]
    #: May a trainee complete this step with "Mark as complete"? Step types
    #: completed by passing them (quizzes) set this to False.
    manual_completion = True
    #: Does this step close its module (a module quiz)? New steps created in
    #: the admin go before the first such step (courses.authoring).
    closes_module = False
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        abstract = True

    def get_module(self):
        return ModulePage.objects.ancestor_of(self).specific().first()

    def get_course(self):
        # Routing through the course hands it over (courses.structure).
        course = getattr(self, "_course", None)
        if course is None:
            course = self._course = CoursePage.objects.ancestor_of(self).first()
        return course

    def get_context(self, request, *args, **kwargs):
        from .study import step_context

        context = super().get_context(request, *args, **kwargs)
        context.update(step_context(request, self))
        return context


class CourseIndexPage(BilingualPreviewMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    admin_default_ordering = "ord"  # the explorer lists courses in the catalogue's order

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        from .study import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().child_of(self).order_by("path")
        context.update(catalogue_context(request, context["courses"]))
        return context


class Sequencing(models.TextChoices):
    """In what order a trainee may take the steps (courses.progress decides)."""

    FREE = "free", _("Free order")
    SEQUENTIAL = "sequential", _("Sequential")


class Audience(models.TextChoices):
    OPEN = "open", _("Open to every trainee")
    RESTRICTED = "restricted", _("Restricted to the listed agencies")


class CoursePage(CourseTreeMixin, Page):
    code = models.CharField(_("course code"), max_length=30, unique=True, help_text=_("E.g. AC-100."))
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in course lists."))
    intro = RichTextField(_("introduction"), blank=True, features=["h3", "bold", "italic", "ul", "ol", "link"])
    credit_hours = models.DecimalField(_("credit hours"), max_digits=5, decimal_places=1, default=1)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=60)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.OPEN)
    agencies = ParentalManyToManyField(
        "lms.Agency",
        blank=True,
        related_name="restricted_courses",
        verbose_name=_("agencies allowed"),
        help_text=_("Only used when the audience is restricted."),
    )
    required_by = ParentalManyToManyField(
        "lms.Agency",
        blank=True,
        related_name="required_courses",
        verbose_name=_("required by agencies"),
        help_text=_("Agencies that require their people to hold this course's certificate."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("How long a certificate stays current. Leave empty if it never expires."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
        help_text=_("Courses a trainee must have completed (and so been certified in) before enrolling in this one."),
    )
    sequencing = models.CharField(
        _("order of steps"),
        max_length=12,
        choices=Sequencing.choices,
        default=Sequencing.FREE,
        help_text=_(
            "Sequential: a module opens once the required steps of the modules before it are complete, and a "
            "step once the required steps before it in its module are (so a module quiz opens after its "
            "lessons). Each module may override the order inside it."
        ),
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        verbose_name=_("instructors"),
        help_text=_("Instructors who teach this course and follow its trainees."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("credit_hours"), FieldPanel("estimated_minutes"), FieldPanel("validity_months")],
            heading=_("Credit and validity"),
        ),
        FieldPanel("sequencing"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("agencies"),
                FieldPanel("required_by"),
                FieldPanel("prerequisites"),
                # Who teaches a course decides whose progress an instructor
                # reads: administrators set it, never instructors themselves.
                FieldPanel("instructors", permission="courses.assign_instructors"),
            ],
            heading=_("Audience and people"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("intro"),
        index.FilterField("code"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    admin_default_ordering = "ord"  # modules in course order, and drag-and-drop reordering

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [("assign_instructors", _("Can set who teaches a course"))]

    def get_context(self, request, *args, **kwargs):
        from .study import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, self))
        return context


class ModulePage(CourseTreeMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    sequencing = models.CharField(
        _("order of steps"),
        max_length=12,
        choices=[("", _("As the course says"))] + Sequencing.choices,
        blank=True,
        default="",
        help_text=_(
            "The order of the steps inside this module: sequential (a step opens once the required steps "
            "before it in the module are complete) or free. Whether the module waits for the modules before "
            "it is the course's setting."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("sequencing")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    admin_default_ordering = "ord"  # steps in course order, and drag-and-drop reordering

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @classmethod
    def clean_subpage_models(cls):
        # Any step type, from any app, may live in a module.
        return [model for model in get_page_models() if issubclass(model, StepPage)]

    def get_course(self):
        course = getattr(self, "_course", None)
        if course is None:
            course = self._course = CoursePage.objects.ancestor_of(self).first()
        return course

    def is_sequential(self, course):
        """Are this module's steps taken in order (its own setting, else the course's)?"""
        return (self.sequencing or course.sequencing) == Sequencing.SEQUENTIAL

    def get_context(self, request, *args, **kwargs):
        from .study import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(request, self))
        return context


class LessonPage(StepPage):
    intro = models.TextField(_("summary"), blank=True)
    body = StreamField(LessonStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")] + StepPage.step_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class Enrollment(models.Model):
    """One trainee's pass through one course. Recertification starts a new
    cycle; earlier cycles stay as history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("trainee")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course revision completed"),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    last_step = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last step visited"),
    )
    is_current = models.BooleanField(_("current cycle"), default=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course", "cycle"], name="enrollment_unique_cycle"),
            models.UniqueConstraint(
                fields=["user", "course"], condition=models.Q(is_current=True), name="enrollment_one_current"
            ),
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"], name="enrollment_course_done"),
            # The reports' date filters.
            models.Index(fields=["enrolled_at"], name="enrollment_enrolled_at"),
        ]

    def __str__(self):
        return f"{self.user} – {self.course} ({self.cycle})"

    @property
    def is_complete(self):
        return self.completed_at is not None


class StepCompletion(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("step completion")
        verbose_name_plural = _("step completions")
        constraints = [models.UniqueConstraint(fields=["enrollment", "page"], name="completion_unique_step")]


class CourseStructure(models.Model):
    """The read model of one course (``courses.structure``): plain data about
    its live modules and steps, rebuilt in the transaction of every change
    to the course's pages. Never edited by hand."""

    course = models.OneToOneField(
        CoursePage,
        primary_key=True,
        # Kept by courses.structure: a page deletion drops the row itself,
        # so a deletion never waits for (or races with) this table.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    #: The course index the course sits under (routing looks courses up by it).
    index_id = models.IntegerField(null=True, db_index=True)
    index_live = models.BooleanField(default=False)
    #: {language: the course index's slug in that language} (routing).
    index_slugs = models.JSONField(default=dict)
    live = models.BooleanField(default=False)
    #: {language: the course's slug in that language} (routing).
    slugs = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    #: A new random value at every build: readers compare it with what they parsed.
    stamp = models.CharField(max_length=32)
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("course structure")
        verbose_name_plural = _("course structures")

    def __str__(self):
        return f"{self.course_id} @ {self.stamp}"
