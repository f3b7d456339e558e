import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRUBBED = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}


def run_python(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_sqlite_is_the_default_database():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lms.settings.dev'; django.setup();"
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


def test_database_url_selects_postgresql():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lms.settings.dev'; django.setup();"
        "from django.conf import settings; d=settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "somedb", "127.0.0.1"], result.stderr


def test_redis_url_selects_django_redis_cache():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lms.settings.dev'; django.setup();"
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


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
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lms.settings.production'; django.setup()",
        ALLOWED_HOSTS="training.example.org",
        SECRET_KEY="",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


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
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, f"{po}: {result.stderr}"
