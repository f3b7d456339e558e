"""Refusals of the quiz services; each carries a translated message that is
safe to show, and the HTTP status a view answers with."""

from django.utils.translation import gettext_lazy as _

from courses.exceptions import CourseError


class QuizError(CourseError):
    default_message = _("This quiz action is not possible.")
    status = 409


class QuizNotReady(QuizError):
    default_message = _("This quiz has no questions yet. Please tell your instructor.")


class QuizNotAvailable(QuizError):
    default_message = _("This quiz is not published.")
    status = 404


class AlreadyPassed(QuizError):
    default_message = _("You have already passed this quiz.")


class NoAttemptsLeft(QuizError):
    default_message = _("You have used every attempt allowed for this quiz.")


class CoolingDown(QuizError):
    default_message = _("Please wait before your next attempt.")

    def __init__(self, until, message=None):
        self.until = until
        super().__init__(message)


class AttemptNotFound(QuizError):
    default_message = _("This attempt does not exist or is not yours.")
    status = 404


class AlreadySubmitted(QuizError):
    default_message = _("This attempt was already submitted. Here is its result.")


class AttemptClosed(QuizError):
    default_message = _("Time ran out for this attempt: it was graded on the answers saved before the deadline.")


class InvalidAnswers(QuizError):
    """The submitted form does not fit the attempt. ``errors`` maps an
    attempt question id to its message; ``general`` holds the rest."""

    default_message = _("Your answers could not be accepted. Please check the questions marked below.")
    status = 400

    def __init__(self, errors=None, general=None, message=None):
        self.errors = errors or {}
        self.general = general or []
        super().__init__(message)


class QuestionImportRefused(QuizError):
    """A question file that cannot be read at all (size, format, encoding)."""

    default_message = _("This file cannot be imported.")
    status = 400
