"""Listening to the courses app: a completed course cycle enqueues issuing."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates_issue_on_completion")
def enqueue_certificate(sender, enrollment, **kwargs):
    """Enqueue issuing once the surrounding transaction (if any) commits."""
    from .tasks import issue_certificate_task

    transaction.on_commit(partial(issue_certificate_task.enqueue, enrollment.pk))
