"""The admin form of the course pages."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

SLUG_FIELDS = ("slug", "slug_en", "slug_es")


class CoursePageForm(WagtailAdminPageForm):
    """Makes every slug ASCII ("como-solicitar", in both languages: the
    translated slug fields accept any letter otherwise), and says at the top
    of the form, not only on the Promote tab, which page already uses the
    slug, and whether it is an unpublished draft (often one left by an
    abandoned form) that can be opened or deleted."""

    def clean(self):
        cleaned = super().clean()
        if not getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True):
            for name in SLUG_FIELDS:
                if cleaned.get(name):
                    cleaned[name] = slugify(cleaned[name])
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return
        from .authoring import pages_using_slug

        for name in SLUG_FIELDS:
            if name not in self.errors or name not in self.fields:
                continue
            slug = self.cleaned_data.get(name) or slugify(self.data.get(self.add_prefix(name)) or "")
            clash = pages_using_slug(parent, name, slug, exclude=self.instance).first()
            if clash is None:
                continue
            if clash.live:
                message = _(
                    "The address “%(slug)s” is already used by the page “%(title)s” here. "
                    "Change the slug on the Promote tab."
                )
            else:
                message = _(
                    "The address “%(slug)s” is already used by the unpublished draft “%(title)s” here, "
                    "perhaps left by a form that was not finished. Open it from “My drafts” on the dashboard "
                    "to finish or delete it, or change the slug on the Promote tab."
                )
            self.add_error(None, ValidationError(message % {"slug": slug, "title": clash.title}))
