"""Session rules: idle and absolute time-outs, and ending every session of a
person (log out everywhere, deactivation, a password change).

Django already gives a new session key at login and refuses a session whose
user was deactivated or changed password; this module also deletes those
sessions from the store, so nothing of them stays usable or lying around.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from wagtail.log_actions import log

from .models import UserSession

STARTED = "lms_started"
LAST_SEEN = "lms_last_seen"
RECORDED = "lms_recorded_key"
# Write the last-seen time at most this often (seconds), not on every request.
TOUCH_EVERY = 60


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def remember(request, user):
    """At login: record the session and stamp its start."""
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    record(request.session, user)


def record(session, user):
    """Keep the row naming this session (its key changes at login and when
    the person changes their own password)."""
    if not session.session_key:
        session.save()
    if session.get(RECORDED) != session.session_key:
        UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})
        session[RECORDED] = session.session_key


def end_all_sessions(user, *, keep=None):
    """Delete every recorded session of ``user`` except the key ``keep``.
    Safe to call twice. Returns how many were ended."""
    store = _store()
    ended = 0
    with transaction.atomic():
        rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep or ""))
        for row in rows:
            store(session_key=row.session_key).delete()
            ended += 1
        UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return ended


def logout_everywhere(request):
    """End every session of the signed-in person, this one included."""
    user = request.user
    end_all_sessions(user, keep=request.session.session_key)
    log(instance=user, action="lms.logout_everywhere", user=user)
    UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def expired(session, now=None):
    """Has this session passed its idle or absolute time-out?"""
    now = now if now is not None else int(time.time())
    started = session.get(STARTED)
    last_seen = session.get(LAST_SEEN)
    if started is None or last_seen is None:
        return False
    return now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT


class SessionTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT seconds or older than
    SESSION_ABSOLUTE_TIMEOUT seconds. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if expired(request.session, now):
                UserSession.objects.filter(session_key=request.session.session_key).delete()
                logout(request)
            elif now - request.session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.session_key:
            record(request.session, request.user)
        return response
