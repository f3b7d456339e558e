from django.utils.translation import gettext_lazy as _


class CourseError(Exception):
    """A refused course action; ``message`` is translated and safe to show."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


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
