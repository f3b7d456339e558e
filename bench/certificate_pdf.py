"""Benchmark: certificate PDFs, rendered and issued.

1. Rendering. The median warm render time of one certificate (the demo's
   bilingual template; Django template and QR code included) the way
   certificates.rendering does it (pre-subset fonts loaded with @font-face,
   stylesheet and font configuration parsed once per thread) beside the same
   HTML rendered naively (system DejaVu fonts named in font-family, no
   @font-face, WeasyPrint's defaults: a fresh stylesheet and font
   configuration per render), alternating the two in one run. The headline
   is CPU time (the machine is shared); wall time is printed too. Goal:
   ours/naive <= 0.5, PDF under 150 KB. Ours is tagged PDF/A-3a + PDF/UA-1;
   the same render with WeasyPrint's default options (untagged, as before
   issue 12) alternates with it: goal ours/untagged <= 1.10.
2. Issuing. 1,000 completed enrolments issued through the task queue on
   PostgreSQL (django_tasks_db backend, ``manage.py db_worker --batch`` in a
   subprocess): total time, every serial unique, peak RSS of the worker.

Runs on its own: it drops and recreates its database (default
postgres://postgres@127.0.0.1:5432/bench_cert) and keeps PDFs in a temporary
folder. Usage: python bench/certificate_pdf.py [--renders 30] [--certificates 1000] [--workers 1]
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_cert"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--renders",
        type=int,
        default=30,
        help="timed renders of each kind (default 30)",
    )
    parser.add_argument(
        "--certificates",
        type=int,
        default=1000,
        help="certificates to issue (default 1000)",
    )
    parser.add_argument("--workers", type=int, default=1, help="db_worker processes (default 1)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CERT_DATABASE_URL", DEFAULT_DB))
    return parser.parse_args()


def recreate_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_environment(args, media_root):
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": args.database_url,
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(media_root),
        # Certificate PDFs are private files (STORAGES["private"]).
        "PRIVATE_MEDIA_ROOT": str(media_root / "private"),
        "SITE_URL": "https://training.example.org",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return {**os.environ, **env}


# ---------------------------------------------------------------- rendering


def sample_certificate():
    from certificates.models import Certificate

    return Certificate(
        serial="AC-2026-000042",
        code="Xq3vB9wK2mR7tY4uP8sD1fG6hJ0kL5zN",
        holder_name="María José Hernández Núñez",
        course_code="AC-100",
        course_title_en="Export law: what makes taking a firearm out of the U.S. a crime",
        course_title_es="Ley de exportación: qué convierte en delito sacar un arma de EE. UU.",
        credit_hours=Decimal("2.5"),
        language="es",
        issued_on=datetime.date(2026, 11, 27),
        expires_on=datetime.date(2027, 11, 27),
    )


def demo_template():
    from certificates.demo import DEFAULT_TEMPLATE
    from certificates.models import CertificateTemplate

    return CertificateTemplate(name="Default (bilingual)", **DEFAULT_TEMPLATE)


def bench_rendering(renders):
    """Median warm render of one certificate, ours and naive, alternating.
    Both start from the certificate (template rendering and QR code
    included); CPU time is the headline because this machine is shared, wall
    time is printed beside it."""
    import weasyprint
    from django.template.loader import render_to_string
    from django.utils import translation

    from certificates import rendering

    translation.activate("en")
    certificate, template = sample_certificate(), demo_template()

    def ours():
        return rendering.render_pdf(certificate, template).content

    def untagged():
        # Ours as it was before certificates became tagged PDF/A-3a + PDF/UA-1:
        # WeasyPrint's default options. Goal: ours within 10 % of this.
        return rendering.render_pdf(certificate, template, options={}).content

    def naive():
        # As a first implementation would do it: the same markup and styles
        # with the system fonts named in font-family (no @font-face), and
        # WeasyPrint's defaults (a new font configuration and stylesheet
        # parse per document, default options).
        html, _files, context = rendering.render_html(certificate, template, embedded_fonts=False)
        css = render_to_string("certificates/pdf/certificate.css", context)
        html = html.replace("</head>", f"<style>{css}</style></head>")
        return weasyprint.HTML(string=html, base_url=rendering.BASE_URL).write_pdf()

    started = time.perf_counter()
    ours()
    first_ms = (time.perf_counter() - started) * 1000
    for _ in range(3):
        ours()
        untagged()
        naive()
    timings = {"ours": ([], []), "untagged": ([], []), "naive": ([], [])}
    sizes = {}
    for _ in range(renders):
        for name, function in (("ours", ours), ("untagged", untagged), ("naive", naive)):
            wall, cpu = time.perf_counter(), time.process_time()
            sizes[name] = len(function())
            timings[name][0].append((time.perf_counter() - wall) * 1000)
            timings[name][1].append((time.process_time() - cpu) * 1000)
    result = {
        "first_ms": first_ms,
        "kb": sizes["ours"] / 1024,
        "naive_kb": sizes["naive"] / 1024,
        "untagged_kb": sizes["untagged"] / 1024,
    }
    for name, (wall, cpu) in timings.items():
        result[f"{name}_wall"] = statistics.median(wall)
        result[f"{name}_cpu"] = statistics.median(cpu)
    return result


# ---------------------------------------------------------------- issuing


def prepare_enrolments(count):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from courses.models import CourseIndexPage, CoursePage, Enrollment
    from lms.models import Agency, Profile
    from lms.site_setup import ensure_site

    call_command("migrate", "--noinput", verbosity=0)
    call_command("update_translation_fields", verbosity=0)
    ensure_site()
    index = CourseIndexPage.objects.get()
    course = CoursePage(
        title_en="Smuggling methods and red flags",
        title_es="Métodos de tráfico y señales de alerta",
        slug_en="bench-smuggling-methods",
        slug_es="bench-metodos-de-trafico",
        code="AC-BENCH",
        summary_en="Benchmark course.",
        summary_es="Curso de prueba de rendimiento.",
        credit_hours=Decimal("3.0"),
        validity_months=24,
    )
    index.add_child(instance=course)
    revision = course.save_revision()
    revision.publish()
    agency, _ = Agency.objects.get_or_create(
        acronym="BENCH",
        defaults={
            "name_en": "Bench agency",
            "name_es": "Dependencia de prueba",
            "country": "MX",
            "level": "federal",
        },
    )
    User = get_user_model()
    now = timezone.now()
    firsts = [
        "María José",
        "José Ángel",
        "Ana",
        "Iñaki",
        "Taylor",
        "Chris",
        "Dana",
        "Lucía",
    ]
    lasts = [
        "Hernández Núñez",
        "Peña",
        "Brooks",
        "Muñoz",
        "Whitfield",
        "Ibáñez",
        "Moreno",
        "Gómez",
    ]
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"bench{n:05d}",
                first_name=firsts[n % len(firsts)],
                last_name=lasts[(n // len(firsts)) % len(lasts)],
                email=f"bench{n:05d}@example.org",
            )
            for n in range(count)
        )
        Profile.objects.bulk_create(
            Profile(user=user, agency=agency, preferred_language="es" if n % 2 else "en")
            for n, user in enumerate(users)
        )
        enrolments = Enrollment.objects.bulk_create(
            Enrollment(
                user=user,
                course=course,
                cycle=1,
                completed_at=now,
                completed_revision=revision,
                is_current=True,
            )
            for user in users
        )
    return [enrolment.pk for enrolment in enrolments]


def enqueue(enrolment_ids):
    from django.db import transaction

    from certificates.tasks import issue_certificate_task

    with transaction.atomic():
        for pk in enrolment_ids:
            issue_certificate_task.enqueue(pk)


def run_workers(env, workers):
    """Start ``workers`` db_worker --batch processes; wait; return wall time
    and each worker's peak RSS (MiB, from wait4's rusage)."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "-v",
        "0",
    ]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(workers)]
    peaks, codes = [], []
    for process in processes:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        codes.append(process.returncode)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return time.perf_counter() - started, peaks, codes


