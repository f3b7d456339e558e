import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from onboarding.exceptions import RegistrationRefused
from onboarding.models import Registration, RegistrationStatus
from onboarding.registration import approve, make_verification_token, reject
from tests.factories import make_administrator, make_coordinator, make_trainee

pytestmark = pytest.mark.django_db

PASSWORD = "Border-Training-2026"


def form_data(agency, **overrides):
    data = {
        "first_name": "Lucía",
        "last_name": "Ortega",
        "email": "lucia@cbp.example",
        "agency": agency.pk,
        "preferred_language": "es",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(client, home_page, django_capture_on_commit_callbacks):
    def do(agency, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("register"), form_data(agency, **overrides))

    return do


def verify(client, registration, capture):
    url = reverse("register_verify", kwargs={"token": make_verification_token(registration)})
    with capture(execute=True):
        return client.post(url)


def test_the_page_lives_under_the_language_prefix(client, home_page, agency):
    response = client.get("/es/accounts/register/")
    assert response.status_code == 200
    assert "Registrarse" in response.content.decode()
    assert agency.acronym in response.content.decode()


def test_registering_creates_an_inactive_account_and_sends_the_verification_link(register, agency):
    response = register(agency)
    assert response.status_code == 200 and b'data-testid="check-email"' in response.content
    user = get_user_model().objects.get(email="lucia@cbp.example")
    assert not user.is_active and user.check_password(PASSWORD)
    assert user.profile.agency == agency and user.profile.preferred_language == "es"
    assert user.registration.status == RegistrationStatus.UNVERIFIED
    [message] = mail.outbox
    assert message.to == ["lucia@cbp.example"] and message.subject == "Confirme su correo electrónico"
    assert "/es/accounts/register/verify/" in message.body


def test_a_known_address_gets_the_same_page_and_its_owner_an_email(register, agency):
    make_trainee(agency=agency, email="lucia@cbp.example", username="lucia")
    response = register(agency)
    assert response.status_code == 200 and b'data-testid="check-email"' in response.content
    assert get_user_model().objects.filter(email__iexact="lucia@cbp.example").count() == 1
    [message] = mail.outbox
    assert message.subject == "Someone tried to register with your e-mail address"


def test_only_active_agencies_and_their_domains(register, agency, other_agency):
    other_agency.is_active = False
    other_agency.save()
    assert register(other_agency).status_code == 400
    agency.email_domains = "cbp.dhs.gov"
    agency.save()
    response = register(agency)
    assert response.status_code == 400
    assert "CBPX accepts registrations only from addresses at cbp.dhs.gov." in response.content.decode()
    assert register(agency, email="lucia@port.cbp.dhs.gov").status_code == 200
    assert not get_user_model().objects.filter(email="lucia@cbp.example").exists()


def test_passwords_go_through_the_validators(register, agency):
    response = register(agency, password1="short", password2="short")
    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="lucia@cbp.example").exists()


def test_registration_is_rate_limited(register, agency, settings):
    settings.ONBOARDING_REGISTRATION_RATE = 2
    assert register(agency, email="a1@cbp.example").status_code == 200
    assert register(agency, email="a2@cbp.example").status_code == 200
    assert register(agency, email="a3@cbp.example").status_code == 429
    assert not get_user_model().objects.filter(email="a3@cbp.example").exists()


def test_verifying_is_a_post_and_tells_the_coordinators(
    client, register, agency, other_agency, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator(agency=agency, language="es")
    make_coordinator(agency=other_agency)
    register(agency)
    registration = Registration.objects.get()
    mail.outbox.clear()
    url = reverse("register_verify", kwargs={"token": make_verification_token(registration)})
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.UNVERIFIED  # a GET changes nothing
    response = verify(client, registration, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING and registration.email_verified_at
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(["lucia@cbp.example", coordinator.email])
    review = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert review.subject.startswith("Registro por revisar")
    assert reverse("onboarding_admin:registration", args=[registration.pk]) in review.body


def test_administrators_hear_when_the_agency_has_no_coordinator(
    client, register, agency, django_capture_on_commit_callbacks
):
    admin = make_administrator()
    register(agency)
    mail.outbox.clear()
    verify(client, Registration.objects.get(), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["lucia@cbp.example", admin.email])


def test_a_bad_link_is_refused_plainly(client, home_page):
    response = client.post(reverse("register_verify", kwargs={"token": "forged:token"}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_approval_activates_and_emails_the_person_in_their_language(
    client, register, agency, course, django_capture_on_commit_callbacks
):
    from onboarding.assignments import assign_course

    coordinator = make_coordinator(agency=agency)
    assign_course(actor=coordinator, agency=agency, course=course, include_future=True)
    register(agency)
    registration = Registration.objects.get()
    verify(client, registration, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(registration, actor=coordinator)
        approve(registration, actor=coordinator)  # twice: no second e-mail
    user = registration.user
    user.refresh_from_db()
    assert user.is_active and user.groups.filter(name="Trainees").exists()
    assert user.enrollments.filter(course=course).exists()  # standing assignment applied
    subjects = sorted(m.subject for m in mail.outbox)
    assert "Su registro fue aprobado" in subjects and len(subjects) == 2  # + the assignment


def test_rejection_keeps_the_account_inactive_and_gives_the_reason(
    client, register, agency, django_capture_on_commit_callbacks
):
    coordinator = make_coordinator(agency=agency)
    register(agency)
    registration = Registration.objects.get()
    verify(client, registration, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reject(registration, actor=coordinator, reason="No está en nuestra plantilla.")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED and not registration.user.is_active
    [message] = mail.outbox
    assert message.subject == "Su registro no fue aprobado" and "No está en nuestra plantilla." in message.body
    with pytest.raises(RegistrationRefused):
        approve(registration, actor=coordinator)


def test_a_coordinator_of_another_agency_cannot_decide(
    client, register, agency, other_agency, django_capture_on_commit_callbacks
):
    register(agency)
    registration = Registration.objects.get()
    verify(client, registration, django_capture_on_commit_callbacks)
    with pytest.raises(RegistrationRefused):
        approve(registration, actor=make_coordinator(agency=other_agency))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
