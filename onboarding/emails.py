"""The onboarding e-mails, each rendered in its recipient's language with a
plain-text and an HTML part (lms.notifications.render_email). Composing is
separate from sending so that tests can read a message without a queue."""

import datetime

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lms.notifications import language_of, render_email, site_url


def _name(user):
    return user.get_full_name() or user.get_username()


def _url(name, language, **kwargs):
    with translation.override(language):
        return site_url(reverse(name, kwargs=kwargs or None))


def set_password_url(user, language):
    """A one-time link to choose a password (Django's reset link)."""
    return _url(
        "password_reset_confirm",
        language,
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )


def _date(value, language):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def welcome(user, agency):
    language = language_of(user)
    context = {
        "name": _name(user),
        "agency": agency,
        "username": user.get_username(),
        "set_password_url": set_password_url(user, language),
        "reset_url": _url("password_reset", language),
    }
    return render_email("onboarding/emails/welcome", context, to=user.email, language=language)


def verify_email(registration, url):
    user = registration.user
    language = language_of(user)
    context = {"name": _name(user), "agency": registration.agency, "verify_url": url}
    return render_email("onboarding/emails/verify", context, to=user.email, language=language)


def already_registered(user):
    """To the owner of an address someone tried to register again."""
    language = language_of(user)
    context = {"name": _name(user), "login_url": _url("login", language), "reset_url": _url("password_reset", language)}
    return render_email("onboarding/emails/already_registered", context, to=user.email, language=language)


def registration_received(registration):
    user = registration.user
    language = language_of(user)
    context = {"name": _name(user), "agency": registration.agency}
    return render_email("onboarding/emails/registration_received", context, to=user.email, language=language)


def registration_to_review(registration, reviewer):
    language = language_of(reviewer)
    user = registration.user
    context = {
        "reviewer": _name(reviewer),
        "name": _name(user),
        "email": user.email,
        "agency": registration.agency,
        "review_url": site_url(reverse("onboarding_admin:registration", args=[registration.pk])),
    }
    return render_email("onboarding/emails/registration_to_review", context, to=reviewer.email, language=language)


def registration_decided(registration):
    user = registration.user
    language = language_of(user)
    context = {
        "name": _name(user),
        "agency": registration.agency,
        "approved": registration.status == "approved",
        "reason": registration.reason,
        "login_url": _url("login", language),
    }
    return render_email("onboarding/emails/registration_decided", context, to=user.email, language=language)


def _course_url(course, language):
    with translation.override(language):
        url = course.get_url() if course.live else None
        return site_url(url) if url else _url("my_learning", language)


def _course_title(course, language):
    with translation.override(language):
        return course.title


def _member_email(member, template, **extra):
    user, course = member.user, member.assignment.course
    language = language_of(user)
    context = {
        "name": _name(user),
        "course": _course_title(course, language),
        "code": course.code,
        "due": _date(member.assignment.due_on, language),
        "course_url": _course_url(course, language),
        "agency": member.assignment.agency,
        **extra,
    }
    return render_email(f"onboarding/emails/{template}", context, to=user.email, language=language)


def assignment(member):
    return _member_email(member, "assignment")


def due_reminder(member, days):
    return _member_email(member, "due_reminder", days=days)


def course_completed(enrollment):
    user, course = enrollment.user, enrollment.course
    language = language_of(user)
    context = {
        "name": _name(user),
        "course": _course_title(course, language),
        "code": course.code,
        "completed": _date(enrollment.completed_at, language),
        "learning_url": _url("my_learning", language),
    }
    return render_email("onboarding/emails/course_completed", context, to=user.email, language=language)
