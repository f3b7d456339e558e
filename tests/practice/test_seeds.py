import json

import pytest

from practice.models import Firearm, Person, Record
from practice.seeds import SeedError, parse_seed, write_seed

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,kind,date,port_of_entry,firearm_type,caliber,serial,person_code,given_names,paternal_surname,links\n"
)


def test_csv_rows_build_records_firearms_persons_and_links():
    content = (
        HEADER
        + 'SZ-9,seizure,2026-01-05,"Laredo, Texas",pistol,9mm,AB123,P-9,José,Núñez,\n'
        + 'SZ-9,seizure,2026-01-05,"Laredo, Texas",rifle,.223,CD456,,,,\n'
        + "AR-9,arrest,2026-01-06,,,,,P-9,José,Núñez,SZ-9\n"
    ).encode()
    data = parse_seed(content, "seed.csv")
    assert list(data.records) == ["SZ-9", "AR-9"]
    assert [values["caliber"] for _ref, values in data.firearms] == ["9mm", ".223 Rem"]
    assert data.persons["P-9"]["search_names"] == "jose nunez"
    assert data.links == [("AR-9", "SZ-9")]


def test_errors_are_reported_with_line_numbers():
    content = (
        HEADER
        + "SZ-1,seizure,2026-13-01,,,,,,,,\n"
        + "SZ-2,bogus,2026-01-01,Tijuana,pistol,bazooka,<x>,,,,\n"
        + "SZ-3,seizure,2026-01-01,,,,,,,,NOPE\n"
    ).encode()
    with pytest.raises(SeedError) as caught:
        parse_seed(content, "seed.csv")
    errors = caught.value.errors
    assert "Line 2: the date “2026-13-01” is not YYYY-MM-DD." in errors
    assert "Line 3: unknown record type “bogus”." in errors
    assert "Line 3: unknown port of entry “Tijuana”." in errors
    assert "Line 3: “bazooka” is not a calibre of the vocabulary." in errors
    assert any(error.startswith("Line 3: the serial number") for error in errors)


def test_unknown_link_and_future_date():
    content = (HEADER + "SZ-1,seizure,2026-01-01,,,,,,,,NOPE\nSZ-2,seizure,2999-01-01,,,,,,,,\n").encode()
    with pytest.raises(SeedError) as caught:
        parse_seed(content, "seed.csv")
    assert caught.value.errors == ["Line 3: the date 2999-01-01 is in the future."]
    with pytest.raises(SeedError) as caught:
        parse_seed((HEADER + "SZ-1,seizure,2026-01-01,,,,,,,,NOPE\n").encode(), "seed.csv")
    assert caught.value.errors == ["Line 2: the linked record NOPE is not in the file."]


def test_bad_header_and_encoding():
    with pytest.raises(SeedError) as caught:
        parse_seed(b"reference,kind,colour\nX,seizure,red\n", "seed.csv")
    assert caught.value.errors == ["Line 1: unknown columns: colour.", "Line 1: missing columns: date."]
    with pytest.raises(SeedError) as caught:
        parse_seed(HEADER.encode() + b"SZ-1,seizure,2026-01-01,\xff\n", "seed.csv")
    assert caught.value.errors == ["Line 2: the file is not UTF-8 text."]


def test_json_errors_carry_the_line_of_their_record():
    rows = [
        {"reference": "SZ-1", "kind": "seizure", "date": "2026-01-01"},
        {"reference": "SZ-2", "kind": "seizure", "date": "yesterday"},
    ]
    content = json.dumps(rows, indent=2).encode()
    with pytest.raises(SeedError) as caught:
        parse_seed(content, "seed.json")
    assert caught.value.errors == ["Line 7: the date “yesterday” is not YYYY-MM-DD."]
    with pytest.raises(SeedError) as caught:
        parse_seed(b'[\n{"reference": "SZ-1",\n "kind": }\n]', "seed.json")
    assert caught.value.errors[0].startswith("Line 3: not valid JSON")


def test_a_bad_file_changes_nothing(exercise):
    before = set(Record.objects.filter(exercise=exercise).values_list("reference", flat=True))
    with pytest.raises(SeedError):
        write_seed(exercise, parse_seed((HEADER + "SZ-1,seizure,bad,,,,,,,,\n").encode(), "x.csv"))
    assert set(Record.objects.filter(exercise=exercise).values_list("reference", flat=True)) == before


def test_write_replaces_seed_but_keeps_sandboxes(exercise, attempt):
    from practice.entry import save_entry
    from tests.practice.factories import right_entry

    save_entry(attempt, exercise.entry_tasks.get(), right_entry(link_reference="", deconfliction_note="x"))
    write_seed(exercise, parse_seed((HEADER + "SZ-7,seizure,2026-01-01,,pistol,9mm,ZZ1,,,,\n").encode(), "x.csv"))
    seed = Record.objects.filter(exercise=exercise, attempt__isnull=True)
    assert list(seed.values_list("reference", flat=True)) == ["SZ-7"]
    assert Record.objects.filter(attempt=attempt).count() == 1
    assert Firearm.objects.filter(record__in=seed).count() == 1
    assert not Person.objects.filter(exercise=exercise, attempt__isnull=True).exists()
