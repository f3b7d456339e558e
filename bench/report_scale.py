"""Benchmark: the certification-by-agency report and the people export at
100,000 synthetic trainees on PostgreSQL.

    python bench/report_scale.py [--trainees N] [--runs N]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_report): creates it, migrates and
runs ``generate_population`` when it is empty, and reuses the population on
later runs. The headline compares the whole HTML request of the
administrator's certification-by-agency page (default: required
certifications) with a plain GROUP BY over the base tables (enrolments,
profiles, certificates: the simplest SQL that counts per agency, not a copy
of the report's own query shape), the two alternating in one run. Also
prints the report's data time and query count, the EXPLAIN (ANALYZE) of the
report's query and of the baseline, and the rows per second and peak memory
growth of a streamed CSV export of every person. Ends with one line
``bench report_scale: ratio=<html / plain GROUP BY> ms=<html> ...``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_report"


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def rss_kb(field):
    """A memory figure of this process from /proc/self/status, in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Reset VmHWM (peak RSS) so it measures only what follows (Linux)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def alternate(first, second, runs):
    """Medians (ms) of ``first`` and ``second`` run one after the other,
    ``runs`` times each, so both see the same machine load."""
    times = ([], [])
    for _ in range(runs):
        for fn, bucket in zip((first, second), times, strict=True):
            start = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


#: The baseline: per agency, plain GROUP BYs over the base tables, the
#: simplest SQL that counts trainees, enrolled / completed enrolments and
#: current / expiring certificates.
PLAIN_SQL = (
    "SELECT agency_id, count(*) FROM lms_profile WHERE agency_id IS NOT NULL GROUP BY agency_id",
    """SELECT p.agency_id, count(*), count(*) FILTER (WHERE e.completed_at IS NOT NULL)
    FROM courses_enrollment e JOIN lms_profile p ON p.user_id = e.user_id
    WHERE e.is_current GROUP BY p.agency_id""",
    """SELECT p.agency_id,
        count(*) FILTER (WHERE c.revoked_at IS NULL AND (c.expires_on IS NULL OR c.expires_on > %(today)s)),
        count(*) FILTER (WHERE c.revoked_at IS NULL AND c.expires_on > %(today)s
                         AND c.expires_on <= %(today)s + 90)
    FROM certificates_certificate c JOIN lms_profile p ON p.user_id = c.holder_id
    WHERE c.superseded_at IS NULL GROUP BY p.agency_id""",
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    # The bench measures the report, not the administrator's second-factor step.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", "--noinput", verbosity=0)
    call_command("update_translation_fields", verbosity=0)
    from django.contrib.auth import get_user_model

    from lms.models import trainees
    from tracking import population, stats
    from tracking.criteria import Criteria
    from tracking.exports import csv_value

    User = get_user_model()
    if not population.synthetic_users().exists():
        started = time.perf_counter()
        call_command("generate_population", trainees=args.trainees, verbosity=1)
        print(f"generated the population in {time.perf_counter() - started:.1f} s")
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"email": "bench-admin@synthetic.invalid", "is_superuser": True}
    )
    admin.is_superuser = admin.is_staff = True
    admin.save()
    people = User.objects.filter(profile__agency__isnull=False).count()
    print(f"people with an agency: {people}")
    from certificates.models import Certificate
    from courses.models import Enrollment

    print(f"enrolments: {Enrollment.objects.count()}, certificates: {Certificate.objects.count()}")

    from tracking.models import CertificationState

    if CertificationState.objects.count() < trainees().count():
        started = time.perf_counter()
        call_command("refresh_certification_states", verbosity=1)
        print(f"built the certification states in {time.perf_counter() - started:.1f} s")

    criteria = Criteria()
    admin = User.objects.get(pk=admin.pk)
    report = stats.agency_report(admin, criteria)  # warm up (and cache permissions)
    report_ms = median_ms(lambda: stats.agency_report(admin, criteria), args.runs)

    def plain():
        with connection.cursor() as cursor:
            for sql in PLAIN_SQL:
                cursor.execute(sql, {"today": criteria.today})
                cursor.fetchall()

    # The stored states against a live computation from the base tables
    # (the same conditions): they must say the same.
    from tracking import certification

    live = {}
    people_qs = trainees().filter(profile__agency_id__in=[row.agency_id for row in report.rows])
    for state in certification.compute_states(people_qs, criteria).values():
        live.setdefault(state.agency_id, []).append(state)
    for row in report.rows:
        expected = certification.counts(live.get(row.agency_id, []), criteria.today)
        got = {name: getattr(row, name) for name in stats.FIGURES}
        assert expected == got, (row.acronym, expected, got)
    print(f"agencies: {len(report.rows)}; the stored states and a live computation agree on every figure")

    client = Client()
    client.force_login(admin)
    url = reverse("tracking_admin:agencies")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    html_queries = len(captured)

    def html():
        response = client.get(url)
        assert response.status_code == 200

    plain()
    html_ms, plain_ms = alternate(html, plain, args.runs)

    print("\nEXPLAIN (ANALYZE) of the report's GROUP BY (stored states):")
    agency_ids = [row.agency_id for row in report.rows]
    for line in stats.stored_counts_queryset(criteria, agency_ids).explain(analyze=True).splitlines():
        print("   ", line)
    print("\nEXPLAIN (ANALYZE) of the plain GROUP BY baseline:")
    with connection.cursor() as cursor:
        for sql in PLAIN_SQL:
            cursor.execute("EXPLAIN (ANALYZE) " + sql, {"today": criteria.today})
            for (line,) in cursor.fetchall():
                print("   ", line)
            print()

    print("\nStreaming CSV export of every person (people view):")
    rss_before = rss_kb("VmRSS")
    reset_peak_rss()
    start = time.perf_counter()
    response = client.get(reverse("tracking_admin:people"), {"export": "csv"})
    lines = size = 0
    for chunk in response.streaming_content:
        lines += 1
        size += len(chunk)
    elapsed = time.perf_counter() - start
    growth_mb = (rss_kb("VmHWM") - rss_before) / 1024
    rows_per_s = lines / elapsed
    print(
        f"  {lines} lines, {size / 1e6:.1f} MB in {elapsed:.1f} s: {rows_per_s:.0f} rows/s; "
        f"peak RSS growth {growth_mb:.1f} MB (VmHWM after - VmRSS before)"
    )
    assert csv_value("=1") == "'=1"

    ratio = html_ms / plain_ms
    print(
        f"\nreport HTML page (whole request): median {html_ms:.1f} ms, {html_queries} queries; "
        f"plain GROUP BY over the base tables: median {plain_ms:.1f} ms; ratio {ratio:.2f}; "
        f"report data alone: median {report_ms:.1f} ms"
    )
    print(
        f"bench report_scale: ratio={ratio:.2f} ms={html_ms:.1f} plain_ms={plain_ms:.1f} data_ms={report_ms:.1f} "
        f"html_queries={html_queries} people={people} export_rows_per_s={rows_per_s:.0f} "
        f"export_peak_mb={growth_mb:.1f}"
    )


if __name__ == "__main__":
    main()
