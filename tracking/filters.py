"""The filter forms of the tracking reports (django-filter FilterSets).

They only parse and validate: ``TrackingFilterSet.criteria`` turns the
cleaned form into a ``Criteria`` that the queries in ``stats.py`` and
``people.py`` apply. Choices are limited to what the user may see, so an
agency outside a coordinator's scope is an invalid choice, not a filter.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from courses.models import CoursePage
from lms.models import Agency, AgencyLevel, Country

from .criteria import Criteria, PersonStatus
from .permissions import reportable_agencies


def _courses(request):
    return CoursePage.objects.order_by("code")


def _agencies(request):
    if request is None:
        return Agency.objects.none()
    return reportable_agencies(request.user).order_by("country", "acronym")


class CourseChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.title}"


class CourseFilter(django_filters.ModelChoiceFilter):
    field_class = CourseChoiceField


class TrackingFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        return data


def _noop(queryset, name, value):
    return queryset


class TrackingFilterSet(WagtailFilterSet):
    """Filters of the agency report (and the base of the people filters)."""

    course = CourseFilter(
        label=pgettext_lazy("tracking", "Course"),
        queryset=_courses,
        method=_noop,
        empty_label=pgettext_lazy("tracking", "Required certifications"),
        help_text=_(
            "Required certifications: each trainee is counted against every course their institution requires. "
            "Pick a course for that course's figures alone."
        ),
    )
    country = django_filters.ChoiceFilter(
        label=pgettext_lazy("tracking", "Country"),
        choices=Country.choices,
        method=_noop,
        empty_label=pgettext_lazy("tracking", "All countries"),
    )
    level = django_filters.ChoiceFilter(
        label=pgettext_lazy("tracking", "Agency level"),
        choices=AgencyLevel.choices,
        method=_noop,
        empty_label=pgettext_lazy("tracking", "All levels"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("tracking", "Agency"),
        queryset=_agencies,
        method=_noop,
        empty_label=pgettext_lazy("tracking", "All agencies"),
    )
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("tracking", "From"),
        method=_noop,
        widget=AdminDateInput,
        help_text=_("Enrolments and certificates from this day on."),
    )
    date_to = django_filters.DateFilter(
        label=pgettext_lazy("tracking", "To"),
        method=_noop,
        widget=AdminDateInput,
        help_text=_("Up to and including this day."),
    )

    class Meta:
        form = TrackingFilterForm
        fields = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # The filters only validate; the queries live in stats/people.
        if queryset is None:
            queryset = Agency.objects.none()
        super().__init__(data, queryset, request=request, prefix=prefix)

    def criteria(self):
        """The filters as a Criteria; call only when ``is_valid()``."""
        return Criteria.from_cleaned_data(self.form.cleaned_data)

    def error_messages(self):
        """The form's errors as sentences a person can act on."""
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages


class PeopleFilterSet(TrackingFilterSet):
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("tracking", "Status"),
        choices=PersonStatus.choices,
        method=_noop,
        empty_label=pgettext_lazy("tracking", "Every trainee"),
    )
    q = django_filters.CharFilter(
        label=pgettext_lazy("tracking", "Name, username or e-mail"), method=_noop, max_length=100
    )

    class Meta:
        form = TrackingFilterForm
        fields = ()


class MatrixFilterSet(TrackingFilterSet):
    q = django_filters.CharFilter(
        label=pgettext_lazy("tracking", "Name, username or e-mail"), method=_noop, max_length=100
    )

    class Meta:
        form = TrackingFilterForm
        fields = ()
