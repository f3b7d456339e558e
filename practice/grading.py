"""Grading a practice attempt, field by field, exactly once.

Entry tasks are graded on the record the trainee saved in their sandbox,
one answer-key field at a time, with the tolerance rule the instructor
chose. Retrieval tasks are graded on the answers submitted with the
attempt, one part (count, record, person) at a time. Every graded part is
stored (GradedItem) with what was given and what was expected, so the
review and the statistics survive the sandbox's cleanup.

Grading is claimed with one conditional UPDATE (``... WHERE status =
'in_progress'``): of two concurrent submissions exactly one changes the
row; the other gets AlreadySubmitted and writes nothing.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.exceptions import CourseError
from courses.progress import complete_step
from lms.validators import has_nul, prohibit_nul

from .exceptions import AlreadySubmitted, InvalidAnswers
from .models import (
    AttemptStatus,
    GradedField,
    GradedItem,
    Person,
    PracticeAttempt,
    Record,
    RetrievalAnswer,
    Tolerance,
)
from .vocabulary import normalise_text, serial_key

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
MAX_ANSWER = 200


# ---------------------------------------------------------------- rules


def _folded(text):
    """Case-insensitive comparison form: case folded, single spaces."""
    return " ".join(str(text or "").casefold().split())


def check_answer_key(key):
    """Raise ValidationError unless the rule has what it needs (admin form and loaders)."""
    if key.rule == Tolerance.RANGE:
        if key.minimum is None or key.maximum is None:
            raise ValidationError(_("The numeric range rule needs a minimum and a maximum."))
        if key.minimum > key.maximum:
            raise ValidationError(_("The minimum is larger than the maximum."))
    elif key.rule == Tolerance.ONE_OF:
        if not key.accepted_values():
            raise ValidationError(_("List the accepted values, one per line."))
    elif not key.expected.strip():
        raise ValidationError(_("Enter the expected value."))
    if key.field == GradedField.DATE and key.rule != Tolerance.ONE_OF and key.expected.strip():
        try:
            datetime.date.fromisoformat(key.expected.strip())
        except ValueError:
            raise ValidationError(_("Write the expected date as YYYY-MM-DD.")) from None


def rule_matches(key, given):
    """Does the value ``given`` (text) satisfy answer key ``key``?"""
    given = str(given or "").strip()
    if not given:
        return False
    rule = key.rule
    if rule == Tolerance.EXACT:
        return given == key.expected.strip()
    if rule == Tolerance.CASE_INSENSITIVE:
        return _folded(given) == _folded(key.expected)
    if rule == Tolerance.SERIAL:
        return serial_key(given) == serial_key(key.expected)
    if rule == Tolerance.ONE_OF:
        return _folded(given) in {_folded(value) for value in key.accepted_values()}
    if rule == Tolerance.RANGE:
        try:
            number = Decimal(given.replace(",", "."))
        except InvalidOperation:
            return False
        return key.minimum <= number <= key.maximum
    return False


def expected_text(key):
    if key.rule == Tolerance.ONE_OF:
        return " / ".join(key.accepted_values())
    if key.rule == Tolerance.RANGE:
        return f"{key.minimum.normalize():f}–{key.maximum.normalize():f}"
    return key.expected


def entry_values(record):
    """{graded field: [values as text]} of a saved entry (empty without one)."""
    if record is None:
        return {}
    values = {
        GradedField.KIND: [record.kind],
        GradedField.DATE: [record.occurred_on.isoformat()],
        GradedField.PLACE: [record.place],
        GradedField.PORT: [record.port_of_entry],
        GradedField.AGENCIES: [record.agencies],
    }
    firearm = record.firearms.first()
    if firearm is not None:
        values.update(
            {
                GradedField.FIREARM_TYPE: [firearm.firearm_type],
                GradedField.MAKE: [firearm.make],
                GradedField.MODEL: [firearm.model],
                GradedField.CALIBER: [firearm.caliber],
                GradedField.SERIAL: [firearm.serial],
                GradedField.IMPORTER: [firearm.importer_marking],
                GradedField.QUANTITY: [str(firearm.quantity)],
            }
        )
    link = record.record_persons.select_related("person").first()
    if link is not None:
        values[GradedField.PERSON_NAME] = [link.person.full_name]
        values[GradedField.PERSON_ALIAS] = link.person.alias_list()
    vehicle = record.vehicles.first()
    if vehicle is not None:
        values[GradedField.VEHICLE_PLATE] = [vehicle.plate]
        values[GradedField.VEHICLE_MAKE] = [vehicle.make]
    values[GradedField.LINKED_RECORD] = [
        link.to_record.reference for link in record.links_out.select_related("to_record")
    ]
    return values


# ---------------------------------------------------------------- retrieval answers


def _field(task_id, part):
    return f"r-{task_id}-{part}"


def parse_answers(attempt, tasks, data):
    """{task id: {"count", "record", "person"}} from form data, or
    InvalidAnswers ({task id: message}). Writes nothing."""
    answers, errors = {}, {}
    for task in tasks:
        raw_count = str(data.get(_field(task.pk, "count"), "")).strip()
        count = None
        if raw_count:
            if not raw_count.isdigit() or len(raw_count) > 9:
                errors[task.pk] = _("The count is a whole number, e.g. 4.")
            else:
                count = int(raw_count)
        record = str(data.get(_field(task.pk, "record"), "")).strip().upper()[:40]
        person = " ".join(str(data.get(_field(task.pk, "person"), "")).split())
        if has_nul(raw_count, record, person):
            # PostgreSQL refuses NUL in text: an error here, not on saving.
            errors[task.pk] = prohibit_nul.message
            continue
        if len(person) > MAX_ANSWER:
            errors[task.pk] = _("The answer is too long.")
        answers[task.pk] = {"count": count, "record": record, "person": person[:MAX_ANSWER]}
    if errors:
        raise InvalidAnswers(errors)
    return answers


def store_answers(attempt, answers):
    """Replace the attempt's saved retrieval answers. Safe to call twice."""
    with transaction.atomic():
        for task_id, values in answers.items():
            RetrievalAnswer.objects.update_or_create(
                attempt=attempt,
                task_id=task_id,
                defaults={"count": values["count"], "record_reference": values["record"], "person": values["person"]},
            )


