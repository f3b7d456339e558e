import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("lang", ["en", "es"])
def test_home_and_login_have_no_axe_violations(page, live_server, demo, axe_violations, lang):
    page.goto(f"{live_server.url}/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    assert axe_violations(page) == []


def test_aprendiz_logs_in_switches_language_and_logs_out(page, live_server, demo, login):
    login("aprendiz", lang="es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name=re.compile("Cerrar sesión"))).to_be_visible()
    path_before = page.url.split("/es/", 1)[1]
    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/en/" + path_before)
    page.get_by_role("button", name=re.compile("Log out")).click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
