"""Benchmark: submitting a 50-question quiz attempt through the real view.

    python bench/quiz_submit.py [--runs N] [--questions N]

Uses DATABASE_URL when set; otherwise its own PostgreSQL database
postgres://postgres@127.0.0.1:5432/bench_quiz (created when missing), or a
SQLite file when PostgreSQL is unreachable. Migrates, builds a course with a
quiz of N questions, then alternates two authenticated, CSRF-checked POSTs
through the same Django stack (test Client, full middleware): the quiz
submission (grading a fresh attempt each time) and a trivial view that only
checks login and CSRF. Prints the medians, their ratio and the SQL queries
of one submission, and ends with one line ``bench quiz_submit: ...``.
"""

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_quiz"
SQLITE_URL = "sqlite:////tmp/bench_quiz.sqlite3"
CODE = "BENCH-QUIZ"


def choose_database():
    """DATABASE_URL if set, else our PostgreSQL database, else SQLite."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_quiz'").fetchone():
                conn.execute('CREATE DATABASE "bench_quiz"')
                print("created database bench_quiz")
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


def bench_urlconf():
    """The project's URLs plus /bench/plain/: login and CSRF checked, nothing else."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_protect

    import lms.urls

    @login_required
    @csrf_protect
    def plain(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_quiz_urls")
    module.urlpatterns = [path("bench/plain/", plain, name="bench_plain"), *lms.urls.urlpatterns]
    for name in ("handler403", "handler404", "handler500"):
        setattr(module, name, getattr(lms.urls, name))
    return module


def build_data(questions):
    """A fresh course > module > quiz of ``questions`` questions and a trainee."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from courses import progress
    from courses.models import CoursePage, LessonPage, ModulePage
    from lms.site_setup import ensure_site
    from quizzes.models import Choice, Question, QuizPage, QuizQuestion

    ensure_site()
    old = CoursePage.objects.filter(code=CODE).first()
    if old is not None:
        old.delete()
    Question.objects.filter(reference__startswith="bench/").delete()
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.get()
    with translation.override("en"):
        course = CoursePage(title_en="Bench course", slug_en="bench-course", code=CODE, summary_en="Bench")
        index.add_child(instance=course)
        course.save_revision().publish()
        module = ModulePage(title_en="Bench module", slug_en="bench-module")
        course.add_child(instance=module)
        module.save_revision().publish()
        # A required lesson left undone: a passed quiz completes its step, not
        # the course (which would also issue a certificate).
        lesson = LessonPage(title_en="Bench lesson", slug_en="bench-lesson")
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
        quiz = QuizPage(
            title_en="Bench quiz",
            slug_en="bench-quiz",
            pass_mark=100,
            max_attempts=None,
            cooldown_minutes=0,
            shuffle_questions=True,
            shuffle_choices=True,
        )
        module.add_child(instance=quiz)
        quiz.save_revision().publish()
    for n in range(questions):
        question = Question.objects.create(text_en=f"Bench question {n}", reference=f"bench/{n}")
        Choice.objects.bulk_create(
            Choice(question=question, text_en=f"Choice {i}", is_correct=i == 0, sort_order=i) for i in range(4)
        )
        QuizQuestion.objects.create(page=quiz, question=question, sort_order=n)
    user, _created = get_user_model().objects.get_or_create(username="bench-trainee")
    user.set_password("bench-password-123")
    user.save()
    progress.enroll(user, course)
    return QuizPage.objects.get(pk=quiz.pk), user


def answers_for(attempt, right=False):
    from quizzes.models import Choice

    data = {"action": "submit"}
    rows = list(attempt.questions.all())
    choices = Choice.objects.filter(pk__in=[pk for row in rows for pk in row.choice_order])
    by_pk = {choice.pk: choice for choice in choices}
    for row in rows:
        pick = next(by_pk[pk] for pk in row.choice_order if by_pk[pk].is_correct == right)
        data[f"q-{row.pk}"] = str(pick.key)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()
    url = choose_database()
    setup_django(url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from quizzes.attempts import start_attempt

    quiz, user = build_data(args.questions)
    with override_settings(ROOT_URLCONF=bench_urlconf()):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get(quiz.get_url())  # sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        plain_url = reverse("bench_plain")

        def one_submit(right=False):
            attempt = start_attempt(user, quiz)
            data = {**answers_for(attempt, right), "csrfmiddlewaretoken": token}
            url = reverse("quizzes:attempt", args=[attempt.pk])
            start = time.perf_counter()
            response = client.post(url, data)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 303, response.status_code
            return elapsed

        def one_plain():
            start = time.perf_counter()
            response = client.post(plain_url, {"csrfmiddlewaretoken": token})
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            return elapsed

        for _ in range(3):  # warm up both paths
            one_submit()
            one_plain()
        ours, plain = [], []
        for _ in range(args.runs):
            ours.append(one_submit())
            plain.append(one_plain())

        attempt = start_attempt(user, quiz)
        data = {**answers_for(attempt), "csrfmiddlewaretoken": token}
        with CaptureQueriesContext(connection) as captured:
            client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
        request_queries = len(captured)
        grading = [q for q in captured.captured_queries if "quizzes_" in q["sql"]]
        pass_ms = one_submit(right=True)

    ours_ms, plain_ms = statistics.median(ours), statistics.median(plain)
    ratio = ours_ms / plain_ms
    print(f"database: {connection.vendor}; {args.questions} questions, {args.runs} runs each")
    print(f"submit (fail, graded): median {ours_ms:.1f} ms (min {min(ours):.1f}, max {max(ours):.1f})")
    print(f"plain login+CSRF POST: median {plain_ms:.1f} ms (min {min(plain):.1f}, max {max(plain):.1f})")
    print(f"submit that passes (adds courses.complete_step, course not finished): {pass_ms:.1f} ms (one run)")
    print(f"SQL queries of one submit request: {request_queries} ({len(grading)} on quiz tables)")
    print(
        f"bench quiz_submit: ratio={ratio:.2f} queries={request_queries} submit_ms={ours_ms:.1f} "
        f"plain_ms={plain_ms:.1f} questions={args.questions} db={connection.vendor}"
    )


if __name__ == "__main__":
    main()
