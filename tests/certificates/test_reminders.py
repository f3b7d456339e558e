import datetime
import smtplib
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from certificates import issuing
from certificates.models import ReminderKind, SentReminder
from certificates.reminders import send_expiry_reminders
from tests.certificates.factories import at_noon
from tests.factories import make_administrator, make_coordinator, make_trainee

pytestmark = pytest.mark.django_db


def days_before(certificate, days):
    return certificate.expires_on - datetime.timedelta(days=days)


@pytest.fixture
def holder_and_coordinators(agency, other_agency):
    holder = make_trainee(agency=agency, language="es", first_name="María", last_name="Núñez")
    coordinator = make_coordinator(agency=agency, language="en")
    outsider = make_coordinator(agency=other_agency, language="en")
    return holder, coordinator, outsider


def test_reminders_at_90_30_and_0_days_once_each(issue, holder_and_coordinators):
    holder, coordinator, outsider = holder_and_coordinators
    certificate = issue(holder)
    for days, kind in (
        (90, ReminderKind.DAYS_90),
        (30, ReminderKind.DAYS_30),
        (0, ReminderKind.EXPIRED),
    ):
        mail.outbox.clear()
        today = days_before(certificate, days)
        with time_machine.travel(at_noon(today), tick=False):
            assert send_expiry_reminders().sent == {kind: 1}
            assert send_expiry_reminders().sent == {}  # running twice sends nothing more
        recipients = sorted(message.to[0] for message in mail.outbox)
        assert recipients == sorted([holder.email, coordinator.email])
        assert outsider.email not in recipients
        to_holder = next(m for m in mail.outbox if m.to == [holder.email])
        to_coordinator = next(m for m in mail.outbox if m.to == [coordinator.email])
        # Each in their own language.
        if days:
            assert to_holder.subject.startswith("Su constancia de Export law basics ES vence el")
            assert to_coordinator.subject.startswith("The certificate of María Núñez for Export law basics expires on")
        else:
            assert to_holder.subject == "Su constancia de Export law basics ES venció"
            assert to_coordinator.subject == "The certificate of María Núñez for Export law basics has expired"
        assert certificate.serial in to_holder.body and "/es/verify/" in to_holder.body
        assert "coordinator of their agency" in to_coordinator.body
    assert SentReminder.objects.filter(certificate=certificate).count() == 3


def test_a_missed_day_still_sends_the_current_reminder_only(issue, holder_and_coordinators):
    holder = holder_and_coordinators[0]
    certificate = issue(holder)
    with time_machine.travel(at_noon(days_before(certificate, 20)), tick=False):
        run = send_expiry_reminders()
    assert run.sent == {ReminderKind.DAYS_30: 1}
    assert not SentReminder.objects.filter(kind=ReminderKind.DAYS_90).exists()


def test_nothing_for_far_future_no_expiry_revoked_or_renewed(issue, cert_course, course_index):
    from tests.certificates.factories import make_small_course

    far = issue(make_trainee())
    forever_course = make_small_course(course_index, code="FOREVER", validity_months=None, title="Forever")
    issue(make_trainee(), forever_course)
    revoked = issue(make_trainee())
    issuing.revoke_certificate(revoked, actor=make_administrator(), reason="Fraud")
    renewed = issue(make_trainee())
    issuing.reissue_certificate(renewed, actor=make_administrator())  # the old one is superseded
    with time_machine.travel(at_noon(days_before(far, 200)), tick=False):
        assert send_expiry_reminders().sent == {}
    with time_machine.travel(at_noon(days_before(far, 10)), tick=False):
        run = send_expiry_reminders()
    # Only "far" and the re-issued certificate are active and expiring.
    assert run.sent == {ReminderKind.DAYS_30: 2}
    assert not SentReminder.objects.filter(certificate=revoked).exists()


def test_long_expired_certificates_are_not_mailed(issue):
    certificate = issue(make_trainee())
    with time_machine.travel(at_noon(certificate.expires_on + datetime.timedelta(days=30)), tick=False):
        assert send_expiry_reminders().sent == {}


def test_failed_mail_is_retried_on_the_next_run(issue):
    certificate = issue(make_trainee())
    with time_machine.travel(at_noon(days_before(certificate, 90)), tick=False):
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPException,
        ):
            run = send_expiry_reminders()
        assert run.failed == 1 and not SentReminder.objects.exists()
        assert send_expiry_reminders().sent == {ReminderKind.DAYS_90: 1}
    assert len(mail.outbox) == 1


def test_management_command(issue):
    certificate = issue(make_trainee())
    out = StringIO()
    call_command(
        "send_expiry_reminders",
        "--date",
        days_before(certificate, 30).isoformat(),
        stdout=out,
    )
    assert "30 days: 1" in out.getvalue() and "1 e-mails sent" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_expiry_reminders", "--date", "next tuesday")
