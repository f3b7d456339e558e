"""Onboarding e-mails, sent by the task queue (never in the request). Each
task takes primary keys, re-reads what it needs and skips what vanished."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django_tasks import task

from courses.models import Enrollment
from lms import permissions as people
from lms.notifications import OptionalEmail, wants

from . import emails
from .models import AssignedPerson, ImportBatch, Registration

logger = logging.getLogger(__name__)

BATCH = 200


def _send(messages):
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


@task()
def welcome_imported_people(batch_id):
    """E-mail each person an import created a link to set their password.
    Sends again if run twice (a fresh link does no harm)."""
    batch = ImportBatch.objects.select_related("agency").filter(pk=batch_id).first()
    if batch is None:
        return 0
    sent = 0
    chunk = []
    for user in batch.people.filter(is_active=True).select_related("profile").order_by("pk").iterator(2000):
        if user.email:
            chunk.append(emails.welcome(user, batch.agency))
        if len(chunk) >= BATCH:
            sent += _send(chunk)
            chunk = []
    return sent + _send(chunk)


@task()
def join_standing_assignments(batch_id):
    """Give the people an import created the agency's "everyone who joins
    later" assignments (enrolling each, in the worker rather than the
    request). Safe to run twice."""
    from .assignments import apply_standing_assignments

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return 0
    actor = batch.imported_by if batch.imported_by and batch.imported_by.is_active else None
    added = 0
    for user in batch.people.filter(is_active=True).select_related("profile__agency").order_by("pk"):
        added += apply_standing_assignments(user, actor=actor)
    return added


@task()
def send_verification(registration_id, url):
    registration = Registration.objects.select_related("user__profile", "agency").filter(pk=registration_id).first()
    if registration is None:
        return 0
    return _send([emails.verify_email(registration, url)])


@task()
def send_already_registered(user_id):
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    return _send([emails.already_registered(user)])


def reviewers(agency):
    """Who decides on registrations for ``agency``: its coordinators, or the
    administrators when it has none."""
    return [user for user in (people.agency_coordinators(agency) or people.administrators()) if user.email]


@task()
def send_registration_received(registration_id):
    """To the person (received) and to the reviewers (to decide)."""
    registration = Registration.objects.select_related("user__profile", "agency").filter(pk=registration_id).first()
    if registration is None:
        return 0
    messages = [emails.registration_received(registration)]
    messages += [emails.registration_to_review(registration, reviewer) for reviewer in reviewers(registration.agency)]
    return _send(messages)


@task()
def send_registration_decided(registration_id):
    registration = Registration.objects.select_related("user__profile", "agency").filter(pk=registration_id).first()
    if registration is None:
        return 0
    return _send([emails.registration_decided(registration)])


@task()
def send_assignment(member_ids):
    """Tell each assigned person (who wants it) about their new course."""
    members = AssignedPerson.objects.filter(pk__in=member_ids, user__is_active=True).select_related(
        "user__profile", "assignment__course", "assignment__agency"
    )
    return _send([emails.assignment(member) for member in members if wants(member.user, OptionalEmail.ASSIGNMENTS)])


@task()
def send_due_reminder(member_id, days):
    member = (
        AssignedPerson.objects.select_related("user__profile", "assignment__course")
        .filter(pk=member_id, user__is_active=True)
        .first()
    )
    if member is None or not wants(member.user, OptionalEmail.DUE_REMINDERS):
        return 0
    return _send([emails.due_reminder(member, days)])


@task()
def send_course_completed(enrollment_id):
    enrollment = Enrollment.objects.select_related("user__profile", "course").filter(pk=enrollment_id).first()
    if enrollment is None or not enrollment.user.is_active:
        return 0
    if not wants(enrollment.user, OptionalEmail.COURSE_COMPLETED):
        return 0
    return _send([emails.course_completed(enrollment)])
