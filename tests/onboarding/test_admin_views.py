import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from onboarding.assignments import assign_course
from onboarding.models import Assignment, ImportBatch, Registration, RegistrationStatus
from tests.factories import make_administrator, make_coordinator, make_trainee, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(agency):
    return make_coordinator(agency=agency, first_name="Carla", last_name="Coord")


@pytest.fixture
def outsider(other_agency):
    """A coordinator of another agency: must see none of ``agency``."""
    return make_coordinator(agency=other_agency)


@pytest.fixture
def records(agency, course, coordinator):
    """One of each record of ``agency``: a trainee, a pending registration,
    an import and an assignment."""
    trainee = make_trainee(agency=agency, first_name="Tomás", last_name="Trainee")
    applicant = make_user(role=None, agency=agency, first_name="Pending", last_name="Person")
    applicant.is_active = False
    applicant.save()
    registration = Registration.objects.create(user=applicant, agency=agency, status=RegistrationStatus.PENDING)
    batch = ImportBatch.objects.create(agency=agency, imported_by=coordinator, filename="cbp-people.csv")
    assignment = assign_course(actor=coordinator, agency=agency, course=course, people=[trainee]).assignments[0]
    return {"trainee": trainee, "registration": registration, "batch": batch, "assignment": assignment}


def detail_urls(records):
    return [
        reverse("onboarding_admin:person", args=[records["trainee"].pk]),
        reverse("onboarding_admin:registration", args=[records["registration"].pk]),
        reverse("onboarding_admin:assignment", args=[records["assignment"].pk]),
    ]


LIST_URLS = [
    "onboarding_admin:people",
    "onboarding_admin:registrations",
    "onboarding_admin:imports",
    "onboarding_admin:assignments",
    "onboarding_admin:overdue",
    "onboarding_admin:assign",
]


def test_the_coordinator_sees_their_agency(client, coordinator, records):
    client.force_login(coordinator)
    people = client.get(reverse("onboarding_admin:people")).content.decode()
    assert "Tomás Trainee" in people
    assert "Pending Person" in client.get(reverse("onboarding_admin:registrations")).content.decode()
    assert "cbp-people.csv" in client.get(reverse("onboarding_admin:imports")).content.decode()
    assert records["assignment"].course.title in client.get(reverse("onboarding_admin:assignments")).content.decode()
    for url in detail_urls(records):
        assert client.get(url).status_code == 200, url


def test_a_coordinator_of_another_agency_sees_nothing_of_it(client, outsider, records):
    client.force_login(outsider)
    for name in LIST_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        for text in ("Tomás Trainee", "Pending Person", "cbp-people.csv", records["assignment"].course.title + "</a>"):
            assert text not in html, (name, text)
    export = b"".join(client.get(reverse("onboarding_admin:people") + "?export=csv").streaming_content).decode()
    assert export.splitlines()[0] == "Name,E-mail,Agency,Language,Active,Joined"
    assert "Tomás" not in export
    for url in detail_urls(records):
        # Not found (LocaleMiddleware sends an unprefixed 404 on to /en/..., also a 404).
        assert client.get(url, follow=True).status_code == 404, url
        assert client.post(url, {"action": "approve"}, follow=True).status_code == 404, url
    records["registration"].refresh_from_db()
    assert records["registration"].status == RegistrationStatus.PENDING
    records["trainee"].refresh_from_db()
    assert records["trainee"].is_active


def test_a_trainee_is_refused_everywhere(client, agency, records):
    client.force_login(records["trainee"])
    for name in LIST_URLS:
        assert client.get(reverse(name)).status_code in (302, 403), name
    for url in detail_urls(records):
        assert client.get(url).status_code in (302, 403), url


def test_the_people_export_is_scoped_and_neutralised(client, coordinator, agency):
    make_trainee(agency=agency, first_name="=HYPERLINK(1)", last_name="")
    client.force_login(coordinator)
    response = client.get(reverse("onboarding_admin:people") + "?export=csv")
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "Name,E-mail,Agency,Language,Active,Joined"
    assert any(row.startswith("'=HYPERLINK(1)") for row in rows)


