"""Entering a record in a trainee's sandbox, as a careful production system
would take it: every field checked with a clear message, then checked
against the records already there (same serial, same vehicle, near-same
name) so a duplicate is linked or explained rather than entered twice.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidEntry
from .models import Firearm, Person, Record, RecordLink, RecordPerson, Vehicle
from .permissions import visible_persons, visible_records
from .seeds import person_search_names
from .vocabulary import (
    CALIBERS,
    PORT_CHOICES,
    SERIAL_RE,
    FirearmType,
    PersonRole,
    RecordKind,
    caliber_key,
    canonical_caliber,
    look_alike_letters,
    normalise_text,
    plate_key,
    serial_key,
)

PLATE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,10}[A-Za-z0-9]$")
EARLIEST = datetime.date(1990, 1, 1)


def _blank(choices):
    return [("", "—"), *choices]


class EntryForm(forms.Form):
    """The fields of one record. Field-level rules only; the database checks
    (links, duplicates) are in ``save_entry``."""

    kind = forms.ChoiceField(label=_("Record type"), choices=RecordKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    port_of_entry = forms.ChoiceField(label=_("Port of entry"), choices=_blank(PORT_CHOICES), required=False)
    agencies = forms.CharField(
        label=_("Agencies involved"), max_length=200, required=False, help_text=_("Acronyms, separated by commas.")
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    firearm_type = forms.ChoiceField(label=_("Firearm type"), choices=_blank(FirearmType.choices), required=False)
    make = forms.CharField(label=_("Make"), max_length=80, required=False)
    model = forms.CharField(label=_("Model"), max_length=80, required=False)
    caliber = forms.CharField(
        label=_("Calibre"), max_length=30, required=False, widget=forms.TextInput(attrs={"list": "calibers"})
    )
    serial = forms.CharField(label=_("Serial number"), max_length=40, required=False)
    serial_checked = forms.BooleanField(
        label=_("I compared the serial number with the firearm character by character."), required=False
    )
    importer_marking = forms.CharField(label=_("Importer marking"), max_length=120, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000, initial=1, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=120, required=False)
    paternal_surname = forms.CharField(label=_("First surname"), max_length=80, required=False)
    maternal_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    aliases = forms.CharField(
        label=_("Aliases and name variants"), max_length=300, required=False, help_text=_("Separated by semicolons.")
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2030, required=False)
    person_role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.SUSPECT)
    vehicle_make = forms.CharField(label=_("Vehicle make"), max_length=60, required=False)
    vehicle_model = forms.CharField(label=_("Vehicle model"), max_length=60, required=False)
    vehicle_color = forms.CharField(label=_("Colour"), max_length=30, required=False)
    vehicle_plate = forms.CharField(label=_("Plate"), max_length=20, required=False)
    vehicle_region = forms.CharField(label=_("Plate state"), max_length=40, required=False)
    link_reference = forms.CharField(
        label=_("Link to record number"),
        max_length=40,
        required=False,
        help_text=_("The number of an existing record this one belongs with, e.g. SZ-2026-00042."),
    )
    link_note = forms.CharField(label=_("Reason for the link"), max_length=300, required=False)
    deconfliction_note = forms.CharField(
        label=_("Why this is not a duplicate"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only when the system shows possible duplicates that you do not link."),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if value < EARLIEST:
            raise forms.ValidationError(_("The date cannot be before 1990."))
        return value

    def clean_caliber(self):
        value = self.cleaned_data["caliber"].strip()
        if not value:
            return ""
        canonical = canonical_caliber(value)
        if canonical is None:
            close = difflib.get_close_matches(caliber_key(value), [caliber_key(c) for c in CALIBERS], n=2, cutoff=0.5)
            names = [c for c in CALIBERS if caliber_key(c) in close]
            message = _("“%(value)s” is not in the calibre list.") % {"value": value}
            if names:
                message += " " + _("Did you mean %(names)s?") % {"names": " / ".join(names)}
            raise forms.ValidationError(message)
        return canonical

    def clean_serial(self):
        value = " ".join(self.cleaned_data["serial"].split()).upper()
        if value and not SERIAL_RE.match(value):
            raise forms.ValidationError(
                _("A serial number has letters, digits and separators (- / .) only, 3 to 40 characters.")
            )
        return value

    def clean_vehicle_plate(self):
        value = " ".join(self.cleaned_data["vehicle_plate"].split()).upper()
        if value and not PLATE_RE.match(value):
            raise forms.ValidationError(_("A plate has letters, digits, spaces and hyphens only."))
        return value

    def clean_link_reference(self):
        return self.cleaned_data["link_reference"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        serial = cleaned.get("serial", "")
        letters = look_alike_letters(serial)
        if letters and not cleaned.get("serial_checked"):
            self.add_error(
                "serial",
                _(
                    "The serial has the letter %(letters)s next to digits: is it a zero or a one? "
                    "Check it against the firearm, then tick the box below the serial."
                )
                % {"letters": " / ".join(letters)},
            )
        has_firearm = bool(cleaned.get("firearm_type"))
        described = any(cleaned.get(name) for name in ("make", "model", "caliber", "serial", "importer_marking"))
        if described and not has_firearm:
            self.add_error("firearm_type", _("Choose the firearm type of the firearm you describe."))
        if has_firearm and not serial and "serial" not in self.errors:
            self.add_error("serial", _("Enter the serial number as it is marked on the firearm."))
        has_person = any(
            cleaned.get(name) for name in ("given_names", "paternal_surname", "maternal_surname", "aliases")
        )
        if has_person or cleaned.get("kind") == RecordKind.ARREST:
            if not cleaned.get("given_names"):
                self.add_error("given_names", _("Enter the person's given names."))
            if not cleaned.get("paternal_surname"):
                self.add_error("paternal_surname", _("Enter the person's first surname."))
        if cleaned.get("kind") == RecordKind.SEIZURE and not has_firearm and "firearm_type" not in self.errors:
            self.add_error("firearm_type", _("A seizure record describes the firearm seized."))
        if cleaned.get("vehicle_make") and not cleaned.get("vehicle_plate"):
            self.add_error("vehicle_plate", _("Enter the vehicle's plate, or leave the vehicle empty."))
        return cleaned


@dataclass
class Match:
    """An existing record the new entry may duplicate."""

    record: Record
    reason: str


def find_matches(attempt, cleaned, *, exclude=None):
    """Records of the trainee's case database (seed and sandbox) sharing the
    entry's serial, vehicle plate or (nearly) the person's name: three
    queries at most."""
    records = visible_records(attempt)
    if exclude is not None:
        records = records.exclude(pk=exclude.pk)
    matches = {}
    key = serial_key(cleaned.get("serial"))
    if key:
        for record in records.filter(firearms__serial_key=key).distinct()[:5]:
            matches.setdefault(record.pk, Match(record, _("same serial number")))
    plate = plate_key(cleaned.get("vehicle_plate"))
    if plate:
        for record in records.filter(vehicles__plate_key=plate).distinct()[:5]:
            matches.setdefault(record.pk, Match(record, _("same vehicle plate")))
    tokens = normalise_text(f"{cleaned.get('given_names', '')} {cleaned.get('paternal_surname', '')}").split()
    if tokens:
        people = visible_persons(attempt)
        for token in tokens:
            people = people.filter(search_names__contains=token)
        if exclude is not None:
            people = people.exclude(record_persons__record=exclude)
        for record in records.filter(record_persons__person__in=people).distinct()[:5]:
            matches.setdefault(record.pk, Match(record, _("person with a near-same name")))
    return list(matches.values())


def entry_reference(task):
    return f"NEW-{task.pk}"


def save_entry(attempt, task, data, *, today=None):
    """Check ``data`` and store it as the attempt's record for ``task``,
    replacing the previous version. Raises InvalidEntry (nothing written)
    with the form's errors and the possible duplicates to link or explain.
    Safe to call twice: the last save wins. The attempt must be open and
    the task one of its exercise's (the view checks both)."""
    form = EntryForm(data, today=today)
    if not form.is_valid():
        raise InvalidEntry(form)
    cleaned = form.cleaned_data
    existing = Record.objects.filter(attempt=attempt, entry_task=task).first()
    link = None
    if cleaned["link_reference"]:
        link = visible_records(attempt).filter(reference=cleaned["link_reference"]).first()
        if link is None or link == existing:
            form.add_error("link_reference", _("There is no other record with this number in your case database."))
            raise InvalidEntry(form)
    elif task.require_link:
        form.add_error("link_reference", _("This entry must be linked to the record it belongs with."))
        raise InvalidEntry(form)
    matches = find_matches(attempt, cleaned, exclude=existing)
    linked = link is not None and any(match.record.pk == link.pk for match in matches)
    if matches and not linked and not cleaned["deconfliction_note"].strip():
        form.add_error(
            None,
            _(
                "A record with this serial number, vehicle or person already exists: link it (its number in "
                "“Link to record number”) or explain why this is a different case."
            ),
        )
        raise InvalidEntry(form, matches=matches)
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        record = Record.objects.create(
            exercise_id=attempt.exercise_id,
            attempt=attempt,
            entry_task=task,
            reference=entry_reference(task),
            kind=cleaned["kind"],
            occurred_on=cleaned["occurred_on"],
            place=cleaned["place"],
            port_of_entry=cleaned["port_of_entry"],
            agencies=cleaned["agencies"],
            summary=cleaned["summary"],
            deconfliction_note=cleaned["deconfliction_note"].strip(),
        )
        if cleaned["firearm_type"]:
            Firearm.objects.create(
                record=record,
                firearm_type=cleaned["firearm_type"],
                make=cleaned["make"],
                model=cleaned["model"],
                caliber=cleaned["caliber"],
                serial=cleaned["serial"],
                serial_key=serial_key(cleaned["serial"]),
                importer_marking=cleaned["importer_marking"],
                quantity=cleaned["quantity"] or 1,
            )
        if cleaned["given_names"]:
            values = {
                "given_names": cleaned["given_names"],
                "paternal_surname": cleaned["paternal_surname"],
                "maternal_surname": cleaned["maternal_surname"],
                "aliases": cleaned["aliases"],
            }
            person = Person.objects.create(
                exercise_id=attempt.exercise_id,
                attempt=attempt,
                code=f"NEW-P{task.pk}",
                birth_year=cleaned["birth_year"],
                search_names=person_search_names(values),
                **values,
            )
            RecordPerson.objects.create(record=record, person=person, role=cleaned["person_role"])
        if cleaned["vehicle_plate"]:
            Vehicle.objects.create(
                record=record,
                make=cleaned["vehicle_make"],
                model=cleaned["vehicle_model"],
                color=cleaned["vehicle_color"],
                plate=cleaned["vehicle_plate"],
                plate_key=plate_key(cleaned["vehicle_plate"]),
                plate_region=cleaned["vehicle_region"],
            )
        if link is not None:
            RecordLink.objects.create(from_record=record, to_record=link, note=cleaned["link_note"])
    return record


