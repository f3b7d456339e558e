"""What instructors change in a trainee's record: grade overrides and extra
attempts. Both are kept for ever (never edited), each with its reason and
author, and each is also written to Wagtail's audit log.

An override sets the attempt's score and result (so every page and report
that reads the attempt agrees) and keeps here what the attempt said before,
including the score its answers earned when it was graded.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GradeOverride(models.Model):
    """One change of an attempt's result by an instructor."""

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="grade_overrides", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz or exercise")
    )
    quiz_attempt = models.ForeignKey(
        "quizzes.QuizAttempt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grade_overrides",
        verbose_name=_("quiz attempt"),
    )
    practice_attempt = models.ForeignKey(
        "practice.PracticeAttempt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grade_overrides",
        verbose_name=_("practice attempt"),
    )
    original_score = models.DecimalField(_("original score (%)"), max_digits=5, decimal_places=2)
    original_passed = models.BooleanField(_("originally passed"))
    previous_score = models.DecimalField(_("score before (%)"), max_digits=5, decimal_places=2)
    previous_passed = models.BooleanField(_("passed before"))
    score = models.DecimalField(
        _("new score (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("grade override")
        verbose_name_plural = _("grade overrides")
        ordering = ("created_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(quiz_attempt__isnull=False, practice_attempt__isnull=True)
                    | models.Q(quiz_attempt__isnull=True, practice_attempt__isnull=False)
                ),
                name="gradeoverride_one_attempt",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="gradeoverride_score_percent"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="gradeoverride_reason_given"),
        )

    def __str__(self):
        return f"{self.step_id}: {self.previous_score} → {self.score}"

    @property
    def attempt(self):
        return self.quiz_attempt or self.practice_attempt


class AttemptGrant(models.Model):
    """Attempts a trainee may make beyond a quiz's or exercise's attempt
    limit, in one enrolment cycle."""

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="attempt_grants", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz or exercise")
    )
    extra = models.PositiveSmallIntegerField(
        _("extra attempts"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("extra attempt")
        verbose_name_plural = _("extra attempts")
        ordering = ("granted_at", "pk")
        indexes = (models.Index(fields=["enrollment", "step"], name="attemptgrant_enrollment_step"),)
        constraints = (
            models.CheckConstraint(condition=models.Q(extra__gte=1, extra__lte=10), name="attemptgrant_extra_range"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="attemptgrant_reason_given"),
        )

    def __str__(self):
        return f"{self.enrollment_id}/{self.step_id}: +{self.extra}"
