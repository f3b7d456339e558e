"""Fixtures and mechanisms shared by the whole suite.

Keeping the suite fast (it runs on two cores; add to it without undoing this):

- Test databases are copies of a migrated template, not migrated in every
  xdist worker (``django_db_setup`` below, tests/db_template.py). The
  template is rebuilt by itself when a migration changes;
  ``LMS_TEST_DB_TEMPLATE=0`` turns this off, ``--create-db`` rebuilds.
- Certificate PDFs: ``_cheap_certificate_pdfs`` swaps WeasyPrint for
  tests/fake_pdf.py (template rendered, a small valid PDF with the
  certificate's words stored and hashed) in every test not marked
  ``@pytest.mark.pdf``. Mark ``pdf`` the tests about the PDF itself (layout,
  fonts, PDF/A, text extracted with pdftotext from an issued certificate).
- Search indexing on save is off (test settings); mark ``search_index``
  the tests that search pages.
- Build only the data a test needs (``course`` is a small published course;
  quizzes' conftest makes a smaller one); no ``load_demo`` outside the demo
  tests. Transactional tests (``live_server``, ``transaction=True``) get
  serialized rollback here, which reloads the post-migration contents after
  each of them: use them only when real commits or a browser are the point.
- Two-factor: see the section at the end of this file.
"""

import contextlib
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
def _cheap_certificate_pdfs(request, monkeypatch):
    """Certificate PDFs come from tests/fake_pdf.py unless the test is marked
    ``pdf`` (see the module docstring)."""
    if request.node.get_closest_marker("pdf"):
        return
    from certificates import issuing, rendering
    from tests import fake_pdf

    monkeypatch.setattr(rendering, "render_pdf", fake_pdf.render_pdf)
    monkeypatch.setattr(issuing, "render_pdf", fake_pdf.render_pdf)


@pytest.fixture(autouse=True)
def _search_index(request):
    """Pages are indexed for search as they are saved only in tests marked
    ``search_index`` (the test settings turn it off: see the module
    docstring)."""
    if not request.node.get_closest_marker("search_index"):
        return
    settings = request.getfixturevalue("settings")
    settings.WAGTAILSEARCH_BACKENDS = {
        alias: {**config, "AUTO_UPDATE": True} for alias, config in settings.WAGTAILSEARCH_BACKENDS.items()
    }


@pytest.fixture(autouse=True)
def _english_by_default():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's own set-up, with two changes.

    1. The test databases are copies of a migrated template
       (tests/db_template.py) instead of running every migration in every
       xdist worker.
    2. The serialized post-migration contents are shared with every
       connection object. Playwright's sync API runs an event loop in the
       test thread, and Django then keeps connections per async context: a
       test after the first browser test gets a fresh connection object that
       would lack the contents serialized rollback reloads.
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests import db_template

    options = {}
    if not django_db_use_migrations:
        _disable_migrations()
    if django_db_keepdb and not django_db_createdb:
        options["keepdb"] = True
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    template = contextlib.nullcontext()
    if django_db_use_migrations and db_template.enabled():
        template = db_template.migrations_from_template(rebuild=django_db_createdb)
    with django_db_blocker.unblock(), template:
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            **options,
        )
    _share_serialized_contents()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _end_other_sessions()
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _end_other_sessions():
    """On PostgreSQL, end this run's other sessions on each test database
    before it is dropped. Playwright's event loop gives Django a connection
    per async context, and a connection opened in another context (or one a
    module-scoped fixture held) is not closed by ``teardown_databases``:
    DROP DATABASE then fails with "being accessed by other users"."""
    from django.db import connections

    connections.close_all()
    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [connection.settings_dict["NAME"]],
            )


def _share_serialized_contents():
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


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with an empty cache: entries such as Wagtail's site
    root paths, written while another test's rolled-back or flushed data
    existed, must not leak into the next test (local-memory cache; each
    xdist worker has its own)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
