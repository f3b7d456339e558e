"""Expiry reminders: 90 and 30 days before a certificate expires and on the
day it expires, to the holder and their agency's coordinators, each in their
own language. Each kind goes out once per certificate (SentReminder's
unique constraint), however often the daily command runs."""

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lms import permissions as people
from lms.notifications import language_of

from . import permissions
from .models import Certificate, ReminderKind, SentReminder
from .rendering import verification_url

logger = logging.getLogger(__name__)

#: A certificate that expired longer ago than this gets no "expired" mail
#: (the first run on an old database would otherwise mail every one).
EXPIRED_GRACE_DAYS = 7


def due_kind(certificate, today):
    """The reminder due for ``certificate`` on ``today``, or None."""
    days = certificate.days_to_expiry(today)
    if days is None:
        return None
    if days <= 0:
        return ReminderKind.EXPIRED if days >= -EXPIRED_GRACE_DAYS else None
    if days <= 30:
        return ReminderKind.DAYS_30
    if days <= 90:
        return ReminderKind.DAYS_90
    return None


def _language(user):
    return language_of(user)


def _site_url(path):
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _learning_url(certificate, language):
    """Where a holder starts recertifying: the course page, else My learning."""
    with translation.override(language):
        if certificate.course is not None:
            url = certificate.course.get_url()
            if url:
                return _site_url(url)
        return _site_url(f"/{language}/learning/")


def compose(certificate, kind, recipient, today):
    """The reminder e-mail about ``certificate`` for ``recipient``, in the
    recipient's language."""
    language = _language(recipient)
    is_holder = recipient.pk == certificate.holder_id
    with translation.override(language):
        context = {
            "recipient_name": recipient.get_full_name() or recipient.get_username(),
            "is_holder": is_holder,
            "expired": kind == ReminderKind.EXPIRED,
            "days": certificate.days_to_expiry(today),
            "holder_name": certificate.holder_name,
            "course_title": certificate.course_title_in(language),
            "serial": certificate.serial,
            "expires": formats.date_format(certificate.expires_on, "DATE_FORMAT"),
            "course_url": _learning_url(certificate, language),
            "verify_url": verification_url(certificate, language),
        }
        values = {
            "course": context["course_title"],
            "date": context["expires"],
            "name": certificate.holder_name,
        }
        if is_holder:
            subject = (
                _("Your certificate for %(course)s has expired") % values
                if context["expired"]
                else _("Your certificate for %(course)s expires on %(date)s") % values
            )
        else:
            subject = (
                _("The certificate of %(name)s for %(course)s has expired") % values
                if context["expired"]
                else _("The certificate of %(name)s for %(course)s expires on %(date)s") % values
            )
        body = render_to_string("certificates/emails/expiry_reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def recipients_for(certificate):
    holder = certificate.holder
    people_ = [holder] if holder.is_active and holder.email else []
    for coordinator in permissions.agency_coordinators(people.user_agency(holder)):
        if coordinator.pk != holder.pk and coordinator.email:
            people_.append(coordinator)
    return people_


def _renewed(certificate):
    """Has the holder a newer active certificate of the same course?"""
    return (
        Certificate.objects.active()
        .filter(
            holder_id=certificate.holder_id,
            course_id=certificate.course_id,
            issued_at__gt=certificate.issued_at,
        )
        .exists()
    )


@dataclass
class ReminderRun:
    sent: dict = field(default_factory=dict)
    messages: int = 0
    failed: int = 0


def send_expiry_reminders(today=None):
    """Send every reminder due on ``today``. Safe to run daily and to run
    twice: a reminder already recorded is never sent again; one whose mail
    fails is not recorded, so the next run retries it."""
    today = today or timezone.localdate()
    run = ReminderRun()
    candidates = (
        Certificate.objects.active()
        .filter(
            holder__isnull=False,
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=90),
            expires_on__gte=today - datetime.timedelta(days=EXPIRED_GRACE_DAYS),
        )
        .select_related("holder__profile__agency", "course")
        .order_by("expires_on", "pk")
    )
    connection = get_connection()
    for certificate in candidates:
        kind = due_kind(certificate, today)
        if kind is None or certificate.reminders.filter(kind=kind).exists() or _renewed(certificate):
            continue
        try:
            with transaction.atomic():
                recipients = recipients_for(certificate)
                SentReminder.objects.create(certificate=certificate, kind=kind, recipients=len(recipients))
                messages = [compose(certificate, kind, person, today) for person in recipients]
                connection.send_messages(messages)
        except IntegrityError:
            continue  # another run sent it first
        except (smtplib.SMTPException, OSError):
            logger.exception("Expiry reminder for %s not sent; will retry.", certificate.serial)
            run.failed += 1
            continue
        run.sent[kind] = run.sent.get(kind, 0) + 1
        run.messages += len(messages)
    return run
