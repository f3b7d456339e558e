import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, make_trainee

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lang, heading, skip",
    [
        ("en", "Armas Cruzadas Training", "Skip to main content"),
        ("es", "Capacitación Armas Cruzadas", "Saltar al contenido principal"),
    ],
)
def test_home_page_in_each_language(client, home_page, lang, heading, skip):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert skip in html


def test_language_switch_links_to_the_same_page(client, home_page):
    html = client.get("/en/accounts/login/").content.decode()
    assert 'href="/es/accounts/login/"' in html
    html = client.get("/es/").content.decode()
    assert 'href="/en/"' in html


def test_language_switch_follows_translated_slugs(client, site_pages):
    html = client.get("/es/cursos/").content.decode()
    assert 'href="/en/courses/"' in html
    assert client.get("/en/courses/").status_code == 200


def test_root_redirects_by_browser_language(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/es/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response["Location"] == "/en/"


def test_root_redirects_by_stored_preference_first(client, home_page):
    user = make_trainee(language="es")
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response["Location"] == "/es/"


def test_root_remembers_the_last_language_read(client, home_page):
    client.get("/es/")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response["Location"] == "/es/"


def test_login_lands_in_preferred_language(client, home_page):
    user = make_trainee(language="es")
    response = client.post("/en/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/es/")


def test_login_keeps_a_safe_next_url_and_translates_it(client, home_page):
    user = make_trainee(language="es")
    response = client.post(
        "/en/accounts/login/?next=/en/accounts/preferences/",
        {"username": user.username, "password": PASSWORD, "next": "/en/accounts/preferences/"},
    )
    assert response["Location"] == "/es/accounts/preferences/"
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


def test_preferences_change_the_stored_language(client, home_page):
    user = make_trainee(language="en")
    client.force_login(user)
    response = client.post("/en/accounts/preferences/", {"preferred_language": "es"})
    assert response.status_code == 302 and response["Location"] == "/es/accounts/preferences/"
    user.profile.refresh_from_db()
    assert user.profile.preferred_language == "es"
    response = client.post("/en/accounts/preferences/", {"preferred_language": "xx"})
    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert user.profile.preferred_language == "es"


def test_bad_login_shows_a_translated_error(client, home_page):
    make_trainee(username="ana")
    response = client.post("/es/accounts/login/", {"username": "ana", "password": "wrong"})
    assert response.status_code == 200
    assert "El nombre de usuario o la contraseña no son correctos" in response.content.decode()


def test_named_urls_are_prefixed(home_page):
    with translation.override("es"):
        assert reverse("login") == "/es/accounts/login/"
