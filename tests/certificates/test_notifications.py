import pytest
from django.core import mail

from certificates.issuing import revoke_certificate
from tests.certificates.factories import complete_course
from tests.factories import make_administrator, make_trainee

pytestmark = pytest.mark.django_db


def html_of(message):
    return {mime: content for content, mime in message.alternatives}["text/html"]


def test_the_holder_is_emailed_the_verify_link_without_the_pdf(cert_course, django_capture_on_commit_callbacks):
    holder = make_trainee(language="es")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(holder, cert_course)
    certificate = holder.certificates.get()
    [message] = [m for m in mail.outbox if certificate.serial in m.body]
    assert message.to == [holder.email]
    assert message.subject == f"Su constancia de {certificate.course_title_in('es')}"
    assert f"https://training.example.org/es/verify/{certificate.code}/" in message.body
    assert f"/es/verify/{certificate.code}/" in html_of(message)
    assert message.attachments == []


def test_the_issued_email_can_be_turned_off(cert_course, django_capture_on_commit_callbacks):
    holder = make_trainee()
    holder.profile.email_opt_outs = ["certificate_issued"]
    holder.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(holder, cert_course)
    assert holder.certificates.exists()
    assert not [m for m in mail.outbox if holder.certificates.get().serial in m.body]


def test_revocation_is_always_emailed(issue, django_capture_on_commit_callbacks):
    holder = make_trainee()
    holder.profile.email_opt_outs = ["certificate_issued", "course_completed"]
    holder.profile.save()
    certificate = issue(holder)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(certificate, actor=make_administrator(), reason="Issued by mistake (private).")
    [message] = mail.outbox
    assert message.to == [holder.email] and message.subject.endswith("was revoked")
    assert certificate.serial in message.body and "/en/verify/" in message.body
    assert "private" not in message.body and "private" not in html_of(message)
