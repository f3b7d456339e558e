"""Reading an uploaded CSV or XLSX file into a table, shared by the bulk
imports (people in onboarding, questions in quizzes).

Only the reading lives here: size, format, encoding and the workbook's
unpacked size are checked before any cell is looked at, and every refusal
is a translated TableRefused, never an exception from the parser.
"""

import csv
import io
import zipfile
from xml.etree.ElementTree import ParseError

import tablib
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from .exceptions import RefusedAction

#: A workbook whose parts unpack to more than this many times the upload
#: (or 100 MB) is refused unread: a "zip bomb" would exhaust memory.
XLSX_MAX_RATIO = 100
XLSX_MAX_UNPACKED = 100 * 1024 * 1024


class TableRefused(RefusedAction):
    """The file as a whole cannot be read (size, format, encoding)."""


def too_large(size, max_bytes):
    """The translated refusal of an upload of ``size`` bytes, or None when it fits."""
    if size <= max_bytes:
        return None
    return _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(max_bytes),
    }


def load_table(content, filename, *, max_bytes):
    """The tablib Dataset of an uploaded CSV (UTF-8) or XLSX file; its first
    row holds the headings. Blank CSV lines stay as empty rows so that row
    ``i`` of the dataset is line ``i + 2`` of the file."""
    if message := too_large(len(content), max_bytes):
        raise TableRefused(message)
    if not content.strip():
        raise TableRefused(_("The file is empty."))
    name = filename.lower()
    if content.startswith(b"PK\x03\x04") and name.endswith(".xlsx"):
        return _load_xlsx(content)
    if name.endswith((".csv", ".txt")):
        return _load_csv(content)
    raise TableRefused(
        _("Please upload a CSV file (UTF-8) or an Excel workbook (.xlsx); %(name)s is neither.") % {"name": filename}
    )


def _load_csv(content):
    try:
        text = content.decode("utf-8-sig")  # a byte-order mark is dropped
    except UnicodeDecodeError:
        raise TableRefused(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or upload the .xlsx file.")
        ) from None
    if "\x00" in text:
        raise TableRefused(_("The file is not a CSV text file."))
    lines = text.splitlines()  # Windows, old Mac and Unix line endings alike
    heading = lines[0] if lines else ""
    delimiter = ";" if heading.count(";") > heading.count(",") else ","
    # Blank lines become empty rows so that every row keeps its line number.
    text = "\n".join(line if line.strip() else delimiter for line in lines) + "\n"
    dataset = tablib.Dataset()
    try:
        dataset.load(text, format="csv", delimiter=delimiter)
    except tablib.InvalidDimensions:
        raise TableRefused(
            _("Line %(line)d has more cells than the heading row has columns.") % {"line": dataset.height + 2}
        ) from None
    except csv.Error:  # e.g. a cell longer than the csv module's field limit
        raise TableRefused(_("The file is not a CSV text file.")) from None
    return dataset


def _unreadable_workbook():
    return TableRefused(_("The Excel workbook cannot be read. Save it again as .xlsx and retry."))


def _load_xlsx(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable_workbook() from None
    if unpacked > min(XLSX_MAX_UNPACKED, XLSX_MAX_RATIO * len(content)):
        raise _unreadable_workbook()
    dataset = tablib.Dataset()
    try:
        dataset.load(content, format="xlsx")
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        ParseError,  # a damaged sheet inside a sound archive
        tablib.InvalidDimensions,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
    ):
        raise _unreadable_workbook() from None
    return dataset
