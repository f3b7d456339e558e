"""Benchmark: importing a CSV file of 500 bilingual questions into the bank
(quizzes.question_import).

Times, on a fresh database, the two steps an instructor goes through (the
check that builds the preview, and the confirmed import, which checks again
and writes), and compares the write with the simplest thing that does the
same job: the same questions and choices created straight through the ORM
(``Question.objects.create`` and one ``bulk_create`` of choices each), with
no checks and no audit entries. The two are alternated over several rounds
into fresh categories. It also reports the SQL queries of one import and
re-imports the first file, which must write nothing (every row a duplicate).

Runs on its own: a temporary SQLite database by default, or the database
named by --database-url (a scratch database: it is migrated and written to).
Usage: python bench/question_import.py [--rows 500] [--rounds 3] [--database-url URL]
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500, help="questions in the file (default 500)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_IMPORT_DATABASE_URL"))
    return parser.parse_args()


def make_rows(count, tag):
    rows = []
    for i in range(count):
        kind = ("single", "multiple", "true_false")[i % 3]
        row = {
            "kind": kind,
            "text_en": f"Bench question {tag} {i}: which of these applies at the port of entry?",
            "text_es": f"Pregunta {tag} {i}: ¿cuál de estas se aplica en el puerto de entrada?",
            "explanation_en": "Because the statute says so.",
            "explanation_es": "Porque así lo dice la ley.",
        }
        if kind == "true_false":
            row["answer"] = "true"
        else:
            for n in range(1, 5):
                row[f"choice{n}_en"] = f"Choice {n}"
                row[f"choice{n}_es"] = f"Opción {n}"
                row[f"choice{n}_correct"] = "yes" if n == 1 or (kind == "multiple" and n == 2) else ""
        rows.append(row)
    return rows


def to_csv(rows, headings):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class Counter:
    """An execute wrapper that counts SQL queries (no log length limit)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def setup(database_url):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def baseline(rows, category):
    """The same questions written with no checks and no audit entries."""
    from django.db import transaction

    from quizzes.models import Choice, Question

    tf = (("True", "Verdadero", True), ("False", "Falso", False))
    with transaction.atomic():
        for row in rows:
            question = Question.objects.create(
                text_en=row["text_en"],
                text_es=row["text_es"],
                explanation_en=row["explanation_en"],
                explanation_es=row["explanation_es"],
                kind=row["kind"],
                category=category,
            )
            if row["kind"] == "true_false":
                choices = tf
            else:
                choices = [
                    (row[f"choice{n}_en"], row[f"choice{n}_es"], row[f"choice{n}_correct"] == "yes")
                    for n in range(1, 5)
                ]
            Choice.objects.bulk_create(
                [
                    Choice(question=question, text_en=en, text_es=es, is_correct=ok, sort_order=i)
                    for i, (en, es, ok) in enumerate(choices)
                ]
            )


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args.database_url or f"sqlite:///{folder}/bench_questions.sqlite3")
        from django.db import connection
        from django.test.utils import override_settings
        from django.utils import translation

        from quizzes.models import Question, QuestionCategory
        from quizzes.question_import import import_questions, plan_import, spreadsheet_headings

        override_settings(QUIZZES_IMPORT_MAX_QUESTIONS=max(500, args.rows)).enable()
        translation.activate("en")
        headings = spreadsheet_headings(choices=4)
        checks, imports, baselines, queries = [], [], [], 0
        first = None
        for round_number in range(args.rounds):
            rows = make_rows(args.rows, f"r{round_number}")
            content = to_csv(rows, headings)
            first = first or content
            ours = QuestionCategory.objects.create(
                name_en=f"Import {round_number}", name_es=f"Importación {round_number}"
            )
            plain = QuestionCategory.objects.create(name_en=f"ORM {round_number}", name_es=f"ORM {round_number}")

            start = time.perf_counter()
            plan = plan_import(content, "bench.csv", category=ours)
            checks.append(time.perf_counter() - start)
            assert plan.ok, plan.problems[:5]

            counter = Counter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                plan = import_questions(content, "bench.csv", category=ours, user=None)
                imports.append(time.perf_counter() - start)
            assert plan.ok and Question.objects.filter(category=ours).count() == args.rows
            queries = counter.count

            start = time.perf_counter()
            baseline(rows, plain)
            baselines.append(time.perf_counter() - start)

        start = time.perf_counter()
        again = import_questions(
            first, "bench.csv", category=QuestionCategory.objects.get(name_en="Import 0"), user=None
        )
        again_seconds = time.perf_counter() - start
        assert not again.ok and len(again.problems) == args.rows
        check, write, plain = (statistics.median(values) for values in (checks, imports, baselines))
        ratio = write / plain
        print(
            f"database: {connection.vendor}; file: {len(first) / 1024:.0f} KiB, {args.rows} questions, {args.rounds} rounds"
        )
        print(f"check (preview): median {check:.2f} s")
        print(f"import (check again + write + audit): median {write:.2f} s, {queries} SQL queries")
        print(f"baseline (plain ORM writes, no checks, no audit): median {plain:.2f} s")
        print(f"re-import of the first file: {again_seconds:.2f} s, {len(again.problems)} duplicates, nothing written")
        print(
            f"bench question_import: import_vs_orm={ratio:.2f} rows={args.rows} check_seconds={check:.2f} "
            f"import_seconds={write:.2f} orm_seconds={plain:.2f} queries={queries} database={connection.vendor}"
        )


if __name__ == "__main__":
    main()
