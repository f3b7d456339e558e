import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the browser tests' setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Give every transactional test (threads, live server, browser) the data
    the migrations created (roles, Wagtail's root page and site).

    A transactional test flushes the database when it ends; serialized
    rollback reloads the post-migration contents before the next one. The
    marker has to be on the test itself for pytest-django to serialise the
    database when it creates it.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures or "transactional_db" in fixtures
        )
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs))


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Share the serialized post-migration contents with every connection
    object. Playwright's sync API runs an event loop in the test thread, and
    Django then keeps connections per async context: a test after the first
    browser test gets a fresh connection object that would lack the
    contents serialized rollback reloads."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


# ------------------------------------------------------------ two-factor
# Staff two-factor authentication (lms.two_factor) is required everywhere but
# in the test settings (TWO_FACTOR_REQUIRED = False), so tests of other areas
# log staff in with client.force_login as before. A test about the admin
# under the real rule turns it on with the `two_factor_on` fixture and logs
# staff in with `login_verified(client, user)`, which gives the user a
# confirmed authenticator and marks the session as verified by it.


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.fixture
def login_verified(db):
    def login(client, user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from lms.two_factor import AUTHENTICATOR, mark_verified

        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
        client.force_login(user)
        session = client.session
        mark_verified(session, device)
        session.save()
        return device

    return login
