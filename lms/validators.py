"""Checks of raw input shared by every app.

PostgreSQL refuses NUL (U+0000) in text: a value holding one must be
refused as bad input before it reaches a query, or the database error
becomes a server error. Django's form ``CharField`` already refuses it
(``ProhibitNullCharactersValidator``); these helpers are for values that do
not pass through a form field: URL parts, raw POST values, file contents.
"""

from django.core.validators import ProhibitNullCharactersValidator

NUL = "\x00"

#: The validator Django's CharField uses, with its translated message.
prohibit_nul = ProhibitNullCharactersValidator()


def has_nul(*values):
    """True when any of the strings ``values`` holds a NUL character."""
    return any(isinstance(value, str) and NUL in value for value in values)


def without_nul(value):
    """``value`` (a string) with its NUL characters removed."""
    return value.replace(NUL, "") if isinstance(value, str) else value
