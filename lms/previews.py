"""Previews in the admin's side panel, in English and in Spanish.

Wagtail renders a preview by running a fake request for the object's public
URL through the whole middleware stack, so the public site's CSP
(``frame-ancestors 'none'``) reached the preview and the browser refused to
show it inside the editor. A preview response, and only a preview response,
may be framed by the admin's own origin; every other response keeps
``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``.

Each previewable model offers one preview mode per site language, so an
instructor sees the Spanish version as a trainee reading Spanish would.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

#: What a preview response may be framed by (django-csp's per-response replace).
PREVIEW_FRAME_ANCESTORS = {"frame-ancestors": ["'self'"]}

PREVIEW_MODE_LABELS = {"en": _("English version"), "es": _("Spanish version")}


def allow_admin_framing(response):
    """Let the admin (same origin) frame ``response``; nothing else changes."""
    response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), **PREVIEW_FRAME_ANCESTORS}
    return response


def preview_language(mode_name):
    codes = [code for code, _name in settings.LANGUAGES]
    return mode_name if mode_name in codes else codes[0]


class BilingualPreviewMixin:
    """For pages and snippets: an English and a Spanish preview mode, and
    preview responses the admin may frame."""

    @property
    def preview_modes(self):
        return [(code, PREVIEW_MODE_LABELS.get(code, name)) for code, name in settings.LANGUAGES]

    def make_preview_request(self, original_request=None, preview_mode=None, extra_request_attrs=None):
        # The fake request goes to the URL of the previewed language, so the
        # language middleware and the page's links agree with the mode.
        with translation.override(preview_language(preview_mode)):
            response = super().make_preview_request(original_request, preview_mode, extra_request_attrs)
        # The language-cookie middleware saw a /es/ URL; a preview must not
        # switch the instructor's admin (which follows that cookie) to Spanish.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response

    def serve_preview(self, request, mode_name):
        language = preview_language(mode_name)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = super().serve_preview(request, mode_name)
            if callable(getattr(response, "render", None)):
                response = response.render()
        return allow_admin_framing(response)
