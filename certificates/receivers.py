"""Listening to the courses app: a completed course cycle enqueues issuing."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="certificates_issue_on_completion")
def enqueue_certificate(sender, enrollment, **kwargs):
    """Enqueue issuing once the surrounding transaction (if any) commits."""
    from .tasks import issue_certificate_task

    transaction.on_commit(partial(issue_certificate_task.enqueue, enrollment.pk))


@receiver(post_save, sender="certificates.Certificate", dispatch_uid="certificates_email_holder")
def email_holder(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """E-mail the holder once the certificate is issued or revoked (after the
    transaction commits, through the task queue)."""
    from .notifications import send_certificate_issued, send_certificate_revoked

    if raw or instance.holder_id is None:
        return
    if created:
        transaction.on_commit(partial(send_certificate_issued.enqueue, instance.pk))
    elif update_fields and "revoked_at" in update_fields and instance.revoked_at is not None:
        transaction.on_commit(partial(send_certificate_revoked.enqueue, instance.pk))
