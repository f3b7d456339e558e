"""Staff two-factor authentication: no admin page without a second factor;
authenticator enrolment, single-use recovery codes, trainees opting in."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    PASSWORD,
    UserFactory,
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db

SETUP = "/en/accounts/two-factor/setup/"
VERIFY = "/en/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    """django-otp waits longer after each failure; the tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device, later=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return totp.token()


def login(client, user):
    response = client.post("/en/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrol(client, user):
    """Go through the setup page; returns (device, recovery codes)."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(SETUP, {"code": f"{code_for(device):06d}", "next": "/admin/"})
    assert page.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


@pytest.mark.parametrize(
    "make",
    [make_administrator, make_coordinator, make_instructor, lambda: UserFactory(is_superuser=True, setup__role=None)],
)
def test_staff_without_a_second_factor_reach_no_admin_page(client, home_page, two_factor_on, make):
    user = make()
    login(client, user)
    for url in ("/admin/", "/admin/reports/site-history/", "/admin/users/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=")


def test_enrolment_then_admin_then_code_at_next_login(client, home_page, two_factor_on):
    admin = make_administrator()
    login(client, admin)
    device, codes = enrol(client, admin)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200

    client.post("/en/accounts/logout/")
    login(client, admin)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    right = client.post(VERIFY, {"code": f"{code_for(device, later=30):06d}", "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_work_once(client, home_page, two_factor_on):
    admin = make_instructor()
    login(client, admin)
    _device, codes = enrol(client, admin)
    for attempt in range(2):
        client.post("/en/accounts/logout/")
        login(client, admin)
        response = client.post(VERIFY, {"code": codes[0], "next": "/admin/"})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 400
            assert client.get("/admin/").status_code == 302


def test_new_recovery_codes_replace_the_old(client, home_page, two_factor_on):
    user = make_coordinator()
    login(client, user)
    _device, old = enrol(client, user)
    page = client.post("/en/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/en/accounts/logout/")
    login(client, user)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 400
    assert client.post(VERIFY, {"code": new[1]}).status_code == 302


def test_trainees_may_opt_in_and_out_and_staff_may_not_opt_out(client, home_page, two_factor_on):
    trainee = make_trainee()
    login(client, trainee)
    assert client.get("/en/accounts/preferences/").status_code == 200  # not asked to enrol
    device, _codes = enrol(client, trainee)
    client.post("/en/accounts/logout/")
    login(client, trainee)
    assert client.get("/en/accounts/preferences/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": f"{code_for(device, later=30):06d}"})
    assert client.get("/en/accounts/preferences/").status_code == 200
    client.post("/en/accounts/two-factor/disable/")
    assert not TOTPDevice.objects.filter(user=trainee).exists()

    staff = make_instructor()
    client.post("/en/accounts/logout/")
    login(client, staff)
    enrol(client, staff)
    response = client.post("/es/accounts/two-factor/disable/", follow=True)
    assert "Las cuentas del personal deben mantener" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_pages_are_translated(client, home_page, two_factor_on):
    login(client, make_administrator())
    page = client.get("/es/accounts/two-factor/setup/").content.decode()
    assert "Configurar la autenticación en dos pasos" in page
    assert 'lang="es"' in page


def test_login_verified_helper_reaches_the_admin(client, home_page, two_factor_on, login_verified):
    login_verified(client, make_administrator())
    assert client.get("/admin/").status_code == 200


def test_requirement_is_off_in_the_test_settings(client, home_page):
    client.force_login(make_administrator())
    assert client.get("/admin/").status_code == 200


def test_demo_staff_share_the_published_demo_key(db):
    import base64

    from lms import demo

    demo.load()
    device = TOTPDevice.objects.get(user__username="admin", confirmed=True)
    assert base64.b32encode(device.bin_key).decode() == "IFZG2YLTFVBXE5L2MFSGC4ZNIRSW23ZB"
    assert device.verify_token(code_for(device))
    assert not TOTPDevice.objects.filter(user__username="trainee").exists()
