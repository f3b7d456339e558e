"""Benchmark: how many trainees taking quizzes at once two cores serve.

    python bench/quiz_load.py [--levels 100,200,...] [--window 60] [--workers 5] [--threads 2]

The production recipe: gunicorn (``deploy/gunicorn.conf.py`` when present,
else its defaults: ``--workers``, ``--threads``) with production settings
(``lms.settings.production``: PostgreSQL with persistent connections and a
statement timeout, Redis as the shared cache, HTTPS as the proxy reports it)
on a loopback port, and PostgreSQL. The client sends what the proxy of
``deploy/`` would add (``X-Forwarded-For`` with one address per trainee,
``X-Forwarded-Proto: https``) and, like that proxy, opens a new connection
for each request. Uses its own database (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/bench_load), rebuilt each run.

Each simulated trainee logs in once through the login form (the production
password hasher), then, again and again: opens the quiz page, reads
(``--read`` seconds on average), starts an attempt, reads the questions,
chooses one answer per question after thinking ``--think`` seconds on
average (each choice posts an autosave, as ``quizzes/static/autosave.js``
does), submits, and reads the result. Think times are drawn uniformly
between half and one and a half times the average.

Trainees are added level by level (``--levels``); a level is measured only
after all its trainees have logged in and ``--settle`` seconds have passed,
over ``--window`` seconds: every request started in the window counts
(page loads, starts, autosaves, submissions, result pages; redirects are
requests of their own). A level passes with zero errors and a 95th
percentile under one second; the run stops at the first level that fails.
Afterwards every trainee finishes the attempt under way, and the database
is checked: every attempt a trainee saw accepted (303 to its result) is
graded exactly once, no attempt is left open, and no graded attempt is one
no trainee submitted. The client runs on the same two cores as the server
(one thread per trainee, regular expressions rather than an HTML parser),
so the figures include its cost. Ends with one line ``bench quiz_load:
users=<largest passing level> p95_ms=<its p95> errors=0 ...``.
"""

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
CODE = "BENCH-LOAD"
PASSWORD = "Bench-load-password-2026"

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE_RE = re.compile(r'<input type="(?:radio|checkbox)" name="(q-\d+)" value="([^"]+)"')


def environment(url, port):
    """The production settings' environment for this bench."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "TRUSTED_PROXY_COUNT": "1",
        "TASKS_BACKEND": "database",
        "SECURE_HSTS_PRELOAD": "false",
        "AXES_FAILURE_LIMIT": "5",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_data(users, questions, draw):
    """Migrate; a course > module > (lesson, quiz drawing ``draw`` of
    ``questions``) and ``users`` enrolled trainees sharing one password hash.
    A required lesson stays undone, so a passed quiz completes its step and
    not the course (no certificate is issued during the bench)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import translation

    from courses import progress
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from lms.site_setup import ensure_site
    from quizzes.models import Choice, Question, QuizPage, QuizQuestion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("update_translation_fields", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_site()
    index = CourseIndexPage.objects.get()
    with translation.override("en"):
        course = CoursePage(title_en="Load course", slug_en="load-course", code=CODE, summary_en="Bench")
        index.add_child(instance=course)
        course.save_revision().publish()
        module = ModulePage(title_en="Load module", slug_en="load-module")
        course.add_child(instance=module)
        module.save_revision().publish()
        lesson = LessonPage(title_en="Load lesson", slug_en="load-lesson")
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
        quiz = QuizPage(
            title_en="Load quiz",
            slug_en="load-quiz",
            # Answers are chosen at random (one in four is right): a pass
            # needs all ten right, about once in a million attempts.
            pass_mark=100,
            max_attempts=None,
            cooldown_minutes=0,
            draw_count=draw,
            shuffle_questions=True,
            shuffle_choices=True,
        )
        module.add_child(instance=quiz)
        quiz.save_revision().publish()
    for n in range(questions):
        question = Question.objects.create(
            text_en=f"Load question {n}: which statement applies to this scenario?", reference=f"bench-load/{n}"
        )
        Choice.objects.bulk_create(
            Choice(question=question, text_en=f"Option {i} of question {n}", is_correct=i == 0, sort_order=i)
            for i in range(4)
        )
        QuizQuestion.objects.create(page=quiz, question=question, sort_order=n)
    hashed = make_password(PASSWORD)
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"load{n:04d}", email=f"load{n:04d}@example.test", password=hashed) for n in range(users)
    )
    for user in User.objects.filter(username__startswith="load"):
        progress.enroll(user, course)
    quiz = QuizPage.objects.get(pk=quiz.pk)
    return quiz.pk, quiz.get_url()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (started, seconds, ok, label)
        self.errors = []
        self.submitted = set()
        self.passed = 0  # trainees who passed and were refused a new attempt

    def add(self, started, seconds, ok, label, detail=""):
        with self.lock:
            self.samples.append((started, seconds, ok, label))
            if not ok and len(self.errors) < 20:
                self.errors.append(f"{label}: {detail}")


