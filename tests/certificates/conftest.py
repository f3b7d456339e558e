import pytest
from django.core.cache import cache
from django.db import connection

from certificates.issuing import issue_certificate
from tests.certificates.factories import complete_course, make_small_course


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Certificates write PDFs (to the private storage): keep them in this
    test's folder. Rate-limit counters live in the cache: start each test
    with an empty one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.SITE_URL = "https://training.example.org"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cert_course(course_index):
    return make_small_course(course_index)


@pytest.fixture
def issue(cert_course):
    """``issue(user, course=None)``: complete the course and issue its certificate."""

    def do_issue(user, course=None):
        return issue_certificate(complete_course(user, course or cert_course))

    return do_issue


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency test: needs PostgreSQL row locks")
