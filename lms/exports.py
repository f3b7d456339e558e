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