class Trainee(threading.Thread):
    def __init__(self, number, base, quiz_id, quiz_path, args, recorder, stop):
        super().__init__(daemon=True)
        import requests

        self.number = number
        self.base = base
        self.quiz_id = quiz_id
        self.quiz_path = quiz_path
        self.args = args
        self.recorder = recorder
        self.stop = stop
        self.random = random.Random(number)
        self.session = requests.Session()
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.session.headers.update(
            {
                "X-Forwarded-For": address,
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{base.split('//')[1]}/",
                # One connection per request, as nginx (deploy/nginx/lms.conf)
                # sends them to gunicorn.
                "Connection": "close",
            }
        )
        self.logged_in = False
        self.done = False

    # -- one request, timed
    def request(self, label, method, path, expect, data=None, record=True, accept=None):
        started = time.time()
        try:
            # The proxy terminates TLS: the Secure cookies go over loopback.
            cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)
            response = self.session.request(
                method,
                self.base + path,
                data=data,
                headers={"Cookie": cookies},
                allow_redirects=False,
                timeout=self.args.timeout,
            )
            ok = response.status_code in expect and (accept is None or accept(response))
            detail = f"{response.status_code} {path}"
        except Exception as error:  # noqa: BLE001 - any failure is an error to count
            response, ok, detail = None, False, f"{error.__class__.__name__} {path}"
        if record:
            self.recorder.add(started, time.time() - started, ok, label, detail)
        return response if ok else None

    def think(self, average):
        self.stop.wait(self.random.uniform(average / 2, average * 1.5))

    def login(self):
        page = self.request("login page", "GET", "/en/accounts/login/", {200}, record=False)
        token = CSRF_RE.search(page.text).group(1) if page is not None else ""
        response = self.request(
            "login",
            "POST",
            "/en/accounts/login/",
            {302},
            data={"username": f"load{self.number:04d}", "password": PASSWORD, "csrfmiddlewaretoken": token},
            record=False,
        )
        self.logged_in = response is not None and "sessionid" in self.session.cookies
        return self.logged_in

    def run(self):
        self.stop.wait(self.random.uniform(0, self.args.read * 2))  # do not all arrive at once
        while not self.stop.is_set() and not self.done:
            self.one_attempt()

    def one_attempt(self):
        page = self.request("quiz page", "GET", self.quiz_path, {200})
        if page is None:
            self.think(self.args.read)
            return
        token = CSRF_RE.search(page.text).group(1)
        self.think(self.args.read)
        started = self.request(
            "start",
            "POST",
            f"/en/quizzes/{self.quiz_id}/start/",
            {303, 409},
            data={"csrfmiddlewaretoken": token},
            accept=lambda response: response.status_code == 303 or "already passed" in response.text,
        )
        if started is None:
            self.think(self.args.read)
            return
        if started.status_code == 409:
            # The quiz refuses a new attempt to a trainee who passed it: that
            # trainee is done (counted, not an error).
            with self.recorder.lock:
                self.recorder.passed += 1
            self.done = True
            return
        attempt_path = started.headers["Location"]
        form = self.request("attempt page", "GET", attempt_path, {200})
        if form is None:
            return
        token = CSRF_RE.search(form.text).group(1)
        choices = {}
        for name, value in CHOICE_RE.findall(form.text):
            choices.setdefault(name, []).append(value)
        answers = {"csrfmiddlewaretoken": token}
        for name, values in choices.items():
            if not self.stop.is_set():
                self.think(self.args.think)
            answers[name] = self.random.choice(values)
            if not self.stop.is_set():
                self.request(
                    "autosave", "POST", attempt_path, {204}, data={**answers, "action": "save", "autosave": "1"}
                )
        submitted = self.request("submit", "POST", attempt_path, {303}, data={**answers, "action": "submit"})
        if submitted is None:
            return
        with self.recorder.lock:
            self.recorder.submitted.add(int(attempt_path.rstrip("/").rsplit("/", 1)[1]))
        self.request("result page", "GET", submitted.headers["Location"], {200})
        self.think(self.args.read)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_server(args, env):
    config = ROOT / "deploy" / "gunicorn.conf.py"
    command = [str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi:application"]
    if config.exists() and not args.no_config:
        command += ["-c", str(config)]
    command += ["--bind", env["GUNICORN_BIND"], "--workers", str(args.workers), "--threads", str(args.threads)]
    command += ["--worker-class", "gthread" if args.threads > 1 else "sync", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    import requests

    for _ in range(100):
        try:
            requests.get(
                f"http://{env['GUNICORN_BIND']}/favicon.ico",
                headers={"X-Forwarded-Proto": "https"},
                allow_redirects=False,
                timeout=2,
            )
            return server, " ".join(command[1:])
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="100,200,300,400,500,600,700,800")
    parser.add_argument("--window", type=float, default=60, help="seconds measured per level")
    parser.add_argument("--settle", type=float, default=15, help="seconds after the last login before measuring")
    parser.add_argument("--read", type=float, default=5, help="average seconds reading a page")
    parser.add_argument("--think", type=float, default=6, help="average seconds thinking per question")
    parser.add_argument("--questions", type=int, default=20, help="questions in the pool")
    parser.add_argument("--draw", type=int, default=10, help="questions per attempt")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--no-config", action="store_true", help="ignore deploy/gunicorn.conf.py")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = environment(url, args.port)
    os.environ.update(env)
    ensure_database(url)
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    quiz_id, quiz_path = build_data(max(levels), args.questions, args.draw)
    from django.db import connections

    connections.close_all()
    server, command = start_server(args, env)
    print(f"server: gunicorn {command}")
    print(
        f"trainee: read ~{args.read:g} s a page, think ~{args.think:g} s a question, "
        f"{args.draw} of {args.questions} questions an attempt, an autosave per answer"
    )
    recorder = Recorder()
    stop = threading.Event()
    trainees = []
    passed = None
    results = []
    try:
        for level in levels:
            new = [
                Trainee(n, f"http://{env['GUNICORN_BIND']}", quiz_id, quiz_path, args, recorder, stop)
                for n in range(len(trainees), level)
            ]
            login_started = time.time()
            with ThreadPoolExecutor(max_workers=8) as pool:
                logged = sum(pool.map(lambda trainee: trainee.login(), new))
            if logged != len(new):
                print(f"level {level}: only {logged} of {len(new)} logins succeeded; {recorder.errors[:3]}")
                break
            for trainee in new:
                trainee.start()
            trainees += new
            stop.wait(args.settle)
            window_start = time.time()
            stop.wait(args.window)
            window_end = time.time()
            with recorder.lock:
                sample = [s for s in recorder.samples if window_start <= s[0] < window_end]
            latencies = [s[1] * 1000 for s in sample]
            errors = sum(1 for s in sample if not s[2])
            p95 = percentile(latencies, 0.95)
            rps = len(sample) / (window_end - window_start)
            row = {
                "users": level,
                "requests": len(sample),
                "rps": rps,
                "p50": statistics.median(latencies or [0]),
                "p95": p95,
            }
            row.update(errors=errors, logins_s=window_start - login_started - args.settle)
            results.append(row)
            print(
                f"level users={level}: requests={len(sample)} rps={rps:.1f} p50_ms={row['p50']:.0f} "
                f"p95_ms={p95:.0f} max_ms={max(latencies or [0]):.0f} errors={errors} "
                f"(logins took {row['logins_s']:.0f} s)",
                flush=True,
            )
            if errors or p95 >= 1000:
                if errors:
                    print("  errors:", "; ".join(recorder.errors[:5]))
                break
            passed = row
    finally:
        stop.set()
        for trainee in trainees:
            trainee.join(timeout=args.timeout * 2)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # Nothing lost, nothing graded twice.
    from quizzes.models import AttemptStatus, QuizAttempt

    attempts = QuizAttempt.objects.filter(quiz_id=quiz_id)
    graded = set(attempts.filter(score__isnull=False, submitted_at__isnull=False).values_list("pk", flat=True))
    open_left = attempts.filter(status=AttemptStatus.IN_PROGRESS).count()
    lost = len(recorder.submitted - graded)
    unclaimed = len(graded - recorder.submitted)
    print(
        f"attempts: submitted by trainees={len(recorder.submitted)} graded={len(graded)} "
        f"lost={lost} graded_without_submission={unclaimed} left_open={open_left}"
    )
    total_errors = sum(1 for s in recorder.samples if not s[2])
    print(
        f"requests in the whole run: {len(recorder.samples)}, errors {total_errors}, "
        f"trainees who passed and stopped: {recorder.passed}"
    )
    if passed is None:
        print("bench quiz_load: users=0 p95_ms=0 errors=0 (no level passed)")
        return
    print(
        f"bench quiz_load: users={passed['users']} p95_ms={passed['p95']:.0f} errors={passed['errors']} "
        f"p50_ms={passed['p50']:.0f} rps={passed['rps']:.1f} per_core={passed['users'] // (os.cpu_count() or 1)} "
        f"lost={lost} graded_without_submission={unclaimed} left_open={open_left} "
        f"workers={args.workers} threads={args.threads} think_s={args.think:g} read_s={args.read:g}"
    )


if __name__ == "__main__":
    main()
