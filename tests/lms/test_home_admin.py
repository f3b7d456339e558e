import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lms.models import HomePage
from tests.factories import make_administrator, make_instructor

pytestmark = pytest.mark.django_db


def edit_data(page, **changes):
    data = {
        "title_en": page.title_en,
        "title_es": page.title_es,
        "slug_en": page.slug_en,
        "slug_es": page.slug_es,
        "intro_en": page.intro_en,
        "intro_es": page.intro_es,
        "body_en": rich_text(page.body_en),
        "body_es": rich_text(page.body_es),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def test_administrator_edits_the_spanish_home_page(client, home_page):
    client.force_login(make_administrator())
    response = client.post(
        f"/admin/pages/{home_page.pk}/edit/", edit_data(home_page, intro_es="Bienvenida renovada para la prueba.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    home = HomePage.objects.get(pk=home_page.pk)
    assert home.intro_es == "Bienvenida renovada para la prueba."
    assert "Bienvenida renovada para la prueba." in client.get("/es/").content.decode()
    assert "Bienvenida renovada" not in client.get("/en/").content.decode()


def test_instructor_cannot_edit_the_home_page(client, home_page):
    client.force_login(make_instructor())
    response = client.post(f"/admin/pages/{home_page.pk}/edit/", edit_data(home_page, intro_es="Intrusión"))
    assert response.status_code in (302, 403)
    assert HomePage.objects.get(pk=home_page.pk).intro_es != "Intrusión"
