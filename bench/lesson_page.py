"""Benchmark: lesson pages of a 200-lesson course against two baselines.

    python bench/lesson_page.py [--rounds N] [--seconds N] [--connections N] [--trainees N] [--port N]

Runs on its own: production settings (DEBUG off; SECRET_KEY, ALLOWED_HOSTS
and SECURE_SSL_REDIRECT=false set here), DATABASE_URL if set or else its own
PostgreSQL database postgres://postgres@127.0.0.1:5432/bench_lesson (created
when missing). Migrates, collects static files, builds once a course of 200
lessons (4 modules of 50, each lesson about 1,500 words in several blocks),
several enrolled trainees at different points of the course, and two
baselines with the same body as a lesson: the home page, and a bare Wagtail
page (``lms.BarePage``: a title and a body, the same middleware and base
template, no course logic).

Serves with gunicorn (2 workers) and measures requests per second with a
small threaded Python loop (keep-alive connections). The lesson load is a
realistic mix: every connection walks its own rotation of 40 lessons spread
over the four modules, as a different trainee for each request, so no lesson
stays hot in one worker's memory; the baselines are requested with the same
trainees' sessions. The three pages are measured in alternating short rounds
(the order rotating each round) and the medians of the per-round ratios are
reported, so other load on the machine weighs on all alike. Prints the
figures and the SQL queries of one request of each, and ends with
``bench lesson_page: ratio=<lesson/home> ratio_bare=<lesson/bare> ...``.
"""

import argparse
import os
import secrets
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
USERNAME = "bench-trainee-{n}"
MIX = 40

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
    call_command("createcachetable", verbosity=0)  # production's cache without REDIS_URL
    call_command("update_translation_fields", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def build_data(trainees):
    """The course, the trainees and the two baselines; built once (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import translation

    from courses import progress, structure
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from lms.models import BarePage, HomePage
    from lms.roles import TRAINEES
    from lms.site_setup import ensure_site

    ensure_site()
    index = CourseIndexPage.objects.get()
    course = CoursePage.objects.filter(code=CODE).first()
    if course is None:
        started = time.perf_counter()
        with transaction.atomic(), translation.override("en"), structure.batch():
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
    # Every fifth lesson: 40 lessons, ten in each module.
    mix = lessons[:: max(1, len(lessons) // MIX)][:MIX]

    users = []
    for n in range(1, trainees + 1):
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME.format(n=n), defaults={"first_name": "Bench"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=TRAINEES))
        progress.enroll(user, course)
        # Trainees at different points of the course.
        for lesson in lessons[: 10 * n]:
            progress.complete_step(user, lesson)
        users.append(user)

    target = mix[len(mix) // 2]
    body_html = str(target.body_en)
    home = HomePage.objects.get()
    if home.body_en != body_html:
        home.body_en = body_html
        home.body_es = body_html
        home.save()
    bare = BarePage.objects.child_of(home).first()
    if bare is None:
        with translation.override("en"):
            bare = BarePage(title_en="Bare page", title_es="Página simple", slug_en="bare", slug_es="simple")
            home.add_child(instance=bare)
    if bare.body_en != body_html:
        bare.body_en = body_html
        bare.body_es = body_html
        bare.save_revision().publish()
    return users, mix, bare


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
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


def measure(base, requests, seconds, connections):
    """Requests per second of ``connections`` threads with keep-alive, each
    walking ``requests`` ([(path, cookie)]) from its own starting point."""
    import http.client

    parts = urlsplit(base)
    stop = time.time() + seconds
    counts = [0] * connections
    errors = []

    def worker(index):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        position = index * max(1, len(requests) // connections)
        while time.time() < stop:
            path, cookie = requests[position % len(requests)]
            position += 1
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
                return
            counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts) / (time.time() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each measuring run")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs of each page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--trainees", type=int, default=6)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    ensure_database(database_url)
    configure_environment(database_url)
    setup_django()
    users, mix, bare = build_data(args.trainees)
    cookies = [session_cookie(user) for user in users]
    lesson_paths = [lesson.get_url() for lesson in mix]
    home_path, bare_path = "/en/", bare.get_url()
    # Each trainee walks the lessons in its own order; interleaved, so
    # consecutive requests are different trainees on different lessons.
    lesson_requests = [
        (lesson_paths[(i * 7 + t * 11) % len(lesson_paths)], cookies[t])
        for i in range(len(lesson_paths))
        for t in range(len(cookies))
    ]
    pages = {
        "lesson": lesson_requests,
        "home": [(home_path, cookie) for cookie in cookies],
        "bare": [(bare_path, cookie) for cookie in cookies],
    }
    queries = {
        "lesson": count_queries(lesson_paths[-1], cookies[0]),
        "home": count_queries(home_path, cookies[0]),
        "bare": count_queries(bare_path, cookies[0]),
    }
    from django.db import connections

    connections.close_all()

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        status, html = fetch(base + lesson_paths[-1], cookies[0])
        assert status == 200 and "Mark as complete" in html and mix[-1].title_en in html, "not an enrolled lesson view"
        status, html = fetch(base + bare_path, cookies[0])
        assert status == 200 and "Bare page" in html, "not the bare page"
        for name in pages:  # warm both workers
            for path, cookie in pages[name][:12]:
                fetch(base + path, cookie)
        # Alternate short runs of the three pages, rotating the order: load
        # from other processes on the machine then weighs on all alike.
        order = list(pages)
        rounds = []
        for number in range(args.rounds):
            rps = {}
            for name in order[number % 3 :] + order[: number % 3]:
                rps[name] = measure(base, pages[name], args.seconds, args.connections)
            rounds.append(rps)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(key):
        return statistics.median(key(r) for r in rounds)

    ratio = median(lambda r: r["lesson"] / r["home"])
    ratio_bare = median(lambda r: r["lesson"] / r["bare"])
    rps = {name: median(lambda r, name=name: r[name]) for name in pages}
    for number, r in enumerate(rounds, 1):
        print(
            f"round {number}: lesson {r['lesson']:.1f} req/s, home {r['home']:.1f} req/s, bare {r['bare']:.1f} req/s, "
            f"ratio {r['lesson'] / r['home']:.2f}, ratio_bare {r['lesson'] / r['bare']:.2f}"
        )
    lessons = MODULES * LESSONS_PER_MODULE
    print(
        f"lesson pages ({lessons}-lesson course, {len(lesson_paths)} lessons over {MODULES} modules, "
        f"{len(cookies)} enrolled trainees): {rps['lesson']:.1f} req/s, {queries['lesson']} queries"
    )
    print(f"home page (same body, same sessions): {rps['home']:.1f} req/s, {queries['home']} queries")
    print(f"bare page (lms.BarePage, same body, same sessions): {rps['bare']:.1f} req/s, {queries['bare']} queries")
    print(f"medians of {len(rounds)} alternating rounds of {args.seconds} s each, {args.connections} connections")
    vendor = urlsplit(database_url).scheme.split("+")[0]
    print(
        f"bench lesson_page: ratio={ratio:.2f} ratio_bare={ratio_bare:.2f} queries={queries['lesson']} "
        f"home_queries={queries['home']} bare_queries={queries['bare']} lesson_rps={rps['lesson']:.1f} "
        f"home_rps={rps['home']:.1f} bare_rps={rps['bare']:.1f} lessons={lessons} mix={len(lesson_paths)} "
        f"trainees={len(cookies)} workers=2 db={vendor}"
    )


if __name__ == "__main__":
    main()
