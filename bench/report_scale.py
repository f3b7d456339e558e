"""Benchmark: the certification-by-agency report and the people export at
100,000 synthetic trainees on PostgreSQL.

    python bench/report_scale.py [--trainees N] [--runs N]

Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_report): creates it, migrates and
runs ``generate_population`` when it is empty. Prints the median time of the
report's queries beside the median of one hand-written SQL GROUP BY doing the
same counting, the HTML report's time and query count, the EXPLAIN of each
query, and the rows per second and peak memory growth of a streamed CSV
export of every person. Ends with one line ``bench report_scale: ...``.
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


RAW_SQL = """
WITH inactive AS (SELECT id FROM auth_user WHERE NOT is_active),
t AS (
    SELECT agency_id, count(*) AS trainees FROM lms_profile
    WHERE agency_id IS NOT NULL AND user_id NOT IN (SELECT id FROM inactive) GROUP BY agency_id
),
e AS (
    SELECT p.agency_id,
        count(DISTINCT e.user_id) AS enrolled,
        count(DISTINCT e.user_id) FILTER (WHERE e.completed_at IS NULL) AS in_progress,
        count(DISTINCT e.user_id) FILTER (WHERE e.completed_at IS NOT NULL) AS completed
    FROM courses_enrollment e JOIN lms_profile p ON p.user_id = e.user_id
    WHERE e.is_current AND e.user_id NOT IN (SELECT id FROM inactive)
    GROUP BY p.agency_id
),
c AS (
    SELECT p.agency_id,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NULL AND (c.expires_on IS NULL OR c.expires_on > %(today)s)) AS certified,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NULL AND c.expires_on > %(today)s AND c.expires_on <= %(today)s + 30) AS expiring_30,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NULL AND c.expires_on > %(today)s AND c.expires_on <= %(today)s + 60) AS expiring_60,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NULL AND c.expires_on > %(today)s AND c.expires_on <= %(today)s + 90) AS expiring_90,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NULL AND c.expires_on <= %(today)s AND c.holder_id NOT IN (
            SELECT holder_id FROM certificates_certificate WHERE superseded_at IS NULL AND revoked_at IS NULL
            AND (expires_on IS NULL OR expires_on > %(today)s) AND holder_id IS NOT NULL)) AS expired,
        count(DISTINCT c.holder_id) FILTER (WHERE c.revoked_at IS NOT NULL) AS revoked
    FROM certificates_certificate c JOIN lms_profile p ON p.user_id = c.holder_id
    WHERE c.superseded_at IS NULL AND c.holder_id NOT IN (SELECT id FROM inactive)
    GROUP BY p.agency_id
)
SELECT a.id, a.acronym, t.trainees, e.enrolled, e.in_progress, e.completed, c.certified,
       c.expiring_30, c.expiring_60, c.expiring_90, c.expired, c.revoked
FROM lms_agency a
LEFT JOIN t ON t.agency_id = a.id LEFT JOIN e ON e.agency_id = a.id LEFT JOIN c ON c.agency_id = a.id
ORDER BY a.country, a.acronym
"""


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

    criteria = Criteria()
    admin = User.objects.get(pk=admin.pk)
    report = stats.agency_report(admin, criteria)  # warm up (and cache permissions)
    report_ms = median_ms(lambda: stats.agency_report(admin, criteria), args.runs)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, {"today": criteria.today})
            return cursor.fetchall()

    raw_rows = raw()
    raw_ms = median_ms(raw, args.runs)
    by_id = {row[0]: row for row in raw_rows}
    for row in report.rows:
        expected = tuple(value or 0 for value in by_id[row.agency_id][2:])
        got = tuple(getattr(row, name) for name in stats.FIGURES)
        assert expected == got, (row.acronym, expected, got)
    print(f"agencies: {len(report.rows)}; the ORM report and the raw SQL agree on every figure")

    client = Client()
    client.force_login(admin)
    url = reverse("tracking_admin:agencies")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    html_queries = len(captured)
    html_ms = median_ms(lambda: client.get(url), max(3, args.runs // 2))

    print("\nEXPLAIN (ANALYZE) of the report's GROUP BY queries:")
    agency_ids = [row.agency_id for row in report.rows]
    for name, queryset in stats.report_querysets(criteria, agency_ids).items():
        print(f"-- {name}")
        for line in queryset.explain(analyze=True).splitlines():
            print("   ", line)

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

    ratio = report_ms / raw_ms
    print(
        f"\nreport data (ORM, 4 queries): median {report_ms:.1f} ms; "
        f"hand-written SQL GROUP BY: median {raw_ms:.1f} ms; ratio {ratio:.2f}"
    )
    print(f"report HTML page: median {html_ms:.1f} ms, {html_queries} queries")
    print(
        f"bench report_scale: ratio={ratio:.2f} ms={report_ms:.1f} raw_ms={raw_ms:.1f} html_ms={html_ms:.1f} "
        f"html_queries={html_queries} people={people} export_rows_per_s={rows_per_s:.0f} "
        f"export_peak_mb={growth_mb:.1f}"
    )


if __name__ == "__main__":
    main()
