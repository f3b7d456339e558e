"""Refusals of the practice services; each carries a translated message that
is safe to show, and the HTTP status a view answers with."""

from django.utils.translation import gettext_lazy as _

from courses.exceptions import CourseError


class PracticeError(CourseError):
    default_message = _("This action is not possible in this exercise.")
    status = 409


class ExerciseNotReady(PracticeError):
    default_message = _("This exercise has no tasks yet. Please tell your instructor.")


class ExerciseNotAvailable(PracticeError):
    default_message = _("This exercise is not published.")
    status = 404


class AlreadyPassed(PracticeError):
    default_message = _("You have already passed this exercise.")


class NoAttemptsLeft(PracticeError):
    default_message = _("You have used every attempt allowed for this exercise.")


class CoolingDown(PracticeError):
    default_message = _("Please wait before your next attempt.")

    def __init__(self, until, message=None):
        self.until = until
        super().__init__(message)


class AttemptNotFound(PracticeError):
    default_message = _("This attempt does not exist or is not yours.")
    status = 404


class NotFound(PracticeError):
    default_message = _("This does not exist in your case database.")
    status = 404


class AlreadySubmitted(PracticeError):
    default_message = _("This attempt was already submitted. Here is its result.")


class InvalidEntry(PracticeError):
    """The entry form did not pass its checks. ``form`` carries the errors;
    ``matches`` the possible duplicates to link or explain."""

    default_message = _("The record could not be saved. Please check the fields marked below.")
    status = 400

    def __init__(self, form, matches=(), message=None):
        self.form = form
        self.matches = list(matches)
        super().__init__(message)


class InvalidSearch(PracticeError):
    default_message = _("The search could not be run. Please check the fields marked below.")
    status = 400

    def __init__(self, form, message=None):
        self.form = form
        super().__init__(message)


class InvalidAnswers(PracticeError):
    default_message = _("Your answers could not be accepted. Please check the fields marked below.")
    status = 400

    def __init__(self, errors, message=None):
        self.errors = errors
        super().__init__(message)
