from django.utils.translation import gettext_lazy as _

from lms.exceptions import RefusedAction


class OnboardingRefused(RefusedAction):
    default_message = _("This action is not allowed.")


class ImportRefused(OnboardingRefused):
    """The file as a whole cannot be read (format, size, columns)."""

    default_message = _("This file cannot be imported.")


class RegistrationRefused(OnboardingRefused):
    default_message = _("This registration cannot be changed.")


class AssignmentRefused(OnboardingRefused):
    default_message = _("This course cannot be assigned.")
