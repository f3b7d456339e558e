"""E-mail to people: which optional e-mails exist, who wants them, and how
one is rendered (plain text and HTML, in the recipient's language).

Apps send their own e-mails from ``django_tasks`` tasks (never in the
request), enqueued with :func:`enqueue_on_commit`; they render them with
:func:`render_email` and ask :func:`wants` before sending an optional one.
"""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class OptionalEmail(models.TextChoices):
    """E-mails a person may turn off in their preferences. Everything else
    (registration, password, revocation, expiry) is always sent."""

    ASSIGNMENTS = "assignments", _("A course is assigned to me")
    DUE_REMINDERS = "due_reminders", _("Reminders before an assigned course is due")
    COURSE_COMPLETED = "course_completed", _("I complete a course")
    CERTIFICATE_ISSUED = "certificate_issued", _("A certificate is issued to me")


def wants(user, kind):
    """Does ``user`` want the optional e-mail ``kind`` (and can they get it)?"""
    if not user.email:
        return False
    profile = getattr(user, "profile", None)
    return profile is None or profile.wants_email(kind)


def language_of(user):
    """The language e-mails to ``user`` are written in."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(getattr(user, "profile", None), "preferred_language", None)
    return language if language in codes else settings.LANGUAGE_CODE


def site_url(path):
    """An absolute URL for ``path`` on the public site (for e-mails)."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def render_email(template, context, *, to, language):
    """An e-mail from ``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``, rendered in ``language``."""
    with translation.override(language):
        context = {**context, "site_name": settings.WAGTAIL_SITE_NAME, "language": language}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to if isinstance(to, list) else [to])
    message.attach_alternative(html, "text/html")
    return message


def enqueue_on_commit(task, *args):
    """Enqueue ``task`` with ``args`` once the current transaction commits."""
    transaction.on_commit(partial(task.enqueue, *args))
