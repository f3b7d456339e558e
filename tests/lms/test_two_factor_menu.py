"""The Wagtail admin's Account page links to the two-factor management page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_administrator

pytestmark = pytest.mark.django_db


def _two_factor_link(html):
    return re.search(r'<a href="([^"]*two-factor/)" class="button button-primary">([^<]+)</a>', html)


def test_the_account_page_links_to_two_factor_management(client, two_factor_on, login_verified):
    admin = make_administrator()
    login_verified(client, admin)
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200
    link = _two_factor_link(page.content.decode())
    assert link is not None
    assert link.group(2).strip() == "Two-factor authentication"
    # and it leads to the page where the user manages their second factor
    target = client.get(link.group(1))
    assert target.status_code == 200
    assert reverse("two_factor_recovery_codes") in target.content.decode()


def test_the_link_is_translated_for_a_spanish_speaking_administrator(client, two_factor_on, login_verified):
    from wagtail.users.models import UserProfile

    admin = make_administrator(language="es")
    # The admin speaks the language chosen in its own account settings.
    UserProfile.objects.update_or_create(user=admin, defaults={"preferred_language": "es"})
    login_verified(client, admin)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    link = _two_factor_link(html)
    assert link is not None
    assert link.group(2).strip() == "Autenticación en dos pasos"
    with translation.override("es"):
        assert link.group(1) == reverse("two_factor")
    assert "Su aplicación de autenticación, sus códigos de recuperación" in html
