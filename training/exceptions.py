from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class TrainingError(Exception):
    """A refused training action; ``message`` is translated and safe to show."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class SpanishRequired(TrainingError):
    """Publishing refused: the site requires Spanish and some is missing."""

    def __init__(self, page, fields):
        self.page = page
        self.fields = list(fields)
        super().__init__(
            format_lazy(
                _("“{title}” lacks required Spanish: {fields}. This site requires Spanish before publishing."),
                title=page.get_admin_display_title(),
                fields=", ".join(str(field) for field in self.fields),
            )
        )


class ContentError(TrainingError):
    """A content file that cannot be loaded. ``file`` is the file, ``path``
    where inside it (e.g. ``course.modules[1].lessons[2].body[3]``, indices
    from 0), ``problem`` what is wrong there. Nothing was written."""

    def __init__(self, file, path, problem, others=()):
        self.file = str(file)
        self.path = path
        self.problem = str(problem)
        #: Further (path, problem) pairs found in the same file.
        self.others = list(others)
        where = f"{self.file}: {path}: " if path else f"{self.file}: "
        message = where + self.problem
        if self.others:
            extra = "\n".join(f"  {other_path}: {other_problem}" for other_path, other_problem in self.others)
            message = format_lazy(
                "{message}\n{more}\n{extra}",
                message=message,
                more=_("Further problems in the same file:"),
                extra=extra,
            )
        super().__init__(message)
