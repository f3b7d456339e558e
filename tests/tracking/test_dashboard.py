import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_panel_for_administrator(client, admin_user, people, others, agency, other_agency):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="certification-dashboard-section"' in html
    assert '<title id="rate-chart-title">Certification rate by agency</title>' in html
    assert 'aria-labelledby="month-chart-title month-chart-desc"' in html
    assert '<table class="w-sr-only">' in html
    assert f'<th scope="row">{other_agency.acronym}</th>' in html
    assert "37.5 %" in html


def test_panel_for_coordinator_is_scoped(client, coordinator, people, others, other_agency):
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="certification-dashboard-section"' in html
    assert other_agency.acronym not in html


def test_no_panel_for_instructors(client, instructor, people):
    client.force_login(instructor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "certification-dashboard" not in html


def test_panel_in_spanish(client, admin_es, people):
    client.force_login(admin_es)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tasa de certificación por institución" in html
    assert "Constancias que vencen por mes, próximos 12 meses" in html
    report = client.get(reverse("tracking_admin:agencies")).content.decode()
    assert "Certificación por institución" in report and "Certificados vigentes" in report
