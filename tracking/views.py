"""Admin views of certification tracking: the agency report, the people
list and the certification matrix (bulk downloads: ``bulk_views``).

Views only parse, check and render: figures come from ``stats``/``people``,
scoping from ``permissions.reportable_agencies`` (through the filters and
``stats.scoped_people``).
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail.admin.views.reports import ReportView

from . import people as people_rows
from . import stats
from .criteria import Criteria
from .exports import TrackingExportMixin
from .filters import MatrixFilterSet, PeopleFilterSet, TrackingFilterSet
from .nav import report_tabs
from .permissions import may_view_reports


class TrackingReportView(TrackingExportMixin, ReportView):
    """What every tracking report shares: the permission check, the
    handling of bad filters and formats, and the export language."""

    header_icon = "table"
    paginate_by = None
    columns = ()

    def dispatch(self, request, *args, **kwargs):
        if not may_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filters_valid(self):
        return self.filters is not None and self.filters.is_valid()

    @cached_property
    def criteria(self):
        if self.filters_valid:
            return self.filters.criteria()
        return Criteria()

    def filter_queryset(self, queryset):
        # The filters are applied by the queries of stats/people (see get_rows).
        return queryset

    def get(self, request, *args, **kwargs):
        requested = request.GET.get("export")
        if requested is not None and requested not in self.FORMATS:
            return HttpResponseBadRequest(
                _("Unknown export format %(format)s: use csv or xlsx.") % {"format": requested[:20]},
                content_type="text/plain; charset=utf-8",
            )
        if self.is_export:
            # A streamed export is written after this view returns, outside the
            # admin's language and time-zone overrides: keep them now.
            self.export_language = translation.get_language() or "en"
            self.export_timezone = timezone.get_current_timezone()
            if not self.filters_valid:
                return HttpResponseBadRequest(
                    "\n".join([_("The filters could not be applied:")] + self.filters.error_messages()),
                    content_type="text/plain; charset=utf-8",
                )
            # Straight to the spreadsheet: no listing context, no counting.
            return self.as_spreadsheet(self.get_rows(), requested)
        return super().get(request, *args, **kwargs)

    def get_filtered_queryset(self):
        if not self.filters_valid:
            return []
        return self.get_rows()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_errors"] = [] if self.filters_valid else self.filters.error_messages()
        context["nav"] = self.nav_links()
        context["definition"] = self.definition
        return context

    @cached_property
    def definition(self):
        """Which definition of "certified" the figures use, in a sentence."""
        course = self.filters.form.cleaned_data.get("course") if self.filters_valid else None
        return stats.definition(self.criteria, course)

    def nav_links(self):
        return report_tabs(self.request, self.index_url_name)

    def people_url(self, **overrides):
        return reverse("tracking_admin:people") + "?" + urlencode(self.criteria.as_params(**overrides))


class AgencyReportView(TrackingReportView):
    page_title = gettext_lazy("Certification by agency")
    export_title = gettext_lazy("Certification by agency")
    export_filename = "certification-by-agency"
    results_template_name = "tracking/admin/agency_results.html"
    filterset_class = TrackingFilterSet
    index_url_name = "tracking_admin:agencies"
    index_results_url_name = "tracking_admin:agencies_results"
    list_export = ("acronym", "name", "country", *stats.FIGURES, "rate")

    def get_base_queryset(self):
        return stats.scoped_agencies(self.request.user, Criteria())

    @cached_property
    def report(self):
        return stats.agency_report(self.request.user, self.criteria, total_label=pgettext("tracking", "Total"))

    def get_rows(self):
        return self.report.rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        report = self.report if self.filters_valid else None
        context["headings"] = self.export_columns()
        context["rows"] = [self.linked(row) for row in report.rows] if report else []
        context["total"] = self.linked(report.total) if report and report.rows else None
        context["people_url"] = self.people_url()
        return context

    def linked(self, row):
        """(row, [(figure, value, url)]) for the template."""
        cells = []
        for name in stats.FIGURES:
            url = self.people_url(agency=row.agency_id or "", status=stats.FIGURE_STATUS[name])
            cells.append((name, getattr(row, name), url))
        return {"row": row, "cells": cells}

    def export_columns(self):
        return [
            pgettext("tracking", "Acronym"),
            pgettext("tracking", "Agency"),
            pgettext("tracking", "Country"),
            pgettext("tracking", "Trainees"),
            pgettext("tracking", "Enrolled"),
            pgettext("tracking", "In progress"),
            pgettext("tracking", "Completed"),
            pgettext("tracking", "Certified and current"),
            pgettext("tracking", "Expiring within 30 days"),
            pgettext("tracking", "Expiring within 60 days"),
            pgettext("tracking", "Expiring within 90 days"),
            pgettext("tracking", "Expired"),
            pgettext("tracking", "Revoked"),
            pgettext("tracking", "Certification rate (%)"),
        ]

    def export_rows(self, rows):
        nothing = pgettext("tracking", "Requires no course")
        for row in [*rows, self.report.total] if rows else rows:
            country = "" if row.is_total else row.country_label
            if row.requires_nothing:
                yield [row.acronym, row.name, country, row.trainees, *[None] * (len(stats.FIGURES) - 1), nothing]
            else:
                yield [row.acronym, row.name, country, *[getattr(row, name) for name in stats.FIGURES], row.rate]


class PeopleView(TrackingReportView):
    page_title = gettext_lazy("Certification by person")
    export_title = gettext_lazy("Certification by person")
    export_filename = "certification-people"
    results_template_name = "tracking/admin/people_results.html"
    filterset_class = PeopleFilterSet
    index_url_name = "tracking_admin:people"
    index_results_url_name = "tracking_admin:people_results"
    paginate_by = 50
    list_export = ("username",)

    def get_base_queryset(self):
        return stats.scoped_people(self.request.user, Criteria())

    def get_rows(self):
        return people_rows.people_with_agency(stats.scoped_people(self.request.user, self.criteria))

    def decorate_paginated_queryset(self, object_list):
        return people_rows.decorate(object_list, self.criteria)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["bulk_url"] = reverse("tracking_admin:bulk_create")
        context["bulk_params"] = self.criteria.as_params() if self.filters_valid else None
        return context

    def export_columns(self):
        return [
            pgettext("tracking", "Username"),
            pgettext("tracking", "Name"),
            pgettext("tracking", "E-mail"),
            pgettext("tracking", "Agency"),
            pgettext("tracking", "Course code"),
            pgettext("tracking", "Course"),
            pgettext("tracking", "Cycle"),
            pgettext("tracking", "Enrolled on"),
            pgettext("tracking", "Progress (%)"),
            pgettext("tracking", "Completed on"),
            pgettext("tracking", "Certificate"),
            pgettext("tracking", "Certificate status"),
            pgettext("tracking", "Issued"),
            pgettext("tracking", "Expires"),
        ]

    def export_rows(self, queryset):
        for batch in people_rows.iter_batches(queryset, self.criteria):
            for person in batch:
                user = person.user
                head = [user.get_username(), person.name, user.email, person.agency.acronym if person.agency else ""]
                if not person.lines:
                    yield head + [""] * 10
                for line in person.lines:
                    cert = line.certificate
                    yield head + [
                        line.code,
                        line.title,
                        line.cycle,
                        line.enrolled_at,
                        line.progress,
                        line.completed_at,
                        cert.serial if cert else "",
                        cert.status_label if cert else "",
                        cert.issued_on if cert else None,
                        cert.expires_on if cert else None,
                    ]


class MatrixView(TrackingReportView):
    page_title = gettext_lazy("Certification matrix")
    export_title = gettext_lazy("Certification matrix")
    export_filename = "certification-matrix"
    results_template_name = "tracking/admin/matrix_results.html"
    filterset_class = MatrixFilterSet
    index_url_name = "tracking_admin:matrix"
    index_results_url_name = "tracking_admin:matrix_results"
    paginate_by = 50
    list_export = ("username",)

    def get_base_queryset(self):
        return stats.scoped_people(self.request.user, Criteria())

    @cached_property
    def required(self):
        agency_ids = list(stats.scoped_agencies(self.request.user, self.criteria).values_list("pk", flat=True))
        courses, by_agency = people_rows.required_courses(agency_ids)
        if self.criteria.course_id:
            courses = [course for course in courses if course.pk == self.criteria.course_id]
        return courses, by_agency

    def get_rows(self):
        people = stats.scoped_people(self.request.user, self.criteria)
        return people_rows.people_with_agency(people)

    def decorate_paginated_queryset(self, object_list):
        courses, by_agency = self.required
        return [
            {"person": person, "cells": people_rows.matrix_cells(person, courses, by_agency)}
            for person in people_rows.decorate(object_list, self.criteria)
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["courses"] = self.required[0]
        return context

    def export_columns(self):
        columns = [pgettext("tracking", "Username"), pgettext("tracking", "Name"), pgettext("tracking", "Agency")]
        for course in self.required[0]:
            columns += [
                pgettext("tracking", "%(course)s: status") % {"course": course.code},
                pgettext("tracking", "%(course)s: expires") % {"course": course.code},
            ]
        return columns

    def export_rows(self, queryset):
        courses, by_agency = self.required
        for batch in people_rows.iter_batches(queryset, self.criteria):
            for person in batch:
                line = [person.user.get_username(), person.name, person.agency.acronym if person.agency else ""]
                for cell in people_rows.matrix_cells(person, courses, by_agency):
                    line += [cell.label, cell.expires_on]
                yield line
