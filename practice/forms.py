"""Admin form of the exercise page: the seed file is checked before the page
is saved, so a malformed file is refused with its line-numbered report and
changes nothing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class ExercisePageForm(WagtailAdminPageForm):
    def clean(self):
        from .seeds import SeedError, document_content, parse_seed

        cleaned = super().clean()
        document = cleaned.get("seed_document")
        if document is not None:
            name = document.file.name.lower()
            if not name.endswith((".csv", ".json")):
                self.add_error("seed_document", _("The seed file must be a .csv or .json file."))
                return cleaned
            try:
                parse_seed(document_content(document), name)
            except SeedError as error:
                self.add_error("seed_document", ValidationError([*error.errors]))
            except OSError:
                self.add_error("seed_document", _("The seed file could not be read."))
        return cleaned
