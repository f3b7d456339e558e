import pytest
from django.urls import reverse

from tracking.permissions import (
    may_download_export,
    reportable_agencies,
    reportable_people,
)

pytestmark = pytest.mark.django_db

URLS = [
    "tracking_admin:agencies",
    "tracking_admin:people",
    "tracking_admin:matrix",
    "tracking_admin:bulk_index",
]


def test_scope_by_role(admin_user, coordinator, instructor, trainee, agency, other_agency):
    assert set(reportable_agencies(admin_user)) == {agency, other_agency}
    assert list(reportable_agencies(coordinator)) == [agency]
    assert list(reportable_agencies(instructor)) == []
    assert list(reportable_agencies(trainee)) == []
    assert not reportable_people(trainee).exists()


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_trainees_and_instructors_are_refused(client, name, export, instructor, trainee):
    url = reverse(name) + (f"?export={export}" if export else "")
    client.force_login(instructor)
    response = client.get(url)
    # Wagtail turns PermissionDenied into a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    client.force_login(trainee)
    response = client.get(url)
    assert response.status_code == 302  # no admin access at all: to the login page
    assert "login" in response["Location"]


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("tracking_admin:agencies"))
    assert response.status_code == 302


def test_coordinator_sees_only_their_agency(client, coordinator, people, others, agency, other_agency):
    client.force_login(coordinator)
    html = client.get(reverse("tracking_admin:agencies")).content.decode()
    assert f'data-agency="{agency.acronym}"' in html
    assert other_agency.acronym not in html
    people_html = client.get(reverse("tracking_admin:people")).content.decode()
    assert "Lapsed" in people_html
    assert others["lapsed"].username not in people_html
    assert people["lapsed"].username in people_html


@pytest.mark.parametrize("name", ["tracking_admin:agencies", "tracking_admin:people", "tracking_admin:matrix"])
def test_coordinator_cannot_ask_for_another_agency(client, name, coordinator, people, others, other_agency):
    client.force_login(coordinator)
    response = client.get(reverse(name), {"agency": other_agency.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be applied" in html
    assert other_agency.acronym not in html.split("could not be applied")[1]
    assert others["lapsed"].username not in html
    for fmt in ("csv", "xlsx"):
        exported = client.get(reverse(name), {"agency": other_agency.pk, "export": fmt})
        assert exported.status_code == 400
        assert other_agency.acronym.encode() not in exported.content


@pytest.mark.parametrize("name", ["tracking_admin:agencies", "tracking_admin:people", "tracking_admin:matrix"])
def test_coordinator_export_holds_only_their_agency(client, name, coordinator, people, others, other_agency):
    client.force_login(coordinator)
    response = client.get(reverse(name), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert other_agency.acronym not in body
    assert others["current"].username not in body


def test_country_filter_does_not_widen_scope(client, coordinator, others, other_agency):
    client.force_login(coordinator)
    response = client.get(reverse("tracking_admin:people"), {"country": "MX", "export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert others["current"].username not in body


def test_administrator_sees_every_agency(client, admin_user, people, others, agency, other_agency):
    client.force_login(admin_user)
    html = client.get(reverse("tracking_admin:agencies")).content.decode()
    assert f'data-agency="{agency.acronym}"' in html
    assert f'data-agency="{other_agency.acronym}"' in html
    html = client.get(reverse("tracking_admin:agencies"), {"agency": other_agency.pk}).content.decode()
    assert f'data-agency="{agency.acronym}"' not in html


def test_export_download_permission(admin_user, coordinator, other_coordinator, instructor):
    from tracking.models import BulkExport

    export = BulkExport.objects.create(requested_by=coordinator)
    assert may_download_export(coordinator, export)
    assert may_download_export(admin_user, export)
    assert not may_download_export(other_coordinator, export)
    assert not may_download_export(instructor, export)
