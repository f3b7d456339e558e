import pytest
from django.db import connection

# The proxy and backup tests run real server processes (gunicorn, pg_dump)
# against the test database, which an in-memory SQLite database cannot be
# shared with. CI runs the whole suite on PostgreSQL too (.ci/run).
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: other processes (gunicorn, pg_dump) share the test database; CI's PostgreSQL job runs it",
)
