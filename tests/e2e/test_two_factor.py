"""Staff two-factor in the browser: a staff member asked for the admin is
taken through enrolment (QR code, key, first code, recovery codes), in both
languages, with no axe violations."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_instructor

SHOTS = "/tmp/i16"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_staff_enrolment_is_accessible(page, live_server, site_pages, settings, axe_violations, lang):
    settings.TWO_FACTOR_REQUIRED = True
    user = make_instructor(language=lang)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/{lang}/accounts/login/?next=/admin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/{lang}/accounts/two-factor/setup/"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert axe_violations(page) == []
    page.screenshot(path=f"{SHOTS}/two-factor-setup-{lang}-390.png", full_page=True)

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("input[name=code]", f"{token:06d}")
    page.click("main button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/two-factor-codes-{lang}-1280.png", full_page=True)
    page.locator("main a.button").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
