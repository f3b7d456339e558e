import pytest
from django.core import mail

from tests.factories import PASSWORD, make_trainee

pytestmark = pytest.mark.django_db


def test_lockout_after_repeated_failures(client, home_page, settings):
    user = make_trainee(username="locked")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/accounts/login/", {"username": "locked", "password": "nope"})
    response = client.post("/es/accounts/login/", {"username": "locked", "password": PASSWORD})
    assert response.status_code == 429
    assert "Cuenta bloqueada temporalmente" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.username == "locked"


def test_a_success_before_the_limit_resets_the_count(client, home_page, settings):
    make_trainee(username="careful")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/en/accounts/login/", {"username": "careful", "password": "nope"})
    response = client.post("/en/accounts/login/", {"username": "careful", "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_does_not_reveal_accounts(client, home_page):
    make_trainee(username="known", email="known@example.org")
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert "/en/accounts/reset/" in mail.outbox[0].body


def test_password_reset_email_in_spanish(client, home_page):
    make_trainee(username="conocido", email="c@example.org")
    client.post("/es/accounts/password/reset/", {"email": "c@example.org"})
    assert "contraseña" in mail.outbox[0].subject.lower()
    assert "/es/accounts/reset/" in mail.outbox[0].body


def test_password_change_applies_the_validators(client, home_page):
    user = make_trainee()
    client.force_login(user)
    response = client.post(
        "/en/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "A-much-better-phrase-77",
            "new_password2": "A-much-better-phrase-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-much-better-phrase-77")


def test_logout_is_post_only(client, home_page):
    user = make_trainee()
    client.force_login(user)
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_send_a_content_security_policy(client, home_page):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
