"""Weaknesses 2, 5 and 7: one client address behind the proxy for the login
lock-out and every rate limit; password reset that neither tells which
addresses have accounts nor can be used to flood one; rate limits that are
shared by every process in production."""

import importlib
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lms.settings.checks import check_shared_cache
from lms.tasks import send_password_reset
from lms.throttling import client_address
from tests.factories import PASSWORD, make_trainee

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def via_proxy(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


# ------------------------------------------------------------ client address


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, via_proxy(ATTACKER), PROXY),  # no proxy trusted: headers are ignored
        (1, via_proxy(ATTACKER), ATTACKER),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),  # no header: the peer
        (1, via_proxy("not-an-address"), PROXY),
        (1, via_proxy(f"{VICTIM}, {ATTACKER}"), PROXY),  # not the shape our proxy sends
    ],
)
def test_client_address(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_axes_uses_the_same_client_address(settings, behind_proxy):
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", **via_proxy(ATTACKER))
    assert get_client_ip_address(request) == ATTACKER


def test_an_attacker_behind_the_proxy_does_not_lock_the_user_out_elsewhere(client, home_page, settings, behind_proxy):
    make_trainee(username="officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/accounts/login/", {"username": "officer", "password": "guess"}, **via_proxy(ATTACKER))
    locked = client.post("/en/accounts/login/", {"username": "officer", "password": PASSWORD}, **via_proxy(ATTACKER))
    assert locked.status_code == 429
    # The officer, through the same proxy but from their own address, logs in.
    response = client.post("/en/accounts/login/", {"username": "officer", "password": PASSWORD}, **via_proxy(VICTIM))
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_verification_limit_counts_each_client_behind_the_proxy(client, settings, behind_proxy, db):
    settings.CERTIFICATE_VERIFY_RATE = 2
    url = "/api/certificates/unknown-code-unknown-code/"
    for _ in range(2):
        assert client.get(url, **via_proxy(ATTACKER)).status_code == 404
    assert client.get(url, **via_proxy(ATTACKER)).status_code == 429
    assert client.get(url, **via_proxy(VICTIM)).status_code == 404


# ------------------------------------------------------------ password reset


def reset(client, email, **extra):
    return client.post("/en/accounts/password/reset/", {"email": email}, **extra)


def test_password_reset_goes_through_the_task_queue_alike_for_every_address(client, home_page, monkeypatch):
    make_trainee(username="known", email="known@example.org")
    enqueued = []
    monkeypatch.setattr(
        "lms.views.send_password_reset", type("Task", (), {"enqueue": staticmethod(lambda **kw: enqueued.append(kw))})
    )
    with CaptureQueriesContext(connection) as known_queries:
        known = reset(client, "known@example.org")
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The request does the same work for both: no user looked up, one task.
    assert len(known_queries) == len(unknown_queries)
    assert not any("auth_user" in q["sql"] for q in known_queries.captured_queries)
    assert [e["email"] for e in enqueued] == ["known@example.org", "nobody@example.org"]
    assert mail.outbox == []


def test_password_reset_task_sends_only_for_an_account(db):
    make_trainee(username="known", email="known@example.org")
    send_password_reset.call(email="nobody@example.org", language="en", domain="lms.example.org", use_https=True)
    assert mail.outbox == []
    send_password_reset.call(email="known@example.org", language="es", domain="lms.example.org", use_https=True)
    assert len(mail.outbox) == 1
    assert "https://lms.example.org/es/accounts/reset/" in mail.outbox[0].body


def test_password_reset_is_throttled_per_address(client, home_page, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    make_trainee(username="known", email="known@example.org")
    for n in range(6):
        response = reset(client, "known@example.org", REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302  # the same answer throughout
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client(client, home_page, settings):
    settings.PASSWORD_RESET_RATE_PER_CLIENT = "4/h"
    for n in range(4):
        assert reset(client, f"someone{n}@example.org").status_code == 302
    refused = client.post("/es/accounts/password/reset/", {"email": "x@example.org"})
    assert refused.status_code == 429
    assert "Demasiadas solicitudes" in refused.content.decode()
    assert reset(client, "x@example.org", REMOTE_ADDR="10.9.9.9").status_code == 302


# ------------------------------------------------------------ shared counters


def load_production_settings(monkeypatch, **env):
    monkeypatch.setenv("SECRET_KEY", "p" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "lms.example.org")
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("lms.settings.production", "lms.settings.base"):
        sys.modules.pop(name, None)
    try:
        return importlib.import_module("lms.settings.production")
    finally:
        for name in ("lms.settings.production", "lms.settings.base"):
            sys.modules.pop(name, None)


def test_production_counts_in_a_cache_every_process_shares(monkeypatch):
    settings = load_production_settings(monkeypatch)
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    settings = load_production_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_a_process_local_cache_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="not shared between processes"):
        check_shared_cache({"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    check_shared_cache({"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}})
