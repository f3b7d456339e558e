"""Benchmark: importing 10,000 people from a CSV file (onboarding.importing).

Imports a generated file of N people (default 10,000) into a fresh agency
and reports the wall time, the number of SQL queries (bulk inserts: they must
not grow per row beyond a batch constant) and the peak Python memory of the
import (tracemalloc, measured in a second import of a different file of the
same size so that tracing does not slow the timed run). It then imports the
first file again, which must create nobody, and reports that time too.

The welcome e-mails are enqueued on commit to django_tasks' dummy backend
(they are sent by the worker in production, not by the import).

Runs on its own: a temporary SQLite database by default, or the database
named by --database-url (it must be a scratch database: the benchmark
migrates it and adds agencies and people).
Usage: python bench/bulk_import.py [--rows 10000] [--database-url URL]
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="people in the file (default 10000)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_IMPORT_DATABASE_URL"))
    return parser.parse_args()


def make_file(rows, tag):
    lines = ["name,email,language"]
    for i in range(rows):
        language = "es" if i % 3 == 0 else "en"
        lines.append(f"Persona {tag} {i:05d} Núñez,person.{tag}.{i:05d}@bench.example,{language}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def setup(database_url):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Keep the enqueued welcome e-mails (the worker sends them in production).
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    ).enable()

    call_command("migrate", "--noinput", verbosity=0)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench_import.sqlite3"
        setup(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from lms.models import Agency
        from onboarding.importing import import_people

        def agency(acronym):
            return Agency.objects.get_or_create(
                acronym=acronym, defaults={"name_en": acronym, "name_es": acronym, "country": "US", "level": "federal"}
            )[0]

        first, second = make_file(args.rows, "a"), make_file(args.rows, "b")
        target = agency("BENCH-A")
        with CaptureQueriesContext(connection) as queries:
            start, cpu_start = time.perf_counter(), time.process_time()
            result = import_people(first, "people.csv", agency=target)
            seconds = time.perf_counter() - start
            cpu_seconds = time.process_time() - cpu_start
        assert result.ok and len(result.new) == args.rows, result.errors[:5]
        query_count = len(queries)

        tracemalloc.start()
        result_b = import_people(second, "people-b.csv", agency=agency("BENCH-B"))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result_b.ok and len(result_b.new) == args.rows

        start = time.perf_counter()
        again = import_people(first, "people.csv", agency=target)
        again_seconds = time.perf_counter() - start
        assert again.ok and not again.new and again.existing == args.rows

        engine = connection.vendor
        print(f"database: {engine}; file: {len(first) / 1024:.0f} KiB, {args.rows} rows (BOM, CRLF)")
        print(
            f"import: {seconds:.2f} s wall, {cpu_seconds:.2f} s CPU, {query_count} SQL queries, peak Python memory {peak / 2**20:.1f} MiB"
        )
        print(f"re-import of the same file: {again_seconds:.2f} s, created {len(again.new)}")
        print(
            f"bench bulk_import: rows={args.rows} seconds={seconds:.2f} queries={query_count} "
            f"peak_mb={peak / 2**20:.1f} cpu_seconds={cpu_seconds:.2f} reimport_seconds={again_seconds:.2f} database={engine}"
        )


if __name__ == "__main__":
    main()
