"""The test database from a migrated template instead of running every
migration in every test process.

Migrating an empty database (Django's, Wagtail's, modeltranslation's
column sync and ours) costs tens of seconds of CPU, and pytest-xdist paid it
once per worker on every run. Here the migrated database is built once,
kept, and copied:

- SQLite: a file ``.test-db-cache/sqlite-<key>.sqlite3`` in the checkout,
  copied into each worker's in-memory test database with SQLite's backup API.
- PostgreSQL: a template database ``lms_test_template_<key>`` on the server;
  each worker's test database is ``CREATE DATABASE ... TEMPLATE`` of it.

``<key>`` is a hash of everything that decides the migrated schema and
contents: every migration file of every installed app, the project modules
those migrations import (e.g. lms/roles.py), each project app's apps.py
(post_migrate handlers) and translation.py (modeltranslation adds the
columns of translated Wagtail fields after migrating), the installed apps,
the languages and the versions of Django, Wagtail and modeltranslation.
Change any of them and the next run builds a new template by running
``manage.py migrate`` (so migrations are still exercised whenever they
change). A lock lets one process build while the others wait.

Everything after the migrations (serialising the contents for serialized
rollback, the cache table, tear-down) stays Django's own.

Off switches: ``LMS_TEST_DB_TEMPLATE=0`` (migrate as before) and pytest's
``--create-db`` (rebuild the template). ``make clean`` removes the SQLite
cache; ``lms_test_template_*`` databases can be dropped at any time.
"""

import contextlib
import fcntl
import hashlib
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".test-db-cache"
IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.MULTILINE)


def enabled():
    return os.environ.get("LMS_TEST_DB_TEMPLATE", "1").lower() not in ("0", "no", "off", "false")


def _project_module_file(name):
    top = name.split(".")[0]
    if top.startswith(".") or not (ROOT / top / "apps.py").is_file():
        return None
    spec = importlib.util.find_spec(name)
    return Path(spec.origin) if spec is not None and spec.origin else None


def template_key(connection):
    """A short hash of everything the migrated database depends on."""
    import django
    import wagtail
    import wagtail_modeltranslation
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()

    def add(*parts):
        for part in parts:
            digest.update(str(part).encode() + b"\0")

    add(connection.vendor, django.get_version(), wagtail.__version__, wagtail_modeltranslation.__version__)
    add(settings.INSTALLED_APPS, [code for code, _name in settings.LANGUAGES], settings.LANGUAGE_CODE)
    add(*(getattr(settings, name) for name in dir(settings) if "MODELTRANSLATION" in name))
    extra = set()
    for app_config in apps.get_app_configs():
        app_path = Path(app_config.path)
        if ROOT in app_path.parents and (ROOT / ".venv") not in app_path.parents:
            extra.update(p for p in (app_path / "apps.py", app_path / "translation.py") if p.exists())
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for folder in getattr(module, "__path__", ()):
            for path in sorted(Path(folder).glob("*.py")):
                source = path.read_bytes()
                add(app_config.label, path.name)
                digest.update(source)
                for match in IMPORT.finditer(source.decode("utf-8", "replace")):
                    found = _project_module_file(match[1] or match[2])
                    if found is not None:
                        extra.add(found)
    for path in sorted(extra):
        add(path.relative_to(ROOT))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


BUILD = """
import sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, run_syncdb=True, verbosity=0)
call_command("createcachetable", verbosity=0)
if len(sys.argv) > 1:  # SQLite: migrated in memory (no fsync per DDL), saved once
    import sqlite3
    target = sqlite3.connect(sys.argv[1])
    connection.connection.backup(target)
    target.close()
"""


def _migrate(database_url, *args):
    """Run the migrations into ``database_url`` in a separate process, as
    ``make migrate`` would (the settings module is the tests')."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    subprocess.run([sys.executable, "-c", BUILD, *args], env=env, check=True, cwd=ROOT)


@contextlib.contextmanager
def _file_lock(path):
    path.parent.mkdir(exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite(connection, key, rebuild):
    import sqlite3

    template = CACHE / f"sqlite-{key}.sqlite3"
    with _file_lock(CACHE / f"sqlite-{key}.lock"):
        if rebuild or not template.exists():
            building = template.with_suffix(f".building-{os.getpid()}")
            building.unlink(missing_ok=True)
            _migrate("sqlite://:memory:", str(building))
            os.replace(building, template)
            for stale in CACHE.glob("sqlite-*.sqlite3"):
                if stale != template:
                    stale.unlink(missing_ok=True)
                    stale.with_suffix(".lock").unlink(missing_ok=True)
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _postgresql(connection, key, rebuild):
    template = f"lms_test_template_{key}"
    target = connection.settings_dict["NAME"]
    params = connection.settings_dict
    connection.close()
    with connection._nodb_cursor() as cursor:
        quote = connection.ops.quote_name
        # One builder/cloner at a time on this server (other checkouts too).
        cursor.execute("SELECT pg_advisory_lock(hashtext('lms-test-template'))")
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
            if rebuild or not exists:
                building = f"{template}_building"
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
                cursor.execute(f"CREATE DATABASE {quote(building)}")
                auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
                host = params.get("HOST") or "localhost"
                port = params.get("PORT") or 5432
                _migrate(f"postgres://{auth}@{host}:{port}/{building}")
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('lms-test-template'))")


LOADERS = {"sqlite": _sqlite, "postgresql": _postgresql}


@contextlib.contextmanager
def migrations_from_template(rebuild=False):
    """While active, the ``migrate`` that Django's ``create_test_db`` runs on
    a fresh test database copies the template instead (built if missing)."""
    from django.core import management
    from django.db import connections

    real = management.call_command

    def call_command(name, *args, **options):
        alias = options.get("database")
        if name == "migrate" and not args and alias is not None and options.get("run_syncdb"):
            connection = connections[alias]
            loader = LOADERS.get(connection.vendor)
            if loader is not None and connection.settings_dict["TEST"].get("MIGRATE", True) is not False:
                loader(connection, template_key(connection), rebuild)
                return None
        return real(name, *args, **options)

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = real
