"""Sessions: a new key at login, idle and absolute time-outs, every session
of a deactivated or password-changed person ended, "log out everywhere"."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from lms.models import UserSession
from tests.factories import PASSWORD, make_administrator, make_trainee

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.post("/en/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


def signed_in(client):
    return client.get("/en/accounts/preferences/").status_code == 200


def test_login_gives_a_new_session_key(client, home_page):
    user = make_trainee()
    client.get("/en/accounts/login/")
    client.session.save()
    before = client.session.session_key
    login(client, user)
    assert client.session.session_key != before
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()


def test_idle_timeout(client, home_page, settings):
    user = make_trainee()
    with time_machine.travel("2026-06-01 08:00", tick=False) as clock:
        login(client, user)
        clock.shift(settings.SESSION_IDLE_TIMEOUT - 120)
        assert signed_in(client)  # activity keeps it alive
        clock.shift(settings.SESSION_IDLE_TIMEOUT - 120)
        assert signed_in(client)
        clock.shift(settings.SESSION_IDLE_TIMEOUT + 1)
        assert not signed_in(client)


def test_absolute_timeout(client, home_page, settings):
    user = make_trainee()
    with time_machine.travel("2026-06-01 08:00", tick=False) as clock:
        login(client, user)
        elapsed = 0
        while elapsed < settings.SESSION_ABSOLUTE_TIMEOUT - settings.SESSION_IDLE_TIMEOUT:
            clock.shift(settings.SESSION_IDLE_TIMEOUT - 60)
            elapsed += settings.SESSION_IDLE_TIMEOUT - 60
            assert signed_in(client)
        clock.shift(settings.SESSION_IDLE_TIMEOUT)
        assert not signed_in(client)


def two_sessions(user):
    first, second = Client(), Client()
    login(first, user)
    login(second, user)
    assert signed_in(first) and signed_in(second)
    return first, second


def test_deactivation_ends_every_session(home_page):
    user = make_trainee()
    first, second = two_sessions(user)
    user.is_active = False
    user.save()
    assert not signed_in(first) and not signed_in(second)
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key__in=[first.session.session_key, second.session.session_key]).exists()


def test_password_set_by_an_administrator_ends_every_session(home_page):
    user = make_trainee()
    first, second = two_sessions(user)
    user.set_password("A-whole-new-password-2026")
    user.save()
    assert not signed_in(first) and not signed_in(second)


def test_own_password_change_keeps_this_session_and_ends_the_others(home_page):
    user = make_trainee()
    first, second = two_sessions(user)
    new = "A-whole-new-password-2026"
    response = first.post(
        "/en/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert signed_in(first)
    assert not signed_in(second)


def test_log_out_everywhere(home_page):
    user = make_administrator()
    first, second = two_sessions(user)
    response = first.post("/en/accounts/logout-everywhere/")
    assert response.status_code == 302
    assert not signed_in(first) and not signed_in(second)
    assert not UserSession.objects.filter(user=user).exists()
    assert first.get("/en/accounts/logout-everywhere/").status_code in (302, 405)
