"""Listening to courses: a completed course is e-mailed to the trainee."""

from django.dispatch import receiver

from courses.signals import course_completed
from lms.notifications import enqueue_on_commit


@receiver(course_completed, dispatch_uid="onboarding_course_completed_email")
def email_course_completed(sender, enrollment, **kwargs):
    from .tasks import send_course_completed

    enqueue_on_commit(send_course_completed, enrollment.pk)
