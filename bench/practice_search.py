"""Benchmark: searching a practice case database of 50,000 seed records.

    python bench/practice_search.py [--runs N] [--records N]

Uses DATABASE_URL when set; otherwise its own PostgreSQL database
postgres://postgres@127.0.0.1:5432/bench_practice (created when missing), or
a SQLite file when PostgreSQL is unreachable. Migrates (which creates the
pg_trgm indexes on PostgreSQL), builds a course > module > exercise whose
seed database has N generated records (the demo generator, with its name
lists and mix of calibres, makes, ports and dates; kept between runs), and
a trainee's attempt. Then alternates, in one process, a realistic mix of
searches through the search service (name variant, serial fragment,
filters with a date range, linked records; each one recorded in the search
log as in real use) with a plain primary-key lookup of a record. Prints the
medians per kind, the SQL queries of each search, and ends with one line
``bench practice_search: ...``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_practice"
SQLITE_URL = "sqlite:////tmp/bench_practice.sqlite3"
CODE = "BENCH-PRACTICE"


def choose_database():
    """DATABASE_URL if set, else our PostgreSQL database, else SQLite."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_practice'").fetchone():
                conn.execute('CREATE DATABASE "bench_practice"')
                print("created database bench_practice")
        return PG_URL
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"PostgreSQL unreachable ({error.__class__.__name__}); using SQLite")
        return SQLITE_URL


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("update_translation_fields", verbosity=0)


def build_data(records):
    """The exercise with ``records`` seed records (reused when already there) and an open attempt."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import translation

    from courses import progress
    from courses.models import CourseIndexPage, CoursePage, ModulePage
    from lms.site_setup import ensure_site
    from practice.attempts import start_attempt
    from practice.demo import seed_rows
    from practice.models import ExercisePage, PracticeAttempt, RetrievalTask
    from practice.seeds import check_rows, write_seed

    ensure_site()
    course = CoursePage.objects.filter(code=CODE).first()
    exercise = ExercisePage.objects.descendant_of(course).first() if course else None
    if exercise is None or exercise.records.filter(attempt__isnull=True).count() < records:
        if course is not None:
            course.delete()
        index = CourseIndexPage.objects.get()
        with translation.override("en"):
            course = CoursePage(title_en="Bench course", slug_en="bench-practice", code=CODE, summary_en="Bench")
            index.add_child(instance=course)
            course.save_revision().publish()
            module = ModulePage(title_en="Bench module", slug_en="bench-module")
            course.add_child(instance=module)
            module.save_revision().publish()
            exercise = ExercisePage(title_en="Bench exercise", slug_en="bench-exercise", max_attempts=None)
            module.add_child(instance=exercise)
            exercise.save_revision().publish()
            RetrievalTask.objects.create(page=exercise, question_en="Bench", expected_count=1, sort_order=0)
        started = time.perf_counter()
        rows = seed_rows(records)
        data = check_rows(list(enumerate(rows, start=2)), today=date(2026, 12, 31))
        write_seed(exercise, data, batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"seeded {len(data.records)} records in {time.perf_counter() - started:.1f} s")
    user, _created = get_user_model().objects.get_or_create(username="bench-practice-trainee")
    progress.enroll(user, course)
    PracticeAttempt.objects.filter(user=user).delete()
    return exercise, start_attempt(user, exercise)


def search_mix(exercise, rng):
    """Realistic criteria, drawn from the data: (kind, form data)."""
    from practice.models import Firearm, Person, RecordLink

    firearms = list(
        Firearm.objects.filter(record__exercise=exercise).order_by("?").values_list("serial", flat=True)[:200]
    )
    persons = list(
        Person.objects.filter(exercise=exercise, attempt__isnull=True)
        .order_by("?")
        .values_list("given_names", "paternal_surname", "aliases")[:200]
    )
    links = list(
        RecordLink.objects.filter(from_record__exercise=exercise)
        .order_by("?")
        .values_list("to_record__reference", flat=True)[:200]
    )
    ports = ("Nogales, Arizona", "Laredo, Texas", "El Paso, Texas", "San Ysidro, California")
    calibers = ("7.62x39mm", "5.56x45mm", "9mm", ".38 Super")

    def name():
        given, surname, aliases = rng.choice(persons)
        # A variant as people type it: no accents, lower case, sometimes only the alias.
        if aliases and rng.random() < 0.3:
            return aliases.split(";")[0].lower()
        return f"{given.split()[0]} {surname}".lower().replace("á", "a").replace("é", "e").replace("í", "i")

    def serial():
        value = rng.choice(firearms).replace("-", "")
        start = rng.randint(0, max(0, len(value) - 5))
        return value[start : start + 5]

    def filters():
        month = rng.randint(1, 12)
        year = rng.choice((2025, 2026)) if month <= 6 else 2025
        return {
            "kind": "seizure",
            "caliber": rng.choice(calibers),
            "port_of_entry": rng.choice(ports),
            "date_from": f"{year}-{month:02d}-01",
            "date_to": f"{year}-{month:02d}-28",
        }

    return [
        ("name", lambda: {"text": name()}),
        ("serial", lambda: {"serial": serial()}),
        ("filters", filters),
        ("linked", lambda: {"linked_to": rng.choice(links)}),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="Searches of each kind (default 60).")
    parser.add_argument("--records", type=int, default=50_000)
    args = parser.parse_args()
    url = choose_database()
    setup_django(url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practice.models import Record
    from practice.search import search

    exercise, attempt = build_data(args.records)
    records = exercise.records.filter(attempt__isnull=True).count()
    rng = random.Random(7)
    mix = search_mix(exercise, rng)
    pks = list(Record.objects.filter(exercise=exercise).values_list("pk", flat=True)[:5000])

    def one_plain():
        Record.objects.get(pk=rng.choice(pks))

    queries = {}
    for kind, make in mix:  # warm up and count the queries of each kind
        with CaptureQueriesContext(connection) as captured:
            search(attempt, make())
        queries[kind] = len(captured)
    timings = {kind: [] for kind, _make in mix}
    plain = []
    for _run in range(args.runs):
        for kind, make in mix:
            data = make()
            started = time.perf_counter()
            result = search(attempt, data)
            timings[kind].append((time.perf_counter() - started) * 1000)
            assert result.total >= 0
            started = time.perf_counter()
            one_plain()
            plain.append((time.perf_counter() - started) * 1000)
    every = [value for values in timings.values() for value in values]
    median = statistics.median(every)
    plain_median = statistics.median(plain)
    print(f"database: {connection.vendor}, records: {records}, runs per kind: {args.runs}")
    for kind, values in timings.items():
        print(
            f"  {kind:8s} median {statistics.median(values):7.2f} ms  "
            f"p90 {sorted(values)[int(len(values) * 0.9)]:7.2f} ms  queries {queries[kind]}"
        )
    print(f"  plain pk median {plain_median:7.3f} ms")
    per_search = max(queries.values())
    if len(set(queries.values())) != 1:
        print(f"  WARNING: queries differ between kinds: {queries}")
    print(
        f"bench practice_search: ratio={median / plain_median:.1f} median_ms={median:.2f} "
        f"records={records} queries={per_search}"
    )


if __name__ == "__main__":
    main()
