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


class StepLocked(CourseError):
    """A sequential step whose earlier required steps are not all done;
    ``blocker`` is the first of them (an outline Step)."""

    default_message = _("This step opens once you have completed the steps before it.")

    def __init__(self, blocker=None):
        self.blocker = blocker
        message = None
        if blocker is not None:
            message = _("This step opens once you have completed “%(title)s”.") % {"title": blocker.title}
        super().__init__(message)
