import datetime
import re

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from certificates import issuing
from certificates.dashboard import certificates_panel
from certificates.exceptions import RecertificationRefused
from certificates.models import Certificate
from certificates.recertification import start_recertification
from certificates.services import certificates_for
from courses.models import Enrollment
from tests.certificates.factories import at_noon
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db


def download_url(certificate):
    return reverse("certificate_download", kwargs={"serial": certificate.serial})


def recertify_url(course):
    return reverse("certificate_recertify", kwargs={"course_id": course.pk})


def login(client, user):
    client.force_login(user)


# ------------------------------------------------------------ download


@pytest.mark.parametrize("who", ["holder", "coordinator", "administrator"])
def test_holder_their_coordinator_and_administrators_download(client, issue, agency, who):
    holder = make_trainee(agency=agency)
    certificate = issue(holder)
    user = {
        "holder": holder,
        "coordinator": make_coordinator(agency=agency),
        "administrator": make_administrator(agency=None),
    }[who]
    login(client, user)
    response = client.get(download_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == certificate.pdf.read()


def without_csrf(content):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.mark.parametrize("who", ["instructor", "other_coordinator", "other_trainee", "same_agency_trainee"])
def test_nobody_else_downloads(client, issue, agency, other_agency, who):
    certificate = issue(make_trainee(agency=agency))
    user = {
        "instructor": make_instructor(agency=agency),
        "other_coordinator": make_coordinator(agency=other_agency),
        "other_trainee": make_trainee(agency=other_agency),
        "same_agency_trainee": make_trainee(agency=agency),
    }[who]
    login(client, user)
    refused = client.get(download_url(certificate))
    unknown = client.get(reverse("certificate_download", kwargs={"serial": "AC-1900-000001"}))
    # Exists-but-not-yours answers exactly like does-not-exist.
    assert refused.status_code == unknown.status_code == 404
    # (The pages differ only where they name the requested URL.)
    assert without_csrf(refused.content).replace(certificate.serial.encode(), b"SERIAL") == without_csrf(
        unknown.content
    ).replace(b"AC-1900-000001", b"SERIAL")


def test_anonymous_is_sent_to_log_in(client, issue):
    certificate = issue(make_trainee())
    response = client.get(download_url(certificate))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_serial_is_404(client):
    login(client, make_administrator())
    assert client.get(reverse("certificate_download", kwargs={"serial": "AC-1900-000001"})).status_code == 404


def test_holder_cannot_download_a_revoked_certificate_but_an_administrator_can(client, issue):
    holder = make_trainee()
    certificate = issue(holder)
    admin = make_administrator()
    issuing.revoke_certificate(certificate, actor=admin, reason="Fraud")
    login(client, holder)
    assert client.get(download_url(certificate)).status_code == 404
    login(client, admin)
    assert client.get(download_url(certificate)).status_code == 200


# ------------------------------------------------------------ My learning


def test_my_learning_panel_lists_own_certificates_with_links(issue, cert_course):
    holder = make_trainee()
    certificate = issue(holder)
    issue(make_trainee())  # someone else's
    request = RequestFactory().get("/en/learning/")
    request.user = holder
    html = certificates_panel(request, [])
    assert certificate.serial in html
    assert download_url(certificate) in html
    assert reverse("verify", kwargs={"code": certificate.code}) in html
    assert html.count("data-serial=") == 1
    assert recertify_url(cert_course) not in html  # not due yet
    request.user = make_trainee()
    assert certificates_panel(request, []) is None


def test_course_page_tag_shows_the_certificate(issue, cert_course):
    from django.template import Context, Template

    holder = make_trainee()
    certificate = issue(holder)
    request = RequestFactory().get("/en/courses/x/")
    request.user = holder
    html = Template("{% load certificates_tags %}{% course_certificate course %}").render(
        Context({"request": request, "course": cert_course})
    )
    assert certificate.serial in html and download_url(certificate) in html


# ------------------------------------------------------------ recertification


def test_recertification_within_90_days_keeps_history(client, issue, cert_course):
    holder = make_trainee()
    certificate = issue(holder)
    with time_machine.travel(at_noon(certificate.expires_on - datetime.timedelta(days=60)), tick=False):
        assert certificates_for(holder)[0].recertify_due
        login(client, holder)
        response = client.post(recertify_url(cert_course), {"next": "/en/learning/"})
        assert response.status_code == 302
        again = client.post(recertify_url(cert_course))
        assert again.status_code == 302
    cycles = list(Enrollment.objects.filter(user=holder, course=cert_course).order_by("cycle"))
    assert [(e.cycle, e.is_current, e.completed_at is not None) for e in cycles] == [
        (1, False, True),
        (2, True, False),
    ]
    certificate.refresh_from_db()
    assert certificate.enrollment == cycles[0] and certificate.is_active  # the old certificate stays
    assert not certificates_for(holder)[0].recertify_due


def test_expired_certificate_can_be_renewed(issue, cert_course):
    holder = make_trainee()
    certificate = issue(holder)
    with time_machine.travel(at_noon(certificate.expires_on + datetime.timedelta(days=400)), tick=False):
        enrollment = start_recertification(holder, cert_course)
    assert enrollment.cycle == 2


def test_recertification_is_refused_when_not_due(client, issue, cert_course):
    holder = make_trainee()
    issue(holder)
    login(client, holder)
    with translation.override("es"):
        url = recertify_url(cert_course)
    response = client.post(url)
    assert response.status_code == 409
    assert "Por ahora no puede iniciar la recertificación" in response.content.decode()
    assert Enrollment.objects.filter(user=holder).count() == 1


def test_recertification_is_refused_without_a_certificate_or_when_revoked(client, issue, cert_course):
    login(client, make_trainee())
    assert client.post(recertify_url(cert_course)).status_code == 409
    holder = make_trainee()
    certificate = issue(holder)
    issuing.revoke_certificate(certificate, actor=make_administrator(), reason="Fraud")
    with (
        time_machine.travel(at_noon(certificate.expires_on), tick=False),
        pytest.raises(RecertificationRefused),
    ):
        start_recertification(holder, cert_course)
    assert Enrollment.objects.filter(user=holder).count() == 1


def test_recertification_needs_a_logged_in_post(client, cert_course):
    response = client.post(recertify_url(cert_course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(client, make_trainee())
    assert client.get(recertify_url(cert_course)).status_code == 405
    assert client.post(reverse("certificate_recertify", kwargs={"course_id": 999999})).status_code == 404


def test_a_new_cycle_gets_its_own_certificate(issue, cert_course):
    from tests.certificates.factories import complete_course

    holder = make_trainee()
    first = issue(holder)
    with time_machine.travel(at_noon(first.expires_on), tick=False):
        start_recertification(holder, cert_course)
        second = issuing.issue_certificate(complete_course(holder, cert_course))
    assert second.pk != first.pk and second.enrollment.cycle == 2
    assert Certificate.objects.filter(holder=holder).count() == 2
    assert second.expires_on > first.expires_on
