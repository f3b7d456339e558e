from django.utils.translation import gettext_lazy as _

from lms.exceptions import RefusedAction


class CourseError(RefusedAction):
    """A refused course action; ``message`` is translated and safe to show."""

    default_message = _("This action is not possible.")


class EnrollmentRefused(CourseError):
    default_message = _("You cannot enrol in this course.")


class NotEnrolled(CourseError):
    default_message = _("You are not enrolled in this course.")


class NotAStep(CourseError):
    default_message = _("This page is not a course step.")


class StepNotAvailable(CourseError):
    default_message = _("This step is not published.")


class ManualCompletionNotAllowed(CourseError):
    default_message = _("This step is completed by passing it, not by marking it complete.")
