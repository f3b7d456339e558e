"""Refusals of the gradebook services: translated, safe to show."""

from django.utils.translation import gettext_lazy as _

from courses.exceptions import CourseError


class GradebookError(CourseError):
    default_message = _("This change to the trainee's record is not possible.")


class ReasonRequired(GradebookError):
    default_message = _("Please give the reason for this change.")


class AttemptNotGraded(GradebookError):
    default_message = _("Only a graded attempt can have its result changed.")


class ScoreUnchanged(GradebookError):
    default_message = _("The new score is the attempt's current score.")


class NotCurrentCycle(GradebookError):
    default_message = _("This attempt belongs to an earlier cycle of the course; its result can no longer change.")


class NoAttemptLimit(GradebookError):
    default_message = _("This step has no attempt limit: there is nothing to grant.")
