import pytest

from practice.entry import save_entry
from practice.exceptions import InvalidSearch
from practice.models import SearchLog
from practice.search import search
from tests.practice.factories import right_entry

pytestmark = pytest.mark.django_db


def refs(result):
    return sorted(record.reference for record in result.records)


@pytest.mark.parametrize("text", ["maria jose ortiz", "MARÍA JOSÉ ORTÍZ", "la guera", "Ortiz Salcedo", "ortíz"])
def test_names_match_without_accents_and_through_aliases(attempt, text):
    assert "SZ-1" in refs(search(attempt, {"text": text}))


def test_alias_finds_the_arrest(attempt):
    assert refs(search(attempt, {"text": "el chuy"})) == ["AR-1"]


def test_serial_fragment_ignores_look_alikes_and_separators(attempt):
    assert refs(search(attempt, {"serial": "ab45o2"})) == ["SZ-1"]
    assert refs(search(attempt, {"serial": "bkz-O12"})) == ["EV-1"]


def test_filters_with_date_range(attempt):
    result = search(
        attempt,
        {
            "kind": "seizure",
            "firearm_type": "rifle",
            "caliber": "7.62x39",
            "port_of_entry": "Nogales, Arizona",
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
        },
    )
    assert result.total == 2 and refs(result) == ["SZ-1", "SZ-2"]
    assert refs(search(attempt, {"date_from": "2026-03-10", "date_to": "2026-03-31"})) == ["SZ-2"]


def test_linked_records_both_ways(attempt):
    assert refs(search(attempt, {"linked_to": "ar-1"})) == ["SZ-1"]
    assert refs(search(attempt, {"linked_to": "SZ-1"})) == ["AR-1"]


def test_every_search_is_recorded(attempt):
    search(attempt, {"text": "chuy", "caliber": "9x19"})
    log = SearchLog.objects.get(attempt=attempt)
    assert log.criteria == {"text": "chuy", "caliber": "9mm"}
    assert log.result_count == 0


def test_bad_input_is_refused_and_not_recorded(attempt):
    with pytest.raises(InvalidSearch) as caught:
        search(attempt, {"date_from": "2026-04-01", "date_to": "2026-03-01", "caliber": "bazooka"})
    assert "before its start" in caught.value.form.errors["date_to"][0]
    assert "not in the calibre list" in caught.value.form.errors["caliber"][0]
    assert not SearchLog.objects.exists()


def test_own_entries_are_found_but_not_another_trainees(attempt, exercise, course):
    from courses import progress
    from practice.attempts import start_attempt
    from tests.factories import make_trainee

    other = make_trainee()
    progress.enroll(other, course)
    theirs = start_attempt(other, exercise)
    task = exercise.entry_tasks.get()
    save_entry(theirs, task, right_entry(given_names="Pedro", paternal_surname="Secreto"))
    assert search(attempt, {"text": "secreto"}).total == 0
    assert search(attempt, {"linked_to": f"NEW-{task.pk}"}).total == 0
    # The seed record their entry links to shows no trace of it.
    assert refs(search(attempt, {"linked_to": "EV-1"})) == []
    save_entry(attempt, task, right_entry(given_names="Ana", paternal_surname="Propia"))
    assert refs(search(attempt, {"text": "propia"})) == [f"NEW-{task.pk}"]


def test_constant_queries_per_search(attempt, django_assert_num_queries):
    criteria = {"text": "ortiz", "caliber": "7.62x39", "date_from": "2026-01-01", "linked_to": "AR-1"}
    # count, page, three prefetches, savepoint + insert + release of the log row
    with django_assert_num_queries(8):
        search(attempt, criteria)
    with django_assert_num_queries(8):
        search(attempt, {"port_of_entry": "Nogales, Arizona"})
