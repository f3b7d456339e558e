import pytest
from django.urls import reverse
from wagtail.log_actions import registry

from certificates.models import Certificate, CertificateTemplate, Status
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db


def denied(response):
    """Wagtail answers a refused admin view with 403, a redirect to the
    dashboard with an error message, or (no admin access at all) to its login."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and (
        response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    )


def test_log_actions_are_registered():
    for action in ("certificates.issue", "certificates.revoke", "certificates.reissue"):
        assert registry.action_exists(action)


def test_administrator_lists_and_inspects_certificates_with_the_reason(client, issue):
    certificate = issue(make_trainee(first_name="Ana", last_name="Ruiz"))
    admin = make_administrator()
    client.force_login(admin)
    listing = client.get(reverse("certificates:index"))
    assert listing.status_code == 200
    assert certificate.serial in listing.content.decode()
    client.post(
        reverse("certificates:revoke", args=[certificate.pk]),
        {"reason": "Secret reason QWERTY"},
    )
    page = client.get(reverse("certificates:inspect", args=[certificate.pk]))
    assert page.status_code == 200
    assert "Secret reason QWERTY" in page.content.decode()


def test_coordinator_sees_only_their_agency_and_no_reason(client, issue, agency, other_agency):
    mine = issue(make_trainee(agency=agency))
    theirs = issue(make_trainee(agency=other_agency))
    admin = make_administrator()
    client.force_login(admin)
    client.post(
        reverse("certificates:revoke", args=[mine.pk]),
        {"reason": "Secret reason QWERTY"},
    )
    client.force_login(make_coordinator(agency=agency))
    body = client.get(reverse("certificates:index")).content.decode()
    assert mine.serial in body and theirs.serial not in body
    page = client.get(reverse("certificates:inspect", args=[mine.pk]))
    assert page.status_code == 200 and "QWERTY" not in page.content.decode()
    # A 404 (LocaleMiddleware may first redirect the unprefixed admin URL to /en/...).
    assert client.get(reverse("certificates:inspect", args=[theirs.pk]), follow=True).status_code == 404


def test_instructor_has_no_certificate_admin(client, issue):
    certificate = issue(make_trainee())
    client.force_login(make_instructor())
    assert denied(client.get(reverse("certificates:index")))
    # Out of scope: not found (after LocaleMiddleware's redirect to /en/admin/...).
    assert client.get(reverse("certificates:inspect", args=[certificate.pk]), follow=True).status_code == 404


def test_revoke_in_the_admin_then_refuse_a_second_time(client, issue):
    certificate = issue(make_trainee())
    client.force_login(make_administrator())
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Cheated on the quiz"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Status.REVOKED and certificate.revocation_reason == "Cheated on the quiz"
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 409
    assert "already been revoked" in again.content.decode()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Cheated on the quiz"


def test_revoke_needs_a_reason(client, issue):
    certificate = issue(make_trainee())
    client.force_login(make_administrator())
    response = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": ""})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("make_user", [make_coordinator, make_instructor, make_trainee])
def test_only_administrators_revoke_or_reissue_in_the_admin(client, issue, agency, make_user):
    certificate = issue(make_trainee(agency=agency))
    client.force_login(make_user(agency=agency))
    for name in ("certificates:revoke", "certificates:reissue"):
        url = reverse(name, args=[certificate.pk])
        assert denied(client.get(url))
        assert denied(client.post(url, {"reason": "x", "confirm": "on"}))
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    assert Certificate.objects.count() == 1


def test_reissue_in_the_admin(client, issue):
    certificate = issue(make_trainee())
    client.force_login(make_administrator())
    url = reverse("certificates:reissue", args=[certificate.pk])
    assert client.post(url, {}).status_code == 400  # must confirm
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    new = Certificate.objects.exclude(pk=certificate.pk).get()
    assert response["Location"] == reverse("certificates:inspect", args=[new.pk])
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 409
    assert Certificate.objects.count() == 2


def test_templates_are_for_administrators(client, cert_course):
    admin = make_administrator()
    client.force_login(admin)
    assert client.get(reverse("certificate_templates:index")).status_code == 200
    assert client.get(reverse("certificate_templates:add")).status_code == 200
    response = client.post(
        reverse("certificate_templates:add"),
        {
            "name": "Plain",
            "heading_en": "Certificate",
            "heading_es": "Constancia",
            "border_colour": "#123456",
            "page_size": "letter",
            "language_mode": "bilingual",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = CertificateTemplate.objects.get(name="Plain")
    assert template.heading_es == "Constancia" and template.page_size == "letter"
    bad = client.post(
        reverse("certificate_templates:edit", args=[template.pk]),
        {
            "name": "Plain",
            "border_colour": "red; }",
            "page_size": "A4",
            "language_mode": "holder",
        },
    )
    assert bad.status_code == 200 and "#RRGGBB" in bad.content.decode()
    assert client.get(reverse("course_certificates:add")).status_code == 200
    for make_user in (make_coordinator, make_instructor):
        client.force_login(make_user())
        assert denied(client.get(reverse("certificate_templates:index")))
        assert denied(client.get(reverse("certificate_templates:add")))
        assert denied(client.get(reverse("course_certificates:index")))
