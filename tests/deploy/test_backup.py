"""Backup and restore (deploy/backup.sh, deploy/restore.sh): a dump of the
database and copies of the media restored into a fresh database and fresh
folders hold every enrolment, attempt and certificate, and every
certificate PDF (two really rendered here) matches its recorded SHA-256."""

import hashlib
import secrets
import subprocess
from pathlib import Path

import psycopg
import pytest

from certificates.models import Certificate
from courses.models import Enrollment
from quizzes.models import QuizAttempt
from tests.deploy.conftest import postgres_only
from tests.deploy.stack import ROOT, database_url, manage, production_env
from tests.factories import make_trainee

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROWS = {
    Enrollment: ("id", "user_id", "course_id", "cycle", "enrolled_at", "completed_at"),
    QuizAttempt: ("id", "user_id", "quiz_id", "number", "status", "score", "submitted_at"),
    Certificate: ("id", "serial", "code", "holder_id", "enrollment_id", "pdf", "sha256", "issued_at"),
}


def rows(url):
    with psycopg.connect(url) as connection:
        return {
            model.__name__: connection.execute(
                f"SELECT {', '.join(columns)} FROM {model._meta.db_table} ORDER BY id"
            ).fetchall()
            for model, columns in ROWS.items()
        }


def url_of(name):
    return database_url(name)


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "site" / "private-media"},
        },
    }
    return tmp_path


@pytest.fixture
def fresh_database():
    name = f"lms_restore_{secrets.token_hex(4)}"
    with psycopg.connect(url_of("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url_of("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_records(course_index):
    """Two certified trainees (real PDFs: issuing runs on commit) and quiz
    attempts, one passed and one failed."""
    from courses import progress
    from quizzes.attempts import start_attempt
    from quizzes.grading import submit_attempt
    from tests.certificates.factories import complete_course, make_small_course
    from tests.courses.factories import make_course
    from tests.quizzes.factories import first_module, make_quiz, right_answers, wrong_answers

    certified = make_small_course(course_index)
    quizzed = make_course(course_index, code="Q-1", modules=1, lessons=1, title="Quizzed")
    quiz = make_quiz(first_module(quizzed), questions=2)
    for answers in (right_answers, wrong_answers):
        trainee = make_trainee()
        complete_course(trainee, certified)
        progress.enroll(trainee, quizzed)
        attempt = start_attempt(trainee, quiz)
        submit_attempt(attempt, answers(attempt))


def run(script, env, *args):
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *map(str, args)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_a_backup_restores_every_record_and_certificate_pdf(folders, course_index, fresh_database, settings):
    from django.db import connection

    build_records(course_index)
    assert Certificate.objects.count() == 2 and QuizAttempt.objects.count() == 2
    source_db = connection.settings_dict["NAME"]
    before = rows(url_of(source_db))

    site = production_env(source_db, folders / "site", settings.SECRET_KEY)
    backup = Path(run("backup.sh", site, folders / "backups"))
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar",
        "private-media.tar",
    ]

    restored = production_env(fresh_database, folders / "restored", settings.SECRET_KEY)
    run("restore.sh", restored, backup)
    # A second restore over the first is refused, nothing touched.
    refused = subprocess.run(
        ["bash", str(ROOT / "deploy" / "restore.sh"), str(backup)],
        check=False,
        env=restored,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "not empty" in refused.stderr

    after = rows(url_of(fresh_database))
    assert after == before
    assert len(after["Enrollment"]) == 4 and len(after["QuizAttempt"]) == 2 and len(after["Certificate"]) == 2
    for certificate in after["Certificate"]:
        pdf, sha256 = certificate[5], certificate[6]
        content = (folders / "restored" / "private-media" / pdf).read_bytes()
        assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == sha256
        assert (folders / "site" / "private-media" / pdf).read_bytes() == content

    # The site's own check, run with production settings on the restored copy.
    result = manage(restored, "verify_certificate_pdfs", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 certificate PDFs checked, 0 problems" in result.stdout

    # And it notices a PDF that differs from the one issued.
    tampered = folders / "restored" / "private-media" / after["Certificate"][0][5]
    tampered.write_bytes(tampered.read_bytes() + b"\n%tampered")
    result = manage(restored, "verify_certificate_pdfs", check=False)
    assert result.returncode != 0 and "does not match" in result.stderr
