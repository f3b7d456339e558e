from django.utils.translation import gettext_lazy as _


class TrackingError(Exception):
    """A refused tracking action; ``message`` is translated and safe to show."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ExportRefused(TrackingError):
    default_message = _("You may not download these certificates.")
