"""Seed files: the records every trainee of an exercise finds in its case
database, uploaded by the instructor as CSV or JSON.

One row per record, or several rows with the same ``reference`` adding
firearms, persons or vehicles to it (CSV: columns; JSON: an array of objects
with the same keys). ``links`` names other references of the file, separated
by semicolons. The whole file is checked first and every problem reported
with its line number; a file with any error changes nothing.
"""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .vocabulary import (
    PORTS,
    SERIAL_RE,
    FirearmType,
    PersonRole,
    RecordKind,
    canonical_caliber,
    normalise_text,
    plate_key,
    serial_key,
)

COLUMNS = (
    "reference",
    "kind",
    "date",
    "place",
    "port_of_entry",
    "agencies",
    "summary",
    "firearm_type",
    "make",
    "model",
    "caliber",
    "serial",
    "importer_marking",
    "quantity",
    "person_code",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "aliases",
    "birth_year",
    "role",
    "vehicle_make",
    "vehicle_model",
    "vehicle_color",
    "vehicle_plate",
    "vehicle_region",
    "links",
)
REQUIRED = ("reference", "kind", "date")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 60_000
MAX_ERRORS = 50


class SeedError(Exception):
    """A seed file that cannot be loaded; ``errors`` are translated lines."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:3]))


@dataclass
class SeedData:
    """A checked seed file, ready to write (plain values, no models)."""

    records: dict = field(default_factory=dict)  # reference -> values
    firearms: list = field(default_factory=list)  # (reference, values)
    persons: dict = field(default_factory=dict)  # code -> values
    record_persons: list = field(default_factory=list)  # (reference, code, role)
    vehicles: list = field(default_factory=list)  # (reference, values)
    links: list = field(default_factory=list)  # (reference, reference)


# ---------------------------------------------------------------- reading


def read_rows(content, name):
    """[(line number, {column: text})] from CSV or JSON bytes."""
    if len(content) > MAX_BYTES:
        raise SeedError([_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise SeedError([_("Line %(line)s: the file is not UTF-8 text.") % {"line": line}]) from None
    if name.lower().endswith(".json") or text.lstrip().startswith("["):
        return _json_rows(text)
    return _csv_rows(text)


def _csv_rows(text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in (reader.fieldnames or [])]
    unknown = [column for column in header if column not in COLUMNS]
    missing = [column for column in REQUIRED if column not in header]
    errors = []
    if unknown:
        errors.append(_("Line 1: unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if missing:
        errors.append(_("Line 1: missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if errors:
        raise SeedError(errors)
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise SeedError([_("Line %(line)s: more values than columns.") % {"line": reader.line_num}])
            rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items()}))
            if len(rows) > MAX_ROWS:
                raise SeedError([_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}])
    except csv.Error as error:
        raise SeedError([_("Line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}]) from None
    return rows


def _json_rows(text):
    """The objects of a JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if text[position : position + 1] != "[":
        raise SeedError([_("Line 1: a JSON seed file is an array of records.")])
    position += 1
    rows = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise SeedError([_("Line %(line)s: the array is not closed.") % {"line": text.count("\n") + 1}])
        if text[position] == "]":
            break
        line = text.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise SeedError(
                [_("Line %(line)s: not valid JSON (%(error)s).") % {"line": error.lineno, "error": error.msg}]
            ) from None
        if not isinstance(item, dict):
            raise SeedError([_("Line %(line)s: each record is an object.") % {"line": line}])
        unknown = [key for key in item if key not in COLUMNS]
        if unknown:
            raise SeedError([_("Line %(line)s: unknown keys: %(keys)s.") % {"line": line, "keys": ", ".join(unknown)}])
        rows.append((line, {key: "" if value is None else str(value).strip() for key, value in item.items()}))
        if len(rows) > MAX_ROWS:
            raise SeedError([_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}])
    return rows


# ---------------------------------------------------------------- checking


def parse_seed(content, name, *, today=None):
    """Check a seed file and return its SeedData, or raise SeedError listing
    every problem (up to MAX_ERRORS) with its line number. Writes nothing."""
    rows = read_rows(content, name)
    if not rows:
        raise SeedError([_("The file has no records.")])
    return check_rows(rows, today=today)