def bench_issuing(env, count, workers):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from certificates import demo
    from certificates.models import Certificate

    ids = prepare_enrolments(count)
    demo.load()  # the default, bilingual template issued certificates use
    enqueue(ids)
    connection.close()
    seconds, peaks, codes = run_workers(env, workers)
    serials = list(Certificate.objects.values_list("serial", flat=True))
    statuses = {}
    for status in DBTaskResult.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    sizes = [Path(path).stat().st_size for path in Path(os.environ["PRIVATE_MEDIA_ROOT"]).rglob("*.pdf")]
    return {
        "seconds": seconds,
        "issued": len(serials),
        "unique": len(set(serials)),
        "per_certificate": len({c for c in Certificate.objects.values_list("enrollment_id", flat=True)}),
        "statuses": statuses,
        "rss_mib": max(peaks),
        "exit_codes": codes,
        "max_kb": max(sizes) / 1024 if sizes else 0,
    }


def main():
    args = parse_args()
    recreate_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="bench-cert-") as media_root:
        env = setup_environment(args, media_root)
        render = bench_rendering(args.renders)
        ratio = render["ours_cpu"] / render["naive_cpu"]
        wall_ratio = render["ours_wall"] / render["naive_wall"]
        print(f"render: first in process {render['first_ms']:.0f} ms (wall)")
        print(
            f"render: median of {args.renders} warm renders, CPU: ours {render['ours_cpu']:.1f} ms, "
            f"naive {render['naive_cpu']:.1f} ms, ratio {ratio:.2f} (goal <= 0.5)"
        )
        print(
            f"render: median of {args.renders} warm renders, wall: ours {render['ours_wall']:.1f} ms, "
            f"naive {render['naive_wall']:.1f} ms, ratio {wall_ratio:.2f}; "
            f"PDF ours {render['kb']:.1f} KB, naive {render['naive_kb']:.1f} KB (limit 150 KB)"
        )
        tagged_ratio = render["ours_cpu"] / render["untagged_cpu"]
        print(
            f"render: tagged PDF/A-3a + PDF/UA-1 {render['ours_cpu']:.1f} ms CPU, {render['kb']:.1f} KB; "
            f"untagged (before) {render['untagged_cpu']:.1f} ms, {render['untagged_kb']:.1f} KB; "
            f"ratio {tagged_ratio:.2f} (goal <= 1.10)"
        )
        print(f"render: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        issue = bench_issuing(env, args.certificates, args.workers)
        per_second = issue["issued"] / issue["seconds"] if issue["seconds"] else 0
        print(
            f"issue: {issue['issued']} certificates by {args.workers} db_worker(s) in {issue['seconds']:.1f} s "
            f"({per_second:.1f}/s); unique serials {issue['unique']}; enrolments with a certificate "
            f"{issue['per_certificate']}; task results {issue['statuses']}; worker exit codes {issue['exit_codes']}"
        )
        print(f"issue: worker peak RSS {issue['rss_mib']:.0f} MiB; largest PDF {issue['max_kb']:.1f} KB")
        ok = issue["issued"] == issue["unique"] == args.certificates
        print(
            f"bench certificate_pdf: ratio={ratio:.2f} ms={render['ours_cpu']:.1f} kb={render['kb']:.1f} "
            f"naive_ms={render['naive_cpu']:.1f} tagged_ratio={tagged_ratio:.2f} untagged_ms={render['untagged_cpu']:.1f} wall_ratio={wall_ratio:.2f} wall_ms={render['ours_wall']:.1f} issued={issue['issued']} issue_s={issue['seconds']:.1f} "
            f"per_s={per_second:.1f} unique_serials={'yes' if ok else 'NO'} worker_rss_mib={issue['rss_mib']:.0f}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
