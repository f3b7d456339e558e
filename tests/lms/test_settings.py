import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRUBBED = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}


def load_settings(module, **env):
    """Import a settings module afresh under ``env`` (no Django set-up)."""
    saved = {name: sys.modules.pop(name) for name in list(sys.modules) if name.startswith("lms.settings.")}
    old_env = dict(os.environ)
    try:
        for key in SCRUBBED:
            os.environ.pop(key, None)
        os.environ.update(env)
        return importlib.import_module(module)
    finally:
        os.environ.clear()
        os.environ.update(old_env)
        for name in [n for n in sys.modules if n.startswith("lms.settings.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_sqlite_is_the_default_database():
    settings = load_settings("lms.settings.dev")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_database_url_selects_postgresql():
    settings = load_settings("lms.settings.dev", DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb")
    database = settings.DATABASES["default"]
    assert (database["ENGINE"], database["NAME"], database["HOST"]) == (
        "django.db.backends.postgresql",
        "somedb",
        "127.0.0.1",
    )


def test_redis_url_selects_django_redis_cache():
    settings = load_settings("lms.settings.dev", REDIS_URL="redis://127.0.0.1:6379/3")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_database_task_backend_is_selectable():
    settings = load_settings("lms.settings.dev", TASKS_BACKEND="database")
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_production_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SCRUBBED},
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-deploy-check-0123456789",
            "ALLOWED_HOSTS": "training.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings("lms.settings.production", ALLOWED_HOSTS="training.example.org", SECRET_KEY="")


@pytest.mark.django_db
def test_no_missing_migrations():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_spanish_catalogue_is_complete():
    catalogues = sorted(ROOT.glob("locale/es/LC_MESSAGES/django.po")) + sorted(
        p for p in ROOT.glob("*/locale/es/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )
    assert catalogues, "no Spanish catalogue"
    for po in catalogues:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, f"{po}: {result.stderr}"
