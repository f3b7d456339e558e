"""Admin strings of third-party packages that ship no Spanish (or a wrong
one), marked here so they live in our catalogue, which Django reads first
(LOCALE_PATHS): wagtail-modeltranslation's language toggles and copy
buttons, and Wagtail's Spanish "marquilla" for a slug.

Nothing imports this module; ``makemessages`` reads it.
"""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("View / edit fields for"),
    gettext_noop("Copy content from"),
    gettext_noop("slug"),
    gettext_noop("Slug"),
)