def test_approving_from_the_admin(client, coordinator, records, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    url = reverse("onboarding_admin:registration", args=[records["registration"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "approve"})
    assert response.status_code == 302
    records["registration"].refresh_from_db()
    assert records["registration"].status == RegistrationStatus.APPROVED
    assert records["registration"].user.is_active


def test_uploading_a_file_with_mistakes_lists_them_then_the_fixed_file_imports(client, coordinator, agency):
    client.force_login(coordinator)
    url = reverse("onboarding_admin:imports")
    bad = b"name,email,language\nAna,ana@cbp.example,es\nBob,bob@,en\nCruz,cruz@cbp.example,de\n"
    response = client.post(url, {"file": SimpleUploadedFile("people.csv", bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<td>3</td><td>bob@ is not a valid e-mail address.</td>" in html
    assert "<td>4</td><td>Unknown language de: use en or es.</td>" in html
    assert not ImportBatch.objects.exists()
    good = b"name,email,language\nAna,ana@cbp.example,es\nBob,bob@cbp.example,en\n"
    response = client.post(url, {"file": SimpleUploadedFile("people.csv", good)})
    assert response.status_code == 200 and b'data-testid="import-done"' in response.content
    batch = ImportBatch.objects.get()
    assert batch.agency == agency and batch.created_count == 2


def test_a_coordinator_always_imports_into_their_own_agency(client, coordinator, agency, other_agency):
    client.force_login(coordinator)
    good = b"name,email,language\nAna,ana@cbp.example,es\n"
    response = client.post(
        reverse("onboarding_admin:imports"), {"file": SimpleUploadedFile("p.csv", good), "agency": other_agency.pk}
    )
    assert response.status_code == 200
    assert ImportBatch.objects.get().agency == agency
    assert not ImportBatch.objects.filter(agency=other_agency).exists()


def test_an_administrator_imports_into_any_agency(client, other_agency):
    client.force_login(make_administrator())
    good = b"name,email,language\nAna,ana@fgr.example,es\n"
    response = client.post(
        reverse("onboarding_admin:imports"), {"file": SimpleUploadedFile("p.csv", good), "agency": other_agency.pk}
    )
    assert response.status_code == 200
    assert ImportBatch.objects.get().agency == other_agency


def test_a_non_csv_upload_gets_a_clear_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("onboarding_admin:imports"), {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.7")})
    assert response.status_code == 400 and b'data-testid="import-refused"' in response.content


def test_assigning_from_the_admin_and_seeing_who_is_overdue(client, coordinator, agency, course, time_machine):
    ana = make_trainee(agency=agency, first_name="Ana", last_name="Late")
    client.force_login(coordinator)
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        reverse("onboarding_admin:assign"),
        {"course": course.pk, "agency": agency.pk, "who": "picked", "people": [ana.pk], "due_on": due.isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get()
    assert assignment.due_on == due and Enrollment.objects.filter(user=ana, course=course).exists()
    time_machine.move_to(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(12)))
    client.force_login(coordinator)  # days later: the idle session has ended
    html = client.get(reverse("onboarding_admin:overdue")).content.decode()
    assert "Ana Late" in html
    html = client.get(reverse("onboarding_admin:assignment", args=[assignment.pk]) + "?overdue=1").content.decode()
    assert "Ana Late" in html and 'data-overdue="1"' in html


def test_deactivation_keeps_records_and_only_for_own_agency(client, coordinator, outsider, records, course):
    person = records["trainee"]
    url = reverse("onboarding_admin:person", args=[person.pk])
    client.force_login(outsider)
    assert client.post(url, {"action": "deactivate"}, follow=True).status_code == 404
    person.refresh_from_db()
    assert person.is_active
    client.force_login(coordinator)
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert Enrollment.objects.filter(user=person, course=course).exists()  # records stay
    assert client.post(url, {"action": "reactivate"}).status_code == 302
    person.refresh_from_db()
    assert person.is_active


def test_a_coordinator_cannot_deactivate_themselves(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("onboarding_admin:person", args=[coordinator.pk]), {"action": "deactivate"})
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_the_menu_shows_for_coordinators_only(client, coordinator, records):
    client.force_login(coordinator)
    assert "My agency" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_coordinator(agency=None))
    assert "My agency" not in client.get(reverse("wagtailadmin_home")).content.decode()
