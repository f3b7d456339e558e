"""Benchmark: a lesson page in a 200-lesson course against a plain Wagtail page.

    python bench/lesson_page.py [--rounds N] [--seconds N] [--connections N]

Runs on its own: production settings (DEBUG off; SECRET_KEY, ALLOWED_HOSTS
and SECURE_SSL_REDIRECT=false set here), DATABASE_URL if set or else its own
PostgreSQL database postgres://postgres@127.0.0.1:5432/bench_lesson (created
when missing). Migrates, collects static files, builds once a course of 200
lessons (4 modules of 50, each lesson about 1,500 words in several blocks),
an enrolled trainee, and sets the same body on the home page (the plain
page). Serves with gunicorn (2 workers) and measures requests per second of
both pages with the trainee's session cookie, with `wrk` when installed
(apt-get install -y wrk) or a small threaded Python loop otherwise, in
alternating short rounds (the median ratio is reported, so other load on
the machine weighs on both pages alike). Prints both figures and the SQL
queries of one warm request of each, and ends with
``bench lesson_page: ratio=<lesson/plain> queries=<n> ...``.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_lesson"
CODE = "BENCH-200"
MODULES = 4
LESSONS_PER_MODULE = 50
USERNAME = "bench-trainee"

SENTENCES = [
    "A straw purchaser with a clean record buys several pistols of the same model within a week.",
    "Officers at the port of entry compare the declared cargo with the weight recorded at the scale.",
    "Ammunition is often split into small loads so that no single crossing looks unusual.",
    "The Arms Export Control Act and the Export Control Reform Act divide authority over firearms exports.",
    "Mexican law reserves most calibres for the armed forces, so a civilian import needs a permit.",
    "Fresh welds, new bolts or carpet glue under a vehicle may point to a hidden compartment.",
    "Record the serial number exactly as stamped, including letters that look like digits.",
    "A trace request connects a recovered firearm with its first retail purchaser in the United States.",
    "Parts kits and unfinished receivers are controlled differently, and the rules changed in recent years.",
    "Cash payments, urgency and a buyer who cannot answer simple questions are classic red flags.",
    "Case entries must name the source of each fact, so that another agency can rely on them.",
    "Cooperation between agencies on both sides of the border turns single seizures into networks.",
]


def words(count, seed):
    out, n = [], 0
    while n < count:
        sentence = SENTENCES[(seed + len(out)) % len(SENTENCES)]
        out.append(sentence)
        n += len(sentence.split())
    return " ".join(out)


def lesson_body(seed):
    """About 1,500 words: headed text, a callout, a citation and key terms."""
    paragraphs = "".join(
        f"<h3>Part {part}</h3><p>{words(110, seed + part)}</p><p>{words(110, seed + part + 3)}</p>"
        for part in range(1, 7)
    )
    return [
        {"type": "rich_text", "value": paragraphs},
        {
            "type": "callout",
            "value": {"kind": "red_flag", "title": "Several buyers, one payer", "text": f"<p>{words(60, seed)}</p>"},
        },
        {
            "type": "citation",
            "value": {
                "reference": "22 U.S.C. § 2778",
                "title": "Arms Export Control Act",
                "quote": words(50, seed + 1),
                "url": "https://www.law.cornell.edu/uscode/text/22/2778",
            },
        },
        {
            "type": "key_terms",
            "value": [{"term": f"Term {n}", "definition": words(25, seed + n)} for n in range(1, 4)],
        },
    ]


# ---------------------------------------------------------------- set-up


def configure_environment(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.production"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database(url):
    """Create the PostgreSQL database named in ``url`` when it is missing."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("update_translation_fields", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def build_data():
    """The course, the trainee and the plain page; built once (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import translation

    from courses import progress
    from courses.models import CoursePage, LessonPage, ModulePage
    from lms.models import HomePage
    from lms.roles import TRAINEES
    from lms.site_setup import ensure_site

    ensure_site()
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.get()
    course = CoursePage.objects.filter(code=CODE).first()
    if course is None:
        started = time.perf_counter()
        with transaction.atomic(), translation.override("en"):
            course = CoursePage(
                title_en="Benchmark course",
                title_es="Curso de referencia",
                slug_en="benchmark-course",
                slug_es="curso-de-referencia",
                code=CODE,
                summary_en="200 lessons.",
                summary_es="200 lecciones.",
            )
            index.add_child(instance=course)
            for m in range(1, MODULES + 1):
                module = ModulePage(
                    title_en=f"Module {m}", title_es=f"Módulo {m}", slug_en=f"module-{m}", slug_es=f"modulo-{m}"
                )
                course.add_child(instance=module)
                for n in range(1, LESSONS_PER_MODULE + 1):
                    seed = m * 100 + n
                    module.add_child(
                        instance=LessonPage(
                            title_en=f"Lesson {m}.{n}",
                            title_es=f"Lección {m}.{n}",
                            slug_en=f"lesson-{n}",
                            slug_es=f"leccion-{n}",
                            intro_en=words(30, seed),
                            intro_es=words(30, seed),
                            body_en=lesson_body(seed),
                            body_es=lesson_body(seed),
                            estimated_minutes=10,
                        )
                    )
        print(f"built {MODULES * LESSONS_PER_MODULE} lessons in {time.perf_counter() - started:.0f} s")
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    target = lessons[len(lessons) // 2]

    user, created = get_user_model().objects.get_or_create(username=USERNAME, defaults={"first_name": "Bench"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=TRAINEES))
    progress.enroll(user, course)
    for lesson in lessons[:20]:
        progress.complete_step(user, lesson)

    home = HomePage.objects.get()
    body_html = str(target.body_en)
    if home.body_en != body_html:
        home.body_en = body_html
        home.body_es = body_html
        home.save()
    return user, target


def session_cookie(user):
    """A signed-in session for ``user``, as the login view would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def count_queries(path, cookie):
    """SQL queries of one warm request through the whole Django stack."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


# ---------------------------------------------------------------- serving


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "lms.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def measure_wrk(url, cookie, seconds, connections):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while measuring {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure_python(url, cookie, seconds, connections):
    """Fallback without wrk: ``connections`` threads with keep-alive."""
    import http.client

    parts = urlsplit(url)
    stop = time.time() + seconds
    counts = [0] * connections

    def worker(index):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.time() < stop:
            conn.request("GET", parts.path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.time() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each measuring run")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs of each page")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    ensure_database(database_url)
    configure_environment(database_url)
    setup_django()
    user, lesson = build_data()
    cookie = session_cookie(user)
    lesson_path, plain_path = lesson.get_url(), "/en/"
    lesson_queries = count_queries(lesson_path, cookie)
    plain_queries = count_queries(plain_path, cookie)
    from django.db import connections

    connections.close_all()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        status, html = fetch(base + lesson_path, cookie)
        assert status == 200 and "Mark as complete" in html and lesson.title_en in html, "not an enrolled lesson view"
        for path in (lesson_path, plain_path):  # warm both workers' caches
            for _ in range(6):
                fetch(base + path, cookie)
        tool = "wrk" if shutil.which("wrk") else "python"
        measure = measure_wrk if tool == "wrk" else measure_python
        # Alternate short runs of both pages: load from other processes on
        # the machine then weighs on both alike; the median ratio is reported.
        rounds = []
        for _ in range(args.rounds):
            lesson_rps = measure(base + lesson_path, cookie, args.seconds, args.connections)
            plain_rps = measure(base + plain_path, cookie, args.seconds, args.connections)
            rounds.append((lesson_rps / plain_rps, lesson_rps, plain_rps))
    finally:
        server.terminate()
        server.wait(timeout=30)

    ratio = statistics.median(r[0] for r in rounds)
    lesson_rps = statistics.median(r[1] for r in rounds)
    plain_rps = statistics.median(r[2] for r in rounds)
    lessons = MODULES * LESSONS_PER_MODULE
    for number, (round_ratio, round_lesson, round_plain) in enumerate(rounds, 1):
        print(
            f"round {number}: lesson {round_lesson:.1f} req/s, plain {round_plain:.1f} req/s, ratio {round_ratio:.2f}"
        )
    print(f"lesson page ({lessons}-lesson course, enrolled trainee): {lesson_rps:.1f} req/s, {lesson_queries} queries")
    print(f"plain page (same body, same session): {plain_rps:.1f} req/s, {plain_queries} queries")
    print(f"median of {len(rounds)} alternating rounds of {args.seconds} s each, {args.connections} connections")
    vendor = urlsplit(database_url).scheme.split("+")[0]
    print(
        f"bench lesson_page: ratio={ratio:.2f} queries={lesson_queries} plain_queries={plain_queries} "
        f"lesson_rps={lesson_rps:.1f} plain_rps={plain_rps:.1f} lessons={lessons} tool={tool} "
        f"workers=2 db={vendor}"
    )


if __name__ == "__main__":
    main()