def saved_answers(attempt):
    return {
        row.task_id: {"count": row.count, "record": row.record_reference, "person": row.person}
        for row in RetrievalAnswer.objects.filter(attempt=attempt)
    }


def person_matches(person, answer):
    """The answer names ``person``: their code, a recorded variant or alias,
    or their given name and first surname (accents and case ignored)."""
    if person is None or not answer.strip():
        return False
    if answer.strip().upper() == person.code.upper():
        return True
    words = normalise_text(answer).split()
    variants = person.search_names.splitlines()
    if " ".join(words) in variants:
        return True
    full = normalise_text(person.full_name).split()
    needed = {normalise_text(person.given_names).split()[0], normalise_text(person.paternal_surname).split()[0]}
    return needed <= set(words) and set(words) <= set(full)


# ---------------------------------------------------------------- grading


@dataclass
class Item:
    """One graded part, before it is stored."""

    part: str
    given: str
    expected: str
    is_correct: bool
    points: Decimal
    answer_key_id: int = None
    retrieval_task_id: int = None

    @property
    def earned(self):
        return self.points if self.is_correct else Decimal(0)


@dataclass
class Grade:
    items: list = field(default_factory=list)

    @property
    def earned(self):
        return sum((item.earned for item in self.items), Decimal(0))

    @property
    def possible(self):
        return sum((item.points for item in self.items), Decimal(0))

    @property
    def score(self):
        if not self.possible:
            return Decimal(0)
        return (Decimal(100) * self.earned / self.possible).quantize(CENT, rounding=ROUND_HALF_UP)


