import datetime

import pytest

from practice.entry import EntryForm, save_entry
from practice.exceptions import InvalidEntry
from practice.models import Record
from tests.practice.factories import right_entry

pytestmark = pytest.mark.django_db


def entry_errors(attempt, task, **overrides):
    with pytest.raises(InvalidEntry) as caught:
        save_entry(attempt, task, right_entry(**overrides))
    return caught.value


def test_right_entry_is_saved_in_the_sandbox_with_its_link(attempt, exercise):
    task = exercise.entry_tasks.get()
    record = save_entry(attempt, task, right_entry())
    assert record.attempt == attempt and record.reference == f"NEW-{task.pk}"
    firearm = record.firearms.get()
    assert (firearm.caliber, firearm.serial, firearm.serial_key) == ("9mm", "BKZ012", "BKZ012")
    assert [link.to_record.reference for link in record.links_out.all()] == ["EV-1"]


def test_saving_twice_replaces_the_entry(attempt, exercise):
    task = exercise.entry_tasks.get()
    save_entry(attempt, task, right_entry())
    save_entry(attempt, task, right_entry(model="19 Gen 5"))
    record = Record.objects.get(attempt=attempt)
    assert record.firearms.get().model == "19 Gen 5"


def test_future_date_is_refused_and_nothing_written(attempt, exercise):
    task = exercise.entry_tasks.get()
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    error = entry_errors(attempt, task, occurred_on=tomorrow)
    assert error.form.errors["occurred_on"] == ["The date cannot be in the future."]
    assert not Record.objects.filter(attempt=attempt).exists()


def test_unknown_caliber_is_refused_with_a_suggestion(attempt, exercise):
    error = entry_errors(attempt, exercise.entry_tasks.get(), caliber="7.62x38")
    assert "is not in the calibre list" in error.form.errors["caliber"][0]
    assert "7.62x39mm" in error.form.errors["caliber"][0]


def test_caliber_spellings_are_stored_in_canonical_form():
    form = EntryForm(right_entry(caliber="7,62 x 39"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["caliber"] == "7.62x39mm"


def test_look_alike_letters_in_a_serial_need_a_check(attempt, exercise):
    task = exercise.entry_tasks.get()
    error = entry_errors(attempt, task, serial="BKZO12", link_reference="", deconfliction_note="new gun")
    assert "letter O next to digits" in error.form.errors["serial"][0]
    record = save_entry(
        attempt, task, right_entry(serial="BKZO12", serial_checked="on", link_reference="", deconfliction_note="x")
    )
    assert record.firearms.get().serial_key == "BKZ012"


def test_serial_with_forbidden_characters_is_refused(attempt, exercise):
    error = entry_errors(attempt, exercise.entry_tasks.get(), serial="<script>")
    assert "letters, digits and separators" in error.form.errors["serial"][0]


def test_arrest_needs_a_person_and_seizure_a_firearm(attempt, exercise):
    task = exercise.entry_tasks.get()
    error = entry_errors(attempt, task, kind="arrest")
    assert error.form.errors["given_names"] == ["Enter the person's given names."]
    error = entry_errors(attempt, task, firearm_type="", make="", model="", caliber="", serial="")
    assert error.form.errors["firearm_type"] == ["A seizure record describes the firearm seized."]


def test_same_serial_must_be_linked_or_explained(attempt, exercise):
    task = exercise.entry_tasks.get()
    error = entry_errors(attempt, task, link_reference="")
    assert [match.record.reference for match in error.matches] == ["EV-1"]
    assert "link it" in str(error.form.non_field_errors()[0])
    # Linking another record does not settle it either.
    error = entry_errors(attempt, task, link_reference="SZ-2")
    assert [match.record.reference for match in error.matches] == ["EV-1"]
    record = save_entry(attempt, task, right_entry(link_reference="", deconfliction_note="Another pistol"))
    assert record.deconfliction_note == "Another pistol"


def test_same_vehicle_and_near_same_name_are_matches(attempt, exercise):
    task = exercise.entry_tasks.get()
    error = entry_errors(
        attempt,
        task,
        serial="NEW999",
        link_reference="",
        vehicle_make="Nissan",
        vehicle_plate="vhk 4821",
        given_names="Maria Jose",
        paternal_surname="ORTIZ",
    )
    reasons = {match.record.reference: str(match.reason) for match in error.matches}
    assert reasons["SZ-1"] == "same vehicle plate"
    assert reasons["SZ-2"] == "person with a near-same name"


def test_link_to_an_unknown_or_other_sandbox_record_is_refused(attempt, exercise, course):
    from courses import progress
    from practice.attempts import start_attempt
    from tests.factories import make_trainee

    other = make_trainee()
    progress.enroll(other, course)
    other_attempt = start_attempt(other, exercise)
    task = exercise.entry_tasks.get()
    theirs = save_entry(other_attempt, task, right_entry())
    error = entry_errors(attempt, task, link_reference=theirs.reference)
    assert error.form.errors["link_reference"] == ["There is no other record with this number in your case database."]


def test_required_link(attempt, exercise):
    task = exercise.entry_tasks.get()
    task.require_link = True
    task.save()
    error = entry_errors(attempt, task, link_reference="", deconfliction_note="x")
    assert error.form.errors["link_reference"] == ["This entry must be linked to the record it belongs with."]


def test_messages_are_translated(attempt, exercise):
    from django.utils import translation

    with translation.override("es"):
        error = entry_errors(attempt, exercise.entry_tasks.get(), occurred_on="2999-01-01")
        assert error.form.errors["occurred_on"] == ["La fecha no puede estar en el futuro."]
