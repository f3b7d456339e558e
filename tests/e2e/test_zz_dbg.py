import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

@pytest.fixture
def probe(transactional_db):
    from wagtail.models import Page
    print("PROBE ROOTS", Page.objects.filter(depth=1).count(), hasattr(connection, "_test_serialized_contents"))

def test_dbg(probe, live_server):
    pass

def test_dbg2(page, probe):
    pass
