"""Cleaning up trainees' sandboxes once they are no longer needed.

A sandbox (the records and persons a trainee entered in one attempt) is kept
while its attempt is open, and for ``PRACTICE_SANDBOX_RETENTION_DAYS``
(default 30) after the attempt was graded, so the trainee can look back at
what they entered. After that its records are deleted. The attempt, its
grade, every graded field (with the values the trainee gave), the retrieval
answers and the recorded searches are kept.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AttemptStatus, Person, PracticeAttempt, Record

DEFAULT_RETENTION_DAYS = 30


def retention_days():
    return int(getattr(settings, "PRACTICE_SANDBOX_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def expired_sandboxes(*, now=None, days=None):
    """Graded attempts whose sandbox is older than the retention period and not cleared yet."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days() if days is None else days)
    return PracticeAttempt.objects.filter(
        status=AttemptStatus.SUBMITTED, submitted_at__lt=cutoff, sandbox_cleared_at__isnull=True
    )


def clear_sandboxes(*, now=None, days=None, batch_size=500):
    """Delete the sandboxes of ``expired_sandboxes``; return how many were
    cleared. Safe to call twice: a cleared attempt is stamped and skipped."""
    now = now or timezone.now()
    cleared = 0
    while True:
        ids = list(expired_sandboxes(now=now, days=days).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            Record.objects.filter(attempt_id__in=ids).delete()
            Person.objects.filter(attempt_id__in=ids).delete()
            cleared += PracticeAttempt.objects.filter(pk__in=ids, sandbox_cleared_at__isnull=True).update(
                sandbox_cleared_at=now
            )
    return cleared