def grade(attempt, entry_tasks, retrieval_tasks, answers):
    """Grade without writing: entry tasks on the sandbox, retrieval tasks on ``answers``."""
    result = Grade()
    entries = {
        record.entry_task_id: record for record in Record.objects.filter(attempt=attempt, entry_task__isnull=False)
    }
    for task in entry_tasks:
        values = entry_values(entries.get(task.pk))
        for key in task.answer_keys.all():
            given = values.get(key.field, [])
            correct = any(rule_matches(key, value) for value in given)
            shown = next((value for value in given if rule_matches(key, value)), given[0] if given else "")
            result.items.append(
                Item(
                    key.field,
                    str(shown)[:300],
                    expected_text(key)[:300],
                    correct,
                    Decimal(key.points),
                    answer_key_id=key.pk,
                )
            )
    codes = [task.expected_person for task in retrieval_tasks if task.expected_person]
    persons = {
        person.code: person
        for person in Person.objects.filter(exercise_id=attempt.exercise_id, attempt__isnull=True, code__in=codes)
    }
    for task in retrieval_tasks:
        given = answers.get(task.pk, {"count": None, "record": "", "person": ""})
        points = Decimal(task.points)
        if task.asks_count:
            correct = given["count"] == task.expected_count
            shown = "" if given["count"] is None else str(given["count"])
            result.items.append(
                Item("count", shown, str(task.expected_count), correct, points, retrieval_task_id=task.pk)
            )
        if task.asks_record:
            correct = re.sub(r"\s", "", given["record"]) == task.expected_record.strip().upper()
            result.items.append(
                Item("record", given["record"], task.expected_record, correct, points, retrieval_task_id=task.pk)
            )
        if task.asks_person:
            person = persons.get(task.expected_person)
            expected = f"{task.expected_person} ({person.full_name})" if person else task.expected_person
            correct = person_matches(person, given["person"])
            result.items.append(
                Item("person", given["person"], expected[:300], correct, points, retrieval_task_id=task.pk)
            )
    return result


def submit_attempt(attempt, data, *, now=None):
    """Store the retrieval answers in ``data``, grade the attempt and store
    the result; a pass completes the step through ``complete_step``.

    Not safe to call twice on purpose: the second (or a concurrent) call
    raises AlreadySubmitted and changes nothing. Invalid answers raise
    InvalidAnswers and store nothing.
    """
    now = now or timezone.now()
    if not attempt.is_open:
        raise AlreadySubmitted()
    exercise = attempt.exercise
    entry_tasks = list(exercise.entry_tasks.order_by("sort_order", "pk").prefetch_related("answer_keys"))
    retrieval_tasks = list(exercise.retrieval_tasks.order_by("sort_order", "pk"))
    answers = parse_answers(attempt, retrieval_tasks, data)
    result = grade(attempt, entry_tasks, retrieval_tasks, answers)
    score = result.score
    passed = score >= exercise.pass_mark
    with transaction.atomic():
        claimed = PracticeAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
            status=AttemptStatus.SUBMITTED,
            submitted_at=now,
            points_earned=result.earned,
            points_possible=result.possible,
            score=score,
            passed=passed,
        )
        if not claimed:
            raise AlreadySubmitted()
        store_answers(attempt, answers)
        GradedItem.objects.bulk_create(
            GradedItem(
                attempt=attempt,
                answer_key_id=item.answer_key_id,
                retrieval_task_id=item.retrieval_task_id,
                part=item.part,
                position=position,
                given=item.given,
                expected=item.expected,
                is_correct=item.is_correct,
                points=item.points,
                earned=item.earned,
            )
            for position, item in enumerate(result.items)
        )
        attempt.status, attempt.submitted_at = AttemptStatus.SUBMITTED, now
        attempt.points_earned, attempt.points_possible = result.earned, result.possible
        attempt.score, attempt.passed = score, passed
        log(
            instance=attempt,
            action="practice.grade",
            user=attempt.user,
            data={"exercise": exercise.pk, "score": str(score), "passed": passed},
        )
    if passed:
        record_completion(attempt)
    return attempt


def record_completion(attempt):
    """Record the passed exercise as a completed course step. Runs after the
    grade is committed; if it fails the exercise page records it the next
    time the trainee opens it. Safe to call twice (complete_step is)."""
    try:
        complete_step(attempt.user, attempt.exercise, score=attempt.score)
    except CourseError as error:
        logger.warning("Practice attempt %s passed but the step was not recorded: %s", attempt.pk, error)
        return False
    return True