def check_rows(rows, *, today=None):
    today = today or timezone.localdate()
    data, errors = SeedData(), []
    first_line = {}
    for line, row in rows:
        problems = _check_row(row, data, today)
        errors.extend(_("Line %(line)s: %(problem)s") % {"line": line, "problem": problem} for problem in problems)
        if not problems:
            first_line.setdefault(row["reference"], line)
        if len(errors) >= MAX_ERRORS:
            break
    if not errors:
        for reference, target in data.links:
            if target not in data.records:
                errors.append(
                    _("Line %(line)s: the linked record %(target)s is not in the file.")
                    % {"line": first_line.get(reference, "?"), "target": target}
                )
    if errors:
        raise SeedError(errors[:MAX_ERRORS])
    return data


def _check_row(row, data, today):
    problems = []
    reference = row["reference"] = row.get("reference", "").upper()
    for column in REQUIRED:
        if not row.get(column):
            problems.append(_("the column %(column)s is empty.") % {"column": column})
    if problems:
        return problems
    if len(reference) > 40:
        problems.append(_("the record number is longer than 40 characters."))
    kind = row["kind"].lower()
    if kind not in RecordKind.values:
        problems.append(_("unknown record type “%(value)s”.") % {"value": row["kind"]})
    try:
        occurred_on = datetime.date.fromisoformat(row["date"])
        if occurred_on > today:
            problems.append(_("the date %(date)s is in the future.") % {"date": row["date"]})
    except ValueError:
        occurred_on = None
        problems.append(_("the date “%(value)s” is not YYYY-MM-DD.") % {"value": row["date"]})
    port = row.get("port_of_entry", "")
    if port and port not in PORTS:
        problems.append(_("unknown port of entry “%(value)s”.") % {"value": port})
    firearm = _check_firearm(row, problems)
    person = _check_person(row, problems)
    vehicle = _vehicle(row)
    if problems:
        return problems
    values = {
        "kind": kind,
        "occurred_on": occurred_on,
        "place": row.get("place", "")[:200],
        "port_of_entry": port,
        "agencies": row.get("agencies", "")[:200],
        "summary": row.get("summary", ""),
    }
    known = data.records.get(reference)
    if known is not None and (known["kind"], known["occurred_on"]) != (kind, occurred_on):
        return [_("record %(reference)s appears earlier with another type or date.") % {"reference": reference}]
    data.records.setdefault(reference, values)
    if firearm:
        data.firearms.append((reference, firearm))
    if person:
        code, person_values, role = person
        data.persons.setdefault(code, person_values)
        data.record_persons.append((reference, code, role))
    if vehicle:
        data.vehicles.append((reference, vehicle))
    for target in filter(None, (item.strip().upper() for item in row.get("links", "").split(";"))):
        if target != reference:
            data.links.append((reference, target))
    return []


def _check_firearm(row, problems):
    if not row.get("firearm_type"):
        return None
    firearm_type = row["firearm_type"].lower()
    if firearm_type not in FirearmType.values:
        problems.append(_("unknown firearm type “%(value)s”.") % {"value": row["firearm_type"]})
    caliber = ""
    if row.get("caliber"):
        caliber = canonical_caliber(row["caliber"])
        if caliber is None:
            problems.append(_("“%(value)s” is not a calibre of the vocabulary.") % {"value": row["caliber"]})
    serial = row.get("serial", "")
    if serial and not SERIAL_RE.match(serial):
        problems.append(_("the serial number “%(value)s” has characters a serial cannot have.") % {"value": serial})
    quantity = row.get("quantity") or "1"
    if not quantity.isdigit() or not 1 <= int(quantity) <= 10_000:
        problems.append(_("the quantity “%(value)s” is not a whole number from 1 to 10,000.") % {"value": quantity})
        quantity = "1"
    return {
        "firearm_type": firearm_type,
        "make": row.get("make", "")[:80],
        "model": row.get("model", "")[:80],
        "caliber": caliber or "",
        "serial": serial,
        "serial_key": serial_key(serial),
        "importer_marking": row.get("importer_marking", "")[:120],
        "quantity": int(quantity),
    }


