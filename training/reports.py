"""The translation status report in the Wagtail admin (HTML, CSV, XLSX)."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from lms.exports import neutralise

from . import permissions
from .models import TranslationStamp
from .translation_status import Problem, model_choices, translation_status


class TranslationStatusFilterSet(WagtailFilterSet):
    model_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=lambda: model_choices(), empty_label=_("All types"), method="keep"
    )
    problem = django_filters.ChoiceFilter(
        label=_("Problem"), choices=Problem.choices, empty_label=_("All problems"), method="keep"
    )

    def keep(self, queryset, name, value):
        return queryset  # the service filters; see TranslationStatusView.get_queryset


class TranslationStatusView(ReportView):
    """Every translated field whose Spanish is missing or older than its English."""

    page_title = _("Translation status")
    header_icon = "globe"
    index_url_name = "training_translation_status:index"
    index_results_url_name = "training_translation_status:results"
    filterset_class = TranslationStatusFilterSet
    columns = [
        Column("model_label", label=_("Type")),
        TitleColumn("object_label", label=_("Object"), get_url=lambda row: row.edit_url),
        Column("field_label", label=_("Field")),
        Column("problem_label", label=_("Problem")),
        DateColumn("english_changed_at", label=_("English changed")),
        DateColumn("spanish_changed_at", label=_("Spanish changed")),
    ]
    list_export = [
        "model_label",
        "object_label",
        "field_label",
        "problem_label",
        "english_changed_at",
        "spanish_changed_at",
    ]
    export_headings = {
        "model_label": _("Type"),
        "object_label": _("Object"),
        "field_label": _("Field"),
        "problem_label": _("Problem"),
        "english_changed_at": _("English changed"),
        "spanish_changed_at": _("Spanish changed"),
    }
    verbose_name_plural = _("fields lacking Spanish")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_view_translation_status(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def permission_policy(self):
        return None  # training.permissions decides, in dispatch()

    def get_filename(self):
        return f"translation-status-{datetime.date.today().isoformat()}"

    def get_filterset_kwargs(self):
        # The rows are not a queryset; the filter set only validates the form.
        return {**super().get_filterset_kwargs(), "queryset": TranslationStamp.objects.none()}

    @cached_property
    def filter_values(self):
        if self.filters is None or not self.filters.is_valid():
            return {}
        data = self.filters.form.cleaned_data
        return {"model": data.get("model_type") or None, "problem": data.get("problem") or None}

    def get_queryset(self):
        return translation_status(self.request.user, **self.filter_values)

    def filter_queryset(self, queryset):
        return queryset

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    @cached_property
    def no_results_message(self):
        if self.filters is not None and not self.filters.is_valid():
            problems = "; ".join(
                f"{self.filters.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in self.filters.form.errors.items()
            )
            return _("These filter values are not valid, so nothing is listed. %(problems)s") % {"problems": problems}
        return super().no_results_message

    def get(self, request, *args, **kwargs):
        if self.filters is not None and not self.filters.is_valid():
            # Bad filter values: say so (the form shows why), list nothing.
            self.is_export = False
            self.object_list = []
            response = self.render_to_response(self.get_context_data())
            response.status_code = 400
            return response
        return super().get(request, *args, **kwargs)
