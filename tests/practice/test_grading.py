from decimal import Decimal

import pytest

from courses.models import StepCompletion
from practice.entry import save_entry
from practice.exceptions import AlreadySubmitted, InvalidAnswers
from practice.grading import rule_matches, submit_attempt
from practice.models import AnswerKey, GradedItem, Tolerance
from practice.review import attempt_review
from tests.practice.factories import right_answers, right_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "expected", "given", "ok"),
    [
        (Tolerance.EXACT, "9mm", "9mm", True),
        (Tolerance.EXACT, "9mm", "9MM", False),
        (Tolerance.CASE_INSENSITIVE, "Glock", " GLOCK ", True),
        (Tolerance.CASE_INSENSITIVE, "Glock", "Glok", False),
        (Tolerance.SERIAL, "1-AB-4502", "iab45o2", True),
        (Tolerance.SERIAL, "1-AB-4502", "1AB4503", False),
        (Tolerance.ONE_OF, "", "nogales", True),
        (Tolerance.ONE_OF, "", "Laredo", False),
        (Tolerance.RANGE, "", "3", True),
        (Tolerance.RANGE, "", "6", False),
        (Tolerance.RANGE, "", "many", False),
        (Tolerance.EXACT, "9mm", "", False),
    ],
)
def test_rules(rule, expected, given, ok):
    key = AnswerKey(
        field="serial",
        rule=rule,
        expected=expected,
        alternatives="Nogales, Arizona\nNogales",
        minimum=Decimal(1),
        maximum=Decimal(5),
    )
    assert rule_matches(key, given) is ok


def test_a_right_attempt_passes_and_completes_the_step(attempt, exercise, trainee):
    save_entry(attempt, exercise.entry_tasks.get(), right_entry())
    submit_attempt(attempt, right_answers(exercise))
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == Decimal("100.00")
    assert attempt.points_possible == 8  # six fields, two retrieval parts
    assert StepCompletion.objects.filter(enrollment__user=trainee, page=exercise).exists()


def test_mistakes_are_graded_field_by_field_and_explained(attempt, exercise):
    save_entry(
        attempt, exercise.entry_tasks.get(), right_entry(serial="BKZ013", deconfliction_note="x", link_reference="")
    )
    task = exercise.retrieval_tasks.get()
    submit_attempt(attempt, {f"r-{task.pk}-count": "3", f"r-{task.pk}-person": "P-1"})
    attempt.refresh_from_db()
    assert attempt.passed is False
    wrong = {item.part: item for item in GradedItem.objects.filter(attempt=attempt, is_correct=False)}
    assert set(wrong) == {"serial", "linked_record", "count"}
    assert (wrong["serial"].given, wrong["serial"].expected) == ("BKZ013", "BKZ012")
    entry, _question = attempt_review(attempt, show_expected=True)
    serial = next(item for item in entry.items if item.label == "Serial number")
    assert serial.explanation == "Why serial EXPLAINED" and not serial.is_correct
    hidden = attempt_review(attempt, show_expected=False)
    assert all(item.expected == "" and item.explanation == "" for group in hidden for item in group.items)


def test_missing_entry_scores_zero_for_its_fields(attempt, exercise):
    submit_attempt(attempt, right_answers(exercise))
    attempt.refresh_from_db()
    assert attempt.points_earned == 2 and attempt.score == Decimal("25.00")


def test_grading_is_claimed_once(attempt, exercise):
    submit_attempt(attempt, right_answers(exercise))
    with pytest.raises(AlreadySubmitted):
        submit_attempt(attempt, right_answers(exercise))
    stale = type(attempt).objects.get(pk=attempt.pk)
    stale.status = "in_progress"  # a concurrent request that read the row before the first grade
    with pytest.raises(AlreadySubmitted):
        submit_attempt(stale, right_answers(exercise))
    assert GradedItem.objects.filter(attempt=attempt).count() == 8


def test_bad_count_is_refused_and_nothing_graded(attempt, exercise):
    task = exercise.retrieval_tasks.get()
    with pytest.raises(InvalidAnswers) as caught:
        submit_attempt(attempt, {f"r-{task.pk}-count": "two"})
    assert caught.value.errors == {task.pk: "The count is a whole number, e.g. 4."}
    attempt.refresh_from_db()
    assert attempt.is_open and not GradedItem.objects.exists()


@pytest.mark.parametrize("answer", ["P-1", "María José Ortíz Salcedo", "maria jose ortiz", "La Güera", "Maria Ortiz"])
def test_person_answers(attempt, exercise, answer):
    from practice.grading import person_matches
    from practice.models import Person

    person = Person.objects.get(code="P-1", attempt__isnull=True)
    assert person_matches(person, answer)
    assert not person_matches(person, "Jesús Pérez")
