import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the browser tests' setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def home_page(db):
    from lms.site_setup import ensure

    return ensure()


@pytest.fixture
def site_pages(db):
    """The page skeleton every app builds on: home page and course index."""
    from lms.site_setup import ensure_site

    ensure_site()
    from courses.models import CourseIndexPage
    from lms.models import HomePage

    return {"home": HomePage.objects.get(), "courses": CourseIndexPage.objects.get()}


@pytest.fixture
def course_index(site_pages):
    return site_pages["courses"]


@pytest.fixture
def agency(db):
    from tests.factories import AgencyFactory

    return AgencyFactory(acronym="CBPX")


@pytest.fixture
def other_agency(db):
    from tests.factories import AgencyFactory

    return AgencyFactory(acronym="FGRX", country="MX")


@pytest.fixture
def course(course_index):
    from tests.courses.factories import make_course

    return make_course(course_index)


@pytest.fixture(autouse=True)
def _english_by_default():
    from django.utils import translation

    with translation.override("en"):
        yield
