import pytest

from tests.factories import (
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)

from .factories import populate


@pytest.fixture
def course(course_index):
    """A light course (one module, two lessons): page creation is the slow part."""
    from tests.courses.factories import make_course

    return make_course(course_index, modules=1, lessons=2)


@pytest.fixture
def people(agency, course):
    return populate(agency, course)


@pytest.fixture
def others(other_agency, course):
    return populate(other_agency, course)


@pytest.fixture
def admin_user(db):
    return make_administrator(username="boss")


@pytest.fixture
def coordinator(agency):
    return make_coordinator(agency=agency, username="coord")


@pytest.fixture
def other_coordinator(other_agency):
    return make_coordinator(agency=other_agency, username="coord2")


@pytest.fixture
def instructor(agency):
    return make_instructor(agency=agency, username="teacher")


@pytest.fixture
def trainee(agency):
    return make_trainee(agency=agency, username="learner")


@pytest.fixture
def admin_es(admin_user):
    """The administrator with Spanish as their admin language."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "es"
    profile.save()
    return admin_user


def csv_lines(response):
    import csv
    import io

    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def header_row(lines):
    """The header row: the first line after the blank line ending the preamble."""
    return lines[lines.index([]) + 1]


@pytest.fixture(autouse=True)
def fresh_dashboard_cache():
    """The dashboard caches its figures per scope; ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
