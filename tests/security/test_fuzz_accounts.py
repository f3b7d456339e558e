"""Fuzzing the account forms: registration (and its e-mail confirmation
link), login and password reset (request and the link's form).

No input gives a 5xx; a refused form creates no user, profile or pending
registration and says why in Spanish under /es/.
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from lms.models import Profile
from onboarding.models import Registration
from tests.factories import PASSWORD, AgencyFactory, make_trainee

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    context_value,
    form_data,
    form_errors,
    nasty_integer_text,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def es_url(name, **kwargs):
    with translation.override("es"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def agency(db):
    return AgencyFactory(acronym="CBPF", email_domains="cbp.example.gov")


def registrations(agency):
    good = {
        "first_name": "Ana",
        "last_name": "López",
        "email": "ana@cbp.example.gov",
        "agency": str(agency.pk),
        "preferred_language": "es",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    value = st.one_of(nasty_text(), nasty_integer_text(), st.lists(nasty_text(max_size=10), min_size=2, max_size=3))
    # Start from a valid form and spoil some fields (or drop them).
    spoiled = st.dictionaries(st.sampled_from(sorted(good)), st.one_of(value, st.none()), min_size=1, max_size=4)
    return spoiled.map(lambda changes: {k: v for k, v in {**good, **changes}.items() if v is not None})


@FUZZ
@given(data=st.data())
def test_registration(client, agency, data):
    payload = data.draw(registrations(agency))
    with rolled_back():
        before = row_counts(User, Profile, Registration)
        response = client.post(es_url("register"), payload)
        assert_no_server_error(response)
        if response.status_code == 400:
            assert row_counts(User, Profile, Registration) == before
            messages = form_errors(context_value(response, "form"))
            assert_shown(response, messages)
            assert_spanish(messages)
        else:
            assert response.status_code == 200


@FUZZ
@given(token=st.one_of(nasty_text(), st.text(alphabet="abcdef0123456789:-_", max_size=80)))
def test_registration_confirmation_link(client, agency, token):
    url = f"/es/accounts/register/verify/{quote(token, safe='')}/"
    with rolled_back():
        before = row_counts(User, Registration)
        response = client.post(url)
        assert_no_server_error(response)
        assert row_counts(User, Registration) == before
        if response.status_code == 400:
            message = context_value(response, "message")
            assert_shown(response, [str(message)])
            assert_spanish([str(message)])


@FUZZ
@example(payload={"username": "x" * 300, "password": "wrong"})  # was a 500 on PostgreSQL (axes)
@example(payload={"username": "ana\x00", "password": "wrong"})
@given(payload=form_data(["username", "password"]))
def test_login(client, payload):
    with rolled_back():
        make_trainee(username="ana", language="es")
        response = client.post(es_url("login"), payload)
        assert_no_server_error(response)
        assert "_auth_user_id" not in client.session
        if response.status_code == 200:
            messages = form_errors(context_value(response, "form"))
            assert_shown(response, messages)
            assert_spanish(messages)


@FUZZ
@given(payload=form_data(["email"]))
def test_password_reset_request(client, payload):
    with rolled_back():
        make_trainee(username="ana", email="ana@example.org")
        mail.outbox.clear()
        response = client.post(es_url("password_reset"), payload)
        assert_no_server_error(response)
        if response.status_code == 302:
            return
        assert response.status_code in (200, 429)
        assert not mail.outbox
        messages = form_errors(context_value(response, "form"))
        assert_shown(response, messages)
        assert_spanish(messages)


@FUZZ
@given(
    uid=st.one_of(nasty_text(max_size=20), st.just("MQ")),
    token=st.one_of(nasty_text(max_size=40), st.just("set-password")),
    payload=form_data(["new_password1", "new_password2"], extra_names=False),
)
def test_password_reset_link(client, uid, token, payload):
    with rolled_back():
        user = make_trainee(username="ana")
        password = user.password
        url = f"/es/accounts/reset/{quote(uid, safe='') or '-'}/{quote(token, safe='') or '-'}/"
        response = client.get(url)
        assert_no_server_error(response)
        response = client.post(url, payload)
        assert_no_server_error(response)
        user.refresh_from_db()
        assert user.password == password  # no valid link: nothing changes
