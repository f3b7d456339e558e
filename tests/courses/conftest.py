import pytest
from django.core.cache import cache
from django.db import connection

from courses.models import LessonPage


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Outlines and routes are cached per course id; ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_asserts():
    """Wagtail's page-tree assertions (WagtailPageTestCase) for pytest functions."""
    from wagtail.test.utils import WagtailPageTestCase

    return WagtailPageTestCase()


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent transactions)")