def initial_from_record(record):
    """The form's initial values from a saved entry, to edit it again."""
    if record is None:
        return {}
    initial = {
        "kind": record.kind,
        "occurred_on": record.occurred_on,
        "place": record.place,
        "port_of_entry": record.port_of_entry,
        "agencies": record.agencies,
        "summary": record.summary,
        "deconfliction_note": record.deconfliction_note,
    }
    firearm = record.firearms.first()
    if firearm is not None:
        initial.update(
            firearm_type=firearm.firearm_type,
            make=firearm.make,
            model=firearm.model,
            caliber=firearm.caliber,
            serial=firearm.serial,
            serial_checked=True,
            importer_marking=firearm.importer_marking,
            quantity=firearm.quantity,
        )
    link = record.record_persons.select_related("person").first()
    if link is not None:
        person = link.person
        initial.update(
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            aliases=person.aliases,
            birth_year=person.birth_year,
            person_role=link.role,
        )
    vehicle = record.vehicles.first()
    if vehicle is not None:
        initial.update(
            vehicle_make=vehicle.make,
            vehicle_model=vehicle.model,
            vehicle_color=vehicle.color,
            vehicle_plate=vehicle.plate,
            vehicle_region=vehicle.plate_region,
        )
    out = record.links_out.select_related("to_record").first()
    if out is not None:
        initial.update(link_reference=out.to_record.reference, link_note=out.note)
    return initial
