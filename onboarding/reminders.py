"""Due-date reminders: 7 days and 1 day before an assigned course is due,
to people who have not completed it. Each goes out once per person and
assignment (DueReminder's unique pair), however often the command runs."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.notifications import enqueue_on_commit

from .assignments import members_with_status
from .models import AssignedPerson, DueReminder, DueReminderKind

#: kind -> how many days before the due date it is sent (at the latest).
DAYS_BEFORE = {DueReminderKind.WEEK: 7, DueReminderKind.DAY: 1}


def due_kind(due_on, today):
    """The reminder due on ``today`` for a course due on ``due_on``."""
    days = (due_on - today).days
    if days < 0:
        return None
    if days <= DAYS_BEFORE[DueReminderKind.DAY]:
        return DueReminderKind.DAY
    if days <= DAYS_BEFORE[DueReminderKind.WEEK]:
        return DueReminderKind.WEEK
    return None


def send_due_reminders(today=None):
    """Record and enqueue every reminder due on ``today``; returns how many.
    Safe to run twice: a recorded reminder is never sent again."""
    from .tasks import send_due_reminder

    today = today or timezone.localdate()
    candidates = (
        members_with_status(
            AssignedPerson.objects.filter(
                user__is_active=True,
                assignment__due_on__gte=today,
                assignment__due_on__lte=today + datetime.timedelta(days=DAYS_BEFORE[DueReminderKind.WEEK]),
            )
        )
        .filter(done=False)
        .select_related("assignment")
        .order_by("pk")
    )
    sent = 0
    for member in candidates:
        kind = due_kind(member.assignment.due_on, today)
        if kind is None or member.reminders.filter(kind=kind).exists():
            continue
        try:
            with transaction.atomic():
                DueReminder.objects.create(member=member, kind=kind)
                enqueue_on_commit(send_due_reminder, member.pk, (member.assignment.due_on - today).days)
        except IntegrityError:
            continue
        sent += 1
    return sent
