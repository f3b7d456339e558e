import pytest

from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


def test_course_page_offers_the_holders_certificate(client, cert_course, issue):
    holder = make_trainee(language="es")
    certificate = issue(holder)
    client.force_login(holder)
    html = client.get(cert_course.get_url()).content.decode()
    assert certificate.serial in html
    assert f"/en/verify/{certificate.code}/" in html


def test_course_page_shows_no_certificate_to_someone_else(client, cert_course, issue):
    certificate = issue(make_trainee())
    client.force_login(make_trainee())
    html = client.get(cert_course.get_url()).content.decode()
    assert certificate.serial not in html
    assert certificate.code not in html


def test_menu_links_to_verification(client, home_page):
    assert 'href="/es/verify/"' in client.get("/es/").content.decode()
