"""Spreadsheet safety shared by every export (CSV and XLSX).

People's names, course titles and other cells are user input; a cell that
starts with = + - @ (or a tab or carriage return) would run as a formula in a
spreadsheet. Wagtail's SpreadsheetExportMixin escapes nothing, so every
export passes its cells through ``neutralise``.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert with a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetMixin:
    """For ReportView subclasses: neutralise every exported cell."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))


def neutralise_wagtail_exports():
    """Make every export built on Wagtail's SpreadsheetExportMixin safe: site
    history, aging pages, locked pages, form submissions, model listings.

    Wagtail's own views carry user text (people's names, page titles, log
    messages) straight into CSV cells; there is no setting or hook for it, so
    the mixin's per-cell step is wrapped once, at start-up. ``neutralise`` is
    idempotent, so the project's own reports (SafeSpreadsheetMixin) are not
    escaped twice.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original(self, field, value, export_format))

    preprocess_field_value.neutralises = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
