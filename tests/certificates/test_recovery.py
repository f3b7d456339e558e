import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from wagtail.models import ModelLogEntry

from certificates import issuing
from certificates.models import Certificate
from certificates.recovery import issue_missing_certificates, missing_certificates
from tests.certificates.factories import complete_course, make_small_course
from tests.factories import make_administrator, make_trainee

pytestmark = pytest.mark.django_db


def _lost_completion(course, django_capture_on_commit_callbacks):
    """A completed cycle whose issuing task never ran (the process died
    after the completion committed)."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrollment = complete_course(make_trainee(), course)
    assert callbacks  # the enqueue that was lost
    assert not Certificate.objects.exists()
    return enrollment


def _command(*args):
    out = io.StringIO()
    call_command("issue_missing_certificates", *args, stdout=out)
    return out.getvalue()


def test_a_completion_whose_task_was_lost_gets_its_certificate(cert_course, django_capture_on_commit_callbacks):
    enrollment = _lost_completion(cert_course, django_capture_on_commit_callbacks)
    assert list(missing_certificates()) == [enrollment]
    out = _command()
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment
    assert certificate.pdf.read().startswith(b"%PDF")
    assert f"issued {certificate.serial}" in out and "1 missing certificate(s) issued" in out
    entry = ModelLogEntry.objects.get(action="certificates.issue")
    assert entry.data["recovered"] is True
    assert not missing_certificates().exists()


def test_running_twice_issues_nothing_twice(cert_course, django_capture_on_commit_callbacks):
    _lost_completion(cert_course, django_capture_on_commit_callbacks)
    _command()
    serials = list(Certificate.objects.values_list("serial", flat=True))
    out = _command()
    assert "0 missing certificate(s) issued" in out
    assert list(Certificate.objects.values_list("serial", flat=True)) == serials
    assert ModelLogEntry.objects.filter(action="certificates.issue").count() == 1


def test_a_revoked_certificate_is_not_reissued_and_incomplete_cycles_are_left(issue, cert_course):
    certificate = issue(make_trainee())
    issuing.revoke_certificate(certificate, actor=make_administrator(), reason="Fraud")
    from courses import progress

    progress.enroll(make_trainee(), cert_course)  # not complete
    assert not missing_certificates().exists()
    assert issue_missing_certificates().issued == []
    assert Certificate.objects.count() == 1


def test_dry_run_lists_and_changes_nothing(cert_course, django_capture_on_commit_callbacks):
    enrollment = _lost_completion(cert_course, django_capture_on_commit_callbacks)
    out = _command("--dry-run")
    assert f"enrolment {enrollment.pk}:" in out and "1 completed cycle(s) without a certificate" in out
    assert not Certificate.objects.exists()


def test_min_age_leaves_fresh_completions_to_their_task(cert_course, django_capture_on_commit_callbacks):
    _lost_completion(cert_course, django_capture_on_commit_callbacks)
    assert "0 missing certificate(s) issued" in _command("--min-age", "3600")
    assert not Certificate.objects.exists()


# ------------------------------------------------------------ files and locks


def _pdf_files():
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return sorted(p.name for p in (root / "certificates").rglob("*.pdf"))


def test_the_stored_pdf_is_removed_when_the_issuing_transaction_rolls_back(cert_course, monkeypatch):
    enrollment = complete_course(make_trainee(), cert_course)

    def broken_log(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(issuing, "log", broken_log)
    with pytest.raises(RuntimeError):
        issuing.issue_certificate(enrollment)
    assert not Certificate.objects.exists()
    assert _pdf_files() == []


def test_the_stored_pdf_is_removed_when_reissue_is_refused(issue, monkeypatch):
    old = issue(make_trainee())
    admin = make_administrator()
    before = _pdf_files()
    real_store = issuing.store_pdf

    def store_then_lose_the_race(certificate):
        real_store(certificate)
        Certificate.objects.filter(pk=old.pk).update(superseded_at=certificate.issued_at)  # another admin won

    monkeypatch.setattr(issuing, "store_pdf", store_then_lose_the_race)
    with pytest.raises(issuing.AlreadySuperseded):
        issuing.reissue_certificate(old, actor=admin)
    assert Certificate.objects.count() == 1
    assert _pdf_files() == before


def test_pdfs_are_rendered_and_stored_outside_every_transaction(issue, monkeypatch):
    """Neither the serial counter nor the enrolment or the old certificate is
    locked while a PDF renders or uploads: no transaction is open then."""
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen = []
    real_store = issuing.store_pdf

    def watched(certificate):
        seen.append(len(connection.atomic_blocks))
        real_store(certificate)

    monkeypatch.setattr(issuing, "store_pdf", watched)
    first = issue(make_trainee())
    issuing.reissue_certificate(first, actor=make_administrator())
    assert seen == [depth, depth]


def test_issuing_refuses_to_run_inside_a_transaction_that_could_roll_back(cert_course):
    from django.db import transaction

    enrollment = complete_course(make_trainee(), cert_course)
    with pytest.raises(RuntimeError), transaction.atomic():
        issuing.issue_certificate(enrollment)
    assert _pdf_files() == []


# ------------------------------------------------------------ concurrency


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_issue_one_certificate(postgres_only, course_index):
    course = make_small_course(course_index, code="LOST")
    user = make_trainee()
    complete_course(user, course)  # autocommit: the immediate task issued it ...
    Certificate.objects.all().delete()  # ... and we lose it, as a killed process would
    files_before = set(_pdf_files())
    barrier = threading.Barrier(2)
    runs, errors = [], []

    def run():
        try:
            barrier.wait()
            runs.append(issue_missing_certificates())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.count() == 1
    assert sorted(len(r.issued) for r in runs) == [0, 1]
    # The loser's PDF (if it rendered one) was removed: one new file.
    assert set(_pdf_files()) - files_before == {Certificate.objects.get().pdf.name.rsplit("/", 1)[1]}
