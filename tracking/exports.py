"""Spreadsheet exports of the tracking reports.

Every export starts with a few lines that say what it is (title, time of
export, who exported it, the filters applied), then a blank line, then the
header row and the data. Headings are in the exporting user's language,
also while a streamed response is still being written. Cells that a
spreadsheet would read as a formula (= + - @, tab, carriage return) are
prefixed with a quote: people's names are user input.
"""

import codecs
import csv
import datetime
import itertools
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import pgettext

from lms.exports import neutralise


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise(force_str(value))


def xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    return neutralise(force_str(value))


#: How many lines of an XLSX export are read to size its columns.
WIDTH_SAMPLE = 500


def _display_width(value):
    """Roughly how many characters a spreadsheet shows for ``value``."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(part) for part in force_str(value).splitlines()), default=0)


def describe_filter_form(filters):
    """(label, shown value) of every filter in use on a bound filter set:
    what an export's preamble and a bulk download's status page show."""
    if not filters or not filters.is_valid():
        return []
    described = []
    for name, field in filters.form.fields.items():
        value = filters.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "label_from_instance") and hasattr(value, "pk"):
            value = field.label_from_instance(value)
        elif hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        described.append((force_str(field.label), force_str(value)))
    return described


class _Echo:
    def write(self, value):
        return value


class TrackingExportMixin:
    """Mixed into the tracking ReportViews (before ReportView).

    A view gives ``export_title``, ``export_columns()`` (a list of
    headings) and ``export_rows(queryset)`` (an iterable of lists of raw
    values, produced lazily for the big exports).
    """

    export_title = ""
    export_language = "en"
    export_timezone = None

    def export_columns(self):
        raise NotImplementedError

    def export_rows(self, object_list):
        raise NotImplementedError

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localtime():%Y%m%d-%H%M}"

    def export_preamble(self):
        """Title, time, author and filters of the export, as (label, value) rows."""
        now = timezone.localtime()
        rows = [
            (force_str(self.export_title), ""),
            (pgettext("tracking", "Exported at"), formats.date_format(now, "DATETIME_FORMAT") + f" ({now.tzname()})"),
            (pgettext("tracking", "Exported by"), self.request.user.get_username()),
        ]
        definition = getattr(self, "definition", "")
        if definition:
            rows.append((pgettext("tracking", "Figures"), definition))
        filters = self.describe_filters()
        if filters:
            for label, value in filters:
                rows.append((pgettext("tracking", "Filter: %(name)s") % {"name": label}, value))
        else:
            rows.append((pgettext("tracking", "Filters"), pgettext("tracking filters", "all")))
        return rows

    def describe_filters(self):
        """(label, shown value) of every filter in use."""
        return describe_filter_form(getattr(self, "filters", None))

    # -- writers

    def _lines(self, object_list):
        """Every line of the export, preamble first, in the export language."""
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            for label, value in self.export_preamble():
                yield [force_str(label), force_str(value)]
            yield []
            yield [force_str(heading) for heading in self.export_columns()]
            yield from self.export_rows(object_list)

    def stream_csv(self, object_list):
        # A byte-order mark first: Excel on Windows reads the file as UTF-8
        # only with one (else "Ciudad Juárez" comes out garbled).
        yield codecs.BOM_UTF8
        writer = csv.writer(_Echo())
        for line in self._lines(object_list):
            yield writer.writerow([csv_value(value) for value in line]).encode("utf-8")

    def write_csv_response(self, object_list):
        response = StreamingHttpResponse(self.stream_csv(object_list), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx(self, object_list, output):
        """A write-only workbook (constant memory): the first ``WIDTH_SAMPLE``
        lines are held back to size the columns (they must be set before
        any row is written), and the panes are frozen below the header row."""
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True, iso_dates=True)
        with translation.override(self.export_language):
            sheet = workbook.create_sheet(title=force_str(self.export_sheet_title)[:31])
        lines = self._lines(object_list)
        head = list(itertools.islice(lines, WIDTH_SAMPLE))
        header_index = head.index([]) + 1 if [] in head else 0
        widths = {}
        for number, line in enumerate(head):
            if number < header_index:
                continue  # the preamble's long values would widen column B
            for index, value in enumerate(line):
                widths[index] = max(widths.get(index, 0), _display_width(value))
        for index, width in widths.items():
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = f"A{header_index + 2}"
        for line in itertools.chain(head, lines):
            sheet.append([self._xlsx_cell(sheet, value) for value in line])
        workbook.save(output)

    @staticmethod
    def _xlsx_cell(sheet, value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, xlsx_value(value))
        if cell.data_type == "f":
            cell.data_type = "s"
        if isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        return cell

    def write_xlsx_response(self, object_list):
        # A temporary file, not a BytesIO: a big workbook stays out of memory.
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.write_xlsx(object_list, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )

    @property
    def export_sheet_title(self):
        return self.export_title
