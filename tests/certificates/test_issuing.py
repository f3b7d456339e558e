import datetime
import hashlib
import re
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from wagtail.models import ModelLogEntry

from certificates import issuing
from certificates.exceptions import (
    AlreadyRevoked,
    AlreadySuperseded,
    NotAllowed,
    NotIssuable,
)
from certificates.models import Certificate, Status
from certificates.tasks import issue_certificate_task
from courses import progress
from courses.models import Enrollment
from tests.certificates.factories import complete_course, make_small_course
from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

pytestmark = pytest.mark.django_db

SERIAL = re.compile(r"^AC-(\d{4})-(\d{6})$")


@pytest.mark.pdf
def test_completing_a_course_issues_one_certificate_through_the_task(cert_course, django_capture_on_commit_callbacks):
    user = make_trainee(first_name="María José", last_name="Hernández Núñez", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = complete_course(user, cert_course)
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment
    assert certificate.holder == user
    assert certificate.holder_name == "María José Hernández Núñez"
    assert certificate.course == cert_course
    assert certificate.course_code == "CERT-1"
    assert certificate.course_title_en == "Export law basics"
    assert certificate.course_title_es == "Export law basics ES"
    assert certificate.credit_hours == cert_course.credit_hours
    assert certificate.language == "es"
    assert certificate.completed_revision_id == enrollment.completed_revision_id is not None
    today = certificate.issued_on
    assert certificate.expires_on == today.replace(year=today.year + 1)
    assert certificate.status == Status.VALID
    match = SERIAL.match(certificate.serial)
    assert match and int(match[1]) == today.year
    # The stored PDF is the one whose hash was recorded.
    content = certificate.pdf.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
    entry = ModelLogEntry.objects.get(action="certificates.issue")
    assert entry.object_id == str(certificate.pk)


def test_verification_code_is_random_long_and_unrelated_to_the_serial(issue):
    first, second = issue(make_trainee()), issue(make_trainee())
    for certificate in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", certificate.code)  # 24 random bytes = 192 bits
        assert certificate.serial not in certificate.code
    assert first.code != second.code
    assert SERIAL.match(first.serial)[2] != SERIAL.match(second.serial)[2]


def test_issuing_twice_returns_the_same_certificate(cert_course):
    enrollment = complete_course(make_trainee(), cert_course)
    first = issuing.issue_certificate(enrollment)
    assert issuing.issue_certificate(enrollment) == first
    assert issue_certificate_task.call(enrollment.pk) == first.serial
    assert Certificate.objects.count() == 1


def test_an_incomplete_enrolment_gets_no_certificate(cert_course):
    enrollment = progress.enroll(make_trainee(), cert_course)
    with pytest.raises(NotIssuable):
        issuing.issue_certificate(enrollment)
    assert not Certificate.objects.exists()


def test_the_task_skips_a_deleted_enrolment():
    assert issue_certificate_task.call(987654) is None


def test_nothing_is_issued_until_the_completion_commits(cert_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complete_course(make_trainee(), cert_course)
    assert callbacks  # course_completed waits for the commit ...
    assert not Certificate.objects.exists()  # ... and so does issuing


def test_serial_numbers_count_per_year(cert_course, course_index):
    other = make_small_course(course_index, code="CERT-2", title="Other")
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC), tick=False):
        a = issuing.issue_certificate(complete_course(make_trainee(), cert_course))
        b = issuing.issue_certificate(complete_course(make_trainee(), cert_course))
    with time_machine.travel(datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC), tick=False):
        c = issuing.issue_certificate(complete_course(make_trainee(), other))
    assert [a.serial, b.serial, c.serial] == [
        "AC-2026-000001",
        "AC-2026-000002",
        "AC-2027-000001",
    ]


def test_expiry_follows_the_course_validity(course_index):
    short = make_small_course(course_index, code="SHORT", validity_months=1, title="Short")
    forever = make_small_course(course_index, code="FOREVER", validity_months=None, title="Forever")
    with time_machine.travel(datetime.datetime(2027, 1, 31, 18, tzinfo=datetime.UTC), tick=False):
        a = issuing.issue_certificate(complete_course(make_trainee(), short))
        b = issuing.issue_certificate(complete_course(make_trainee(), forever))
    assert a.issued_on == datetime.date(2027, 1, 31)
    assert a.expires_on == datetime.date(2027, 2, 28)  # clamped to the month's end
    assert b.expires_on is None


def test_the_name_is_a_snapshot_and_falls_back_to_the_username(issue):
    user = make_trainee(first_name="", last_name="", username="solo")
    certificate = issue(user)
    assert certificate.holder_name == "solo"
    user.first_name, user.last_name = "New", "Name"
    user.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "solo"


