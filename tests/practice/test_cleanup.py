from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from practice.cleanup import clear_sandboxes
from practice.entry import save_entry
from practice.grading import submit_attempt
from practice.models import GradedItem, Person, Record, SearchLog
from practice.search import search
from tests.practice.factories import right_answers, right_entry

pytestmark = pytest.mark.django_db


def test_old_graded_sandboxes_are_cleared_and_grades_kept(attempt, exercise):
    save_entry(attempt, exercise.entry_tasks.get(), right_entry(given_names="Ana", paternal_surname="Ruiz"))
    search(attempt, {"text": "ortiz"})
    submit_attempt(attempt, right_answers(exercise), now=timezone.now() - timedelta(days=31))
    seed_before = Record.objects.filter(attempt__isnull=True).count()
    assert clear_sandboxes() == 1
    assert not Record.objects.filter(attempt=attempt).exists()
    assert not Person.objects.filter(attempt=attempt).exists()
    assert Record.objects.filter(attempt__isnull=True).count() == seed_before
    attempt.refresh_from_db()
    assert attempt.sandbox_cleared_at is not None and attempt.passed
    assert GradedItem.objects.filter(attempt=attempt).count() == 8
    assert SearchLog.objects.filter(attempt=attempt).count() == 1
    assert clear_sandboxes() == 0  # safe to run twice


def test_open_and_recent_sandboxes_are_kept(attempt, exercise, settings):
    save_entry(attempt, exercise.entry_tasks.get(), right_entry())
    assert clear_sandboxes(days=0) == 0  # open attempt
    submit_attempt(attempt, right_answers(exercise), now=timezone.now() - timedelta(days=5))
    settings.PRACTICE_SANDBOX_RETENTION_DAYS = 7
    assert clear_sandboxes() == 0
    assert Record.objects.filter(attempt=attempt).exists()
    call_command("cleanup_practice_sandboxes", "--days", "3")
    assert not Record.objects.filter(attempt=attempt).exists()
