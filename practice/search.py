"""Searching a trainee's case database, the way the real systems are searched:
filters by field, free text over names (accent- and case-insensitive,
matching every recorded variant and alias), date ranges and linked records.

Every search is recorded (SearchLog) so instructors see how trainees
searched. A search costs a constant number of queries whatever it finds:
a count, one page of records, three prefetches and the log row.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidSearch
from .models import Firearm, RecordLink, RecordPerson, SearchLog
from .permissions import visible_persons, visible_records
from .vocabulary import PORT_CHOICES, FirearmType, RecordKind, canonical_caliber, normalise_text, plate_key, serial_key

PAGE_SIZE = 20
#: Criteria recorded in the log, in the order the report shows them.
CRITERIA = (
    "text",
    "kind",
    "firearm_type",
    "caliber",
    "make",
    "serial",
    "port_of_entry",
    "date_from",
    "date_to",
    "plate",
    "linked_to",
)


def _blank(choices, label=None):
    return [("", label or _("Any")), *choices]


class SearchForm(forms.Form):
    text = forms.CharField(
        label=_("Name or alias"),
        max_length=120,
        required=False,
        help_text=_("Accents and capitals do not matter; aliases and name variants match too."),
    )
    kind = forms.ChoiceField(label=_("Record type"), choices=_blank(RecordKind.choices), required=False)
    firearm_type = forms.ChoiceField(label=_("Firearm type"), choices=_blank(FirearmType.choices), required=False)
    caliber = forms.CharField(
        label=_("Calibre"), max_length=30, required=False, widget=forms.TextInput(attrs={"list": "calibers"})
    )
    make = forms.CharField(label=_("Make"), max_length=80, required=False)
    serial = forms.CharField(
        label=_("Serial number or part of it"),
        max_length=40,
        required=False,
        help_text=_("O and 0, I and 1 are treated alike; separators are ignored."),
    )
    port_of_entry = forms.ChoiceField(label=_("Port of entry"), choices=_blank(PORT_CHOICES), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    plate = forms.CharField(label=_("Vehicle plate"), max_length=20, required=False)
    linked_to = forms.CharField(
        label=_("Linked to record number"), max_length=40, required=False, help_text=_("E.g. SZ-2026-00042.")
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def clean_caliber(self):
        value = self.cleaned_data["caliber"].strip()
        if value and canonical_caliber(value) is None:
            raise forms.ValidationError(_("“%(value)s” is not in the calibre list.") % {"value": value})
        return canonical_caliber(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the date range is before its start."))
        return cleaned


@dataclass
class SearchResult:
    records: list
    total: int
    page: int
    criteria: dict

    @property
    def pages(self):
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self):
        return self.page < self.pages


def filtered_records(attempt, cleaned):
    """The records of ``attempt``'s case database matching ``cleaned`` (a
    SearchForm's cleaned data), as one queryset."""
    records = visible_records(attempt)
    if cleaned.get("kind"):
        records = records.filter(kind=cleaned["kind"])
    if cleaned.get("port_of_entry"):
        records = records.filter(port_of_entry=cleaned["port_of_entry"])
    if cleaned.get("date_from"):
        records = records.filter(occurred_on__gte=cleaned["date_from"])
    if cleaned.get("date_to"):
        records = records.filter(occurred_on__lte=cleaned["date_to"])
    firearm = Q()
    if cleaned.get("firearm_type"):
        firearm &= Q(firearm_type=cleaned["firearm_type"])
    if cleaned.get("caliber"):
        firearm &= Q(caliber=cleaned["caliber"])
    if cleaned.get("make"):
        firearm &= Q(make__icontains=cleaned["make"].strip())
    if cleaned.get("serial") and serial_key(cleaned["serial"]):
        firearm &= Q(serial_key__contains=serial_key(cleaned["serial"]))
    if firearm:
        records = records.filter(Exists(Firearm.objects.filter(firearm, record=OuterRef("pk"))))
    tokens = normalise_text(cleaned.get("text", "")).split()[:6]
    if tokens:
        people = visible_persons(attempt)
        for token in tokens:
            people = people.filter(search_names__contains=token)
        records = records.filter(
            Exists(RecordPerson.objects.filter(record=OuterRef("pk"), person__in=people.values("pk")))
        )
    if cleaned.get("plate") and plate_key(cleaned["plate"]):
        records = records.filter(vehicles__plate_key__contains=plate_key(cleaned["plate"])).distinct()
    if cleaned.get("linked_to"):
        # References are stored upper case, so an exact match uses the index.
        scope = visible_records(attempt).filter(reference=cleaned["linked_to"].strip().upper()).values("pk")
        # One IN over a UNION (not an OR of two): the planner then looks the
        # few linked ids up by primary key instead of scanning every record.
        linked = (
            RecordLink.objects.filter(to_record__in=scope)
            .values_list("from_record_id", flat=True)
            .union(RecordLink.objects.filter(from_record__in=scope).values_list("to_record_id", flat=True))
        )
        records = records.filter(pk__in=linked)
    return records


def search(attempt, data, *, record=True):
    """Run the search described by ``data`` (form data) in ``attempt``'s case
    database and record it. Raises InvalidSearch (nothing recorded) for bad
    input. Not idempotent on purpose: each call is one recorded search."""
    form = SearchForm(data)
    if not form.is_valid():
        raise InvalidSearch(form)
    cleaned = form.cleaned_data
    records = filtered_records(attempt, cleaned)
    total = records.count()
    page = min(cleaned.get("page") or 1, max(1, -(-total // PAGE_SIZE)))
    start = (page - 1) * PAGE_SIZE
    rows = list(
        records.order_by("-occurred_on", "pk").prefetch_related(
            "firearms",
            "vehicles",
            Prefetch("record_persons", queryset=RecordPerson.objects.select_related("person")),
        )[start : start + PAGE_SIZE]
    )
    criteria = {name: str(cleaned[name]) for name in CRITERIA if cleaned.get(name)}
    if record:
        with transaction.atomic():
            SearchLog.objects.create(attempt=attempt, criteria=criteria, result_count=total)
    return SearchResult(records=rows, total=total, page=page, criteria=criteria)


def record_detail(attempt, record):
    """A record with its firearms, persons, vehicles and the links the
    trainee may follow (only to records of their own case database)."""
    scope = visible_records(attempt).values("pk")
    links = list(RecordLink.objects.filter(from_record=record, to_record__in=scope).select_related("to_record"))
    backlinks = list(RecordLink.objects.filter(to_record=record, from_record__in=scope).select_related("from_record"))
    return {
        "record": record,
        "firearms": list(record.firearms.all()),
        "persons": list(record.record_persons.select_related("person")),
        "vehicles": list(record.vehicles.all()),
        "linked": [link.to_record for link in links] + [link.from_record for link in backlinks],
    }