def _check_person(row, problems):
    code = row.get("person_code", "")
    if not code:
        return None
    if not row.get("given_names") or not row.get("paternal_surname"):
        problems.append(_("person %(code)s needs given names and a first surname.") % {"code": code})
        return None
    role = (row.get("role") or PersonRole.SUSPECT).lower()
    if role not in PersonRole.values:
        problems.append(_("unknown role “%(value)s”.") % {"value": row["role"]})
    birth_year = row.get("birth_year", "")
    if birth_year and not (birth_year.isdigit() and 1900 <= int(birth_year) <= 2030):
        problems.append(_("the year of birth “%(value)s” is not a year.") % {"value": birth_year})
        birth_year = ""
    values = {
        "given_names": row["given_names"][:120],
        "paternal_surname": row["paternal_surname"][:80],
        "maternal_surname": row.get("maternal_surname", "")[:80],
        "aliases": row.get("aliases", "")[:300],
        "birth_year": int(birth_year) if birth_year else None,
    }
    values["search_names"] = person_search_names(values)
    return code, values, role


def _vehicle(row):
    if not (row.get("vehicle_plate") or row.get("vehicle_make")):
        return None
    return {
        "make": row.get("vehicle_make", "")[:60],
        "model": row.get("vehicle_model", "")[:60],
        "color": row.get("vehicle_color", "")[:30],
        "plate": row.get("vehicle_plate", "")[:20],
        "plate_key": plate_key(row.get("vehicle_plate", ""))[:20],
        "plate_region": row.get("vehicle_region", "")[:40],
    }


def person_search_names(values):
    """Every way a person's name may be searched, normalised, one per line:
    the full name, the name with the first surname only, and each alias."""
    full = " ".join(
        part for part in (values["given_names"], values["paternal_surname"], values.get("maternal_surname")) if part
    )
    variants = [full, *[alias for alias in values.get("aliases", "").split(";") if alias.strip()]]
    return "\n".join(dict.fromkeys(normalise_text(variant) for variant in variants if normalise_text(variant)))


# ---------------------------------------------------------------- writing


def write_seed(exercise, data, *, batch_size=2000):
    """Replace the seed records of ``exercise`` with ``data`` in one
    transaction. Trainees' sandboxes keep their own records (a link from a
    sandbox record to a replaced seed record goes with it). Safe to call
    twice: the second call writes the same records again."""
    from .models import Firearm, Person, Record, RecordLink, RecordPerson, Vehicle

    with transaction.atomic():
        Record.objects.filter(exercise=exercise, attempt__isnull=True).delete()
        Person.objects.filter(exercise=exercise, attempt__isnull=True).delete()
        records = Record.objects.bulk_create(
            [Record(exercise=exercise, reference=reference, **values) for reference, values in data.records.items()],
            batch_size=batch_size,
        )
        record_ids = {record.reference: record.pk for record in records}
        persons = Person.objects.bulk_create(
            [Person(exercise=exercise, code=code, **values) for code, values in data.persons.items()],
            batch_size=batch_size,
        )
        person_ids = {person.code: person.pk for person in persons}
        Firearm.objects.bulk_create(
            [Firearm(record_id=record_ids[ref], **values) for ref, values in data.firearms], batch_size=batch_size
        )
        Vehicle.objects.bulk_create(
            [Vehicle(record_id=record_ids[ref], **values) for ref, values in data.vehicles], batch_size=batch_size
        )
        pairs = dict.fromkeys((ref, code) for ref, code, _role in data.record_persons)
        roles = {(ref, code): role for ref, code, role in data.record_persons}
        RecordPerson.objects.bulk_create(
            [
                RecordPerson(record_id=record_ids[ref], person_id=person_ids[code], role=roles[ref, code])
                for ref, code in pairs
            ],
            batch_size=batch_size,
        )
        RecordLink.objects.bulk_create(
            [
                RecordLink(from_record_id=record_ids[a], to_record_id=record_ids[b])
                for a, b in dict.fromkeys(data.links)
            ],
            batch_size=batch_size,
        )
    return len(records)


def document_content(document):
    with document.file.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def sync_seed(exercise, *, user=None):
    """Load the exercise's seed file if it changed since the last load.

    Safe to call twice: an unchanged file (same SHA-256) writes nothing.
    Raises SeedError for a file with errors (nothing written). Returns the
    number of records loaded, or None when nothing changed.
    """
    document = exercise.seed_document
    if document is None:
        return None
    content = document_content(document)
    fingerprint = hashlib.sha256(content).hexdigest()
    if fingerprint == exercise.seed_sha256:
        return None
    data = parse_seed(content, document.file.name)
    with transaction.atomic():
        count = write_seed(exercise, data)
        type(exercise).objects.filter(pk=exercise.pk).update(seed_sha256=fingerprint)
        exercise.seed_sha256 = fingerprint
        log(instance=exercise, action="practice.seed", user=user, data={"records": count, "sha256": fingerprint})
    return count