def test_an_issued_certificate_cannot_be_edited(issue):
    certificate = issue(make_trainee())
    certificate.holder_name = "Someone Else"
    with pytest.raises(ValidationError):
        certificate.save()
    with pytest.raises(ValidationError):
        certificate.save(update_fields=["holder_name", "revoked_at"])
    certificate.refresh_from_db()
    assert certificate.holder_name != "Someone Else"


def test_administrator_revokes_once_with_a_private_reason(issue):
    certificate = issue(make_trainee())
    admin = make_administrator()
    revoked = issuing.revoke_certificate(certificate, actor=admin, reason="Identity fraud")
    assert revoked.status == Status.REVOKED
    assert revoked.revoked_by == admin and revoked.revocation_reason == "Identity fraud"
    assert ModelLogEntry.objects.filter(action="certificates.revoke", object_id=str(certificate.pk)).count() == 1
    with pytest.raises(AlreadyRevoked):
        issuing.revoke_certificate(certificate, actor=admin, reason="Again")
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Identity fraud"
    assert ModelLogEntry.objects.filter(action="certificates.revoke").count() == 1


@pytest.mark.parametrize("make_actor", [make_coordinator, make_instructor, make_trainee])
def test_only_administrators_revoke_or_reissue(issue, agency, make_actor):
    holder = make_trainee(agency=agency)
    certificate = issue(holder)
    actor = make_actor(agency=agency)
    with pytest.raises(NotAllowed):
        issuing.revoke_certificate(certificate, actor=actor, reason="No")
    with pytest.raises(NotAllowed):
        issuing.reissue_certificate(certificate, actor=actor)
    with pytest.raises(NotAllowed):
        issuing.revoke_certificate(certificate, actor=holder, reason="Mine")
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    assert Certificate.objects.count() == 1


def test_revoking_needs_a_reason(issue):
    certificate = issue(make_trainee())
    with pytest.raises(issuing.CertificateError):
        issuing.revoke_certificate(certificate, actor=make_administrator(), reason="   ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_reissue_after_revocation_supersedes_the_old_certificate(issue):
    user = make_trainee(first_name="Jose", last_name="Nunez")
    old = issue(user)
    admin = make_administrator()
    issuing.revoke_certificate(old, actor=admin, reason="Name misspelt")
    user.first_name, user.last_name = "José", "Núñez"
    user.save()
    new = issuing.reissue_certificate(old, actor=admin)
    old.refresh_from_db()
    assert new.pk != old.pk and new.serial != old.serial and new.code != old.code
    assert new.holder_name == "José Núñez"
    assert new.expires_on == old.expires_on  # re-issuing does not extend validity
    assert new.enrollment == old.enrollment
    assert old.superseded_by == new and old.status == Status.SUPERSEDED
    assert new.status == Status.VALID
    assert issuing.issue_certificate(new.enrollment) == new
    assert ModelLogEntry.objects.filter(action="certificates.reissue", object_id=str(old.pk)).exists()
    with pytest.raises(AlreadySuperseded):
        issuing.reissue_certificate(old, actor=admin)
    with pytest.raises(AlreadySuperseded):
        issuing.revoke_certificate(old, actor=admin, reason="Late")
    assert Certificate.objects.count() == 2


def test_reissue_without_revocation_also_supersedes(issue):
    old = issue(make_trainee())
    new = issuing.reissue_certificate(old, actor=make_administrator())
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED and old.revoked_at is None
    assert Certificate.objects.active().get() == new


def test_the_database_allows_one_active_certificate_per_enrolment(issue):
    certificate = issue(make_trainee())
    duplicate = Certificate.objects.filter(pk=certificate.pk).values()[0]
    duplicate.update(id=None, serial="AC-1999-000001", code="another-code-that-is-long-enough")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(**duplicate)


# ------------------------------------------------------------ concurrency


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completion_signals_issue_one_certificate(postgres_only, course_index):
    course = make_small_course(course_index, code="RACE")
    enrollment = complete_course(make_trainee(), course)  # autocommit: the signal already issued one
    Certificate.objects.all().delete()
    results, errors = _run_in_threads(4, lambda i: issue_certificate_task.call(enrollment.pk))
    assert errors == []
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert set(results) == {Certificate.objects.get().serial}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuing_gives_unique_serials(postgres_only, course_index):
    course = make_small_course(course_index, code="RACE2")
    enrollments = [complete_course(make_trainee(), course) for _ in range(6)]
    Certificate.objects.all().delete()
    results, errors = _run_in_threads(6, lambda i: issuing.issue_certificate(enrollments[i]).serial)
    assert errors == []
    assert len(set(results)) == 6
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == sorted(results)
    assert not Enrollment.objects.filter(certificates__isnull=True).exists()
