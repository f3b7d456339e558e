"""Bulk question import (issue 13): CSV, XLSX and the content YAML format,
every problem reported with its line and column, nothing written from a
file with a problem, a preview before anything is created, and only for
those who may add questions."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from courses.models import LessonPage
from quizzes import question_import
from quizzes.content import build_quiz
from quizzes.exceptions import QuestionImportRefused
from quizzes.models import Choice, Question, QuestionCategory, QuestionKind
from quizzes.question_import import import_questions, plan_import, spreadsheet_headings
from quizzes.question_import_views import TOKEN_SALT
from tests.factories import make_administrator, make_coordinator, make_instructor, make_trainee, make_user
from tests.quizzes.factories import make_question
from tests.quizzes.test_content import QUIZ

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/quizzes/questions/import/"


def row(**cells):
    base = {
        "kind": "single",
        "text_en": "Who signs the export declaration?",
        "text_es": "¿Quién firma la declaración de exportación?",
        "choice1_en": "The exporter",
        "choice1_es": "El exportador",
        "choice1_correct": "yes",
        "choice2_en": "The carrier",
        "choice2_es": "El transportista",
    }
    base.update(cells)
    return base


def csv_file(*rows, headings=None):
    headings = headings or spreadsheet_headings(choices=4)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings, extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow(item)
    return out.getvalue().encode("utf-8")


def xlsx_file(*rows):
    headings = spreadsheet_headings(choices=4)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for item in rows:
        sheet.append([item.get(heading) for heading in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def category(db):
    return QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")


@pytest.fixture
def built_quiz(module):
    return build_quiz(module, QUIZ)


def places(plan):
    return {(problem.line, problem.column) for problem in plan.problems}


# ------------------------------------------------------------------ success


def test_a_csv_is_checked_previewed_then_imported_into_the_quiz_pool(client, course, built_quiz):
    category = built_quiz.draw_categories.get()
    lesson = LessonPage.objects.descendant_of(course).first()
    content = csv_file(
        row(lesson=lesson.slug_en, explanation_en="The exporter of record.", explanation_es="El exportador."),
        row(
            kind="multiple",
            text_en="Which are red flags?",
            text_es="¿Cuáles son señales de alerta?",
            choice2_correct="x",
            choice3_en="A receipt",
            choice3_es="Un recibo",
            scoring="partial",
            points="2",
        ),
        row(
            kind="true_false",
            text_en="Parts count.",
            text_es="Las piezas cuentan.",
            answer="true",
            **dict.fromkeys(["choice1_en", "choice1_es", "choice1_correct", "choice2_en", "choice2_es"], ""),
        ),
    )
    instructor = make_instructor()
    client.force_login(instructor)
    upload = io.BytesIO(content)
    upload.name = "questions.csv"
    response = client.post(IMPORT_URL, {"file": upload, "category": category.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-preview"' in html and "3 questions will be created" in html
    assert Question.objects.filter(category=category).count() == 3  # nothing yet: the quiz's own three
    token = response.context["token"]
    assert [(c.pk, n) for c, n in response.context["plan"].per_category()] == [(category.pk, 3)]

    response = client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?category={category.pk}")
    new = Question.objects.filter(category=category).exclude(reference__startswith="T-1/")
    assert new.count() == 3
    single = new.get(kind=QuestionKind.SINGLE)
    assert (single.text_es, single.explanation_es, single.lesson_id) == (
        "¿Quién firma la declaración de exportación?",
        "El exportador.",
        lesson.pk,
    )
    assert [(c.text_en, c.text_es, c.is_correct) for c in single.choices.order_by("sort_order")] == [
        ("The exporter", "El exportador", True),
        ("The carrier", "El transportista", False),
    ]
    multiple = new.get(kind=QuestionKind.MULTIPLE)
    assert (multiple.points, multiple.scoring) == (2, "partial")
    assert list(multiple.choices.order_by("sort_order").values_list("is_correct", flat=True)) == [True, True, False]
    true_false = new.get(kind=QuestionKind.TRUE_FALSE)
    assert list(true_false.choices.order_by("sort_order").values_list("text_es", "is_correct")) == [
        ("Verdadero", True),
        ("Falso", False),
    ]
    assert set(new.values_list("pk", flat=True)) <= set(built_quiz.pool_question_ids())
    entries = ModelLogEntry.objects.filter(action="quizzes.import_question", user=instructor)
    assert entries.count() == 3 and entries.first().data == {"file": "questions.csv"}

    # The same file again: every question is reported as a duplicate, nothing written.
    upload = io.BytesIO(content)
    upload.name = "questions.csv"
    response = client.post(IMPORT_URL, {"file": upload, "category": category.pk})
    assert response.status_code == 400
    assert {p.column for p in response.context["plan"].problems} == {"text_en"}
    assert len(response.context["plan"].problems) == 3
    assert Question.objects.filter(category=category).count() == 6


def test_an_xlsx_imports_and_a_row_may_name_another_category(category):
    other = QuestionCategory.objects.create(name_en="Straw purchases", name_es="Compras por interpósita persona")
    content = xlsx_file(
        row(points=3), row(text_en="Another one?", text_es="¿Otra?", category="compras por interpósita persona")
    )
    plan = import_questions(content, "bank.xlsx", category=category, user=make_instructor())
    assert plan.ok, plan.problems
    assert Question.objects.get(category=category).points == 3
    assert Question.objects.get(category=other).text_es == "¿Otra?"


YAML = """\
category: Ports
questions:
  - kind: single
    points: 2
    text: {en: "Who inspects outbound cargo?", es: "¿Quién inspecciona la carga de salida?"}
    explanation: {en: "CBP does.", es: "La CBP."}
    choices:
      - {en: CBP, es: CBP, correct: true}
      - {en: The post office, es: El correo}
  - kind: true_false
    text: {en: "Ammunition counts.", es: "Las municiones cuentan."}
    answer: false
"""


def test_a_yaml_file_in_the_content_format_imports(category):
    other = QuestionCategory.objects.create(name_en="Elsewhere", name_es="Otra")
    plan = import_questions(YAML.encode(), "ports.yaml", category=other, user=make_instructor())
    assert plan.ok, plan.problems
    questions = Question.objects.filter(category=category)  # the file's own category wins
    assert questions.count() == 2
    assert questions.get(kind="single").points == 2
    assert list(questions.get(kind="true_false").choices.values_list("is_correct", flat=True)) == [False, True]


def test_the_content_files_own_questions_are_valid_yaml_input(category):
    """A quiz's questions copied from a course file import as they are."""
    import yaml

    text = yaml.safe_dump({"questions": QUIZ["questions"]}, allow_unicode=True)
    plan = plan_import(text.encode(), "copied.yml", category=category)
    assert plan.ok, plan.problems
    assert len(plan.questions) == 3


# ------------------------------------------------------------------ problems


def test_every_problem_of_a_csv_has_its_line_and_column_and_nothing_is_written(category):
    make_question(n=1, category=category)  # "Question 1 stem" is already in the bank
    content = csv_file(
        row(text_es=""),  # 2
        row(text_en="Kind?", kind="essay"),  # 3
        row(text_en="Flag?", choice2_correct="maybe"),  # 4
        row(text_en="None right?", choice1_correct=""),  # 5
        row(text_en="Category?", category="Nowhere"),  # 6
        row(text_en="Lesson?", lesson="no-such-lesson"),  # 7
        row(text_en="Points?", points="500"),  # 8
        {},  # 9: a blank row is skipped and keeps the numbering
        row(text_en="Twice?"),  # 10
        row(text_en="twice?  "),  # 11
        row(text_en="Question 1 stem"),  # 12
        row(text_en="Choice es?", choice2_es=""),  # 13
        row(text_en="True?", kind="true_false", answer="true"),  # 14: has choices
        row(text_en="Single with two?", choice2_correct="yes"),  # 15
        row(text_en="Explained?", explanation_en="Only English."),  # 16
    )
    before = (Question.objects.count(), Choice.objects.count())
    plan = import_questions(content, "bad.csv", category=category, user=make_instructor())
    assert places(plan) == {
        (2, "text_es"),
        (3, "kind"),
        (4, "choice2_correct"),
        (5, "choice1_correct"),
        (6, "category"),
        (7, "lesson"),
        (8, "points"),
        (11, "text_en"),
        (12, "text_en"),
        (13, "choice2_es"),
        (14, "choice1_correct"),
        (15, "choice1_correct"),
        (16, "explanation_es"),
    }
    messages = {(p.line, p.column): p.message for p in plan.problems}
    assert "line 10" in messages[(11, "text_en")]
    assert "already has this question" in messages[(12, "text_en")]
    assert (Question.objects.count(), Choice.objects.count()) == before
    assert not ModelLogEntry.objects.filter(action="quizzes.import_question").exists()


def test_problems_are_reported_in_spanish(category):
    with translation.override("es"):
        plan = plan_import(csv_file(row(text_es="", kind="ensayo")), "malo.csv", category=category)
    messages = [p.message for p in plan.problems]
    assert "El texto de la pregunta está vacío." in messages
    assert any(message.startswith("Tipo de pregunta desconocido") for message in messages)


def test_every_problem_of_a_yaml_file_has_its_line(category):
    text = """\
questions:
  - kind: single
    text: {en: "No Spanish"}
    choices:
      - {en: A, es: A, correct: true}
      - {en: B, es: B}
  - kind: multiple
    text: {en: "Nothing right?", es: "¿Nada correcto?"}
    choices:
      - {en: A, es: A}
      - {en: B, correct: yes please}
  - kind: true_false
    text: {en: "Answer?", es: "¿Respuesta?"}
    points: 0
    colour: blue
"""
    before = Question.objects.count()
    plan = import_questions(text.encode(), "bad.yaml", category=category, user=make_instructor())
    assert {(p.line, p.column) for p in plan.problems} >= {
        (3, "questions[0].text"),  # missing key 'es'
        (9, "questions[1].choices"),  # no right choice
        (11, "questions[1].choices[1]"),  # missing 'es'
        (11, "questions[1].choices[1].correct"),  # not true/false
        (12, "questions[2]"),  # unknown key colour
        (14, "questions[2].points"),
        (12, "questions[2].answer"),  # a true-or-false question needs its answer
    }
    assert Question.objects.count() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("questions:\n  - text: {en: a, es: b}\n  - text: [\n", "not valid YAML"),
        ("!!python/object/apply:os.system ['true']\n", "not valid YAML"),
        ("questions: " + "[" * 50 + "]" * 50 + "\n", "nested too deeply"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_message(category, text, expected):
    try:
        plan = plan_import(text.encode(), "x.yaml", category=category)
    except QuestionImportRefused as error:
        assert expected in str(error.message)
    else:
        assert any(expected in problem.message for problem in plan.problems)


def test_a_yaml_syntax_error_names_its_line(category):
    plan = plan_import(b"questions:\n  - text: {en: a, es: b}\n  - text: [\n", "x.yaml", category=category)
    assert [problem.line for problem in plan.problems] == [4]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("kind,text_en,text_es\nsingle,Año,Año\n".encode("latin-1"), "q.csv", "not UTF-8"),
        (b"PK\x03\x04 not really a workbook", "q.xlsx", "cannot be read"),
        (b"MZ\x90\x00", "q.exe", "none of them"),
        (b"", "q.csv", "empty"),
        (b"\xff\xfe", "q.yaml", "not UTF-8"),
        (b"kind,text_en\n" + b"x" * 200_000 + b",y\n", "q.csv", "not a CSV"),
    ],
)
def test_malformed_files_are_refused_with_a_message(category, content, name, expected):
    with pytest.raises(QuestionImportRefused) as caught:
        plan_import(content, name, category=category)
    assert expected in str(caught.value.message)


def test_a_workbook_with_a_damaged_sheet_is_refused(category):
    import zipfile

    good, damaged = zipfile.ZipFile(io.BytesIO(xlsx_file(row()))), io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:
        for info in good.infolist():
            data = good.read(info.filename)
            out.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet1.xml") else data)
    with pytest.raises(QuestionImportRefused, match="cannot be read"):
        plan_import(damaged.getvalue(), "q.xlsx", category=category)


def test_a_yaml_file_with_too_many_questions_is_refused_before_checking(category, settings):
    settings.QUIZZES_IMPORT_MAX_QUESTIONS = 3
    with pytest.raises(QuestionImportRefused, match="at most 3"):
        plan_import(("questions:\n" + "  - 1\n" * 4).encode(), "q.yaml", category=category)


def test_a_very_bad_file_lists_its_first_problems_only(client, category):
    client.force_login(make_instructor())
    upload = io.BytesIO(csv_file(*[row(text_en=f"Q{n}", kind="essay", points="0") for n in range(150)]))
    upload.name = "q.csv"
    response = client.post(IMPORT_URL, {"file": upload, "category": category.pk})
    assert response.status_code == 400
    assert len(response.context["plan"].problems) == 300
    assert response.content.decode().count("<code>kind</code>") == 100
    assert "100 more problems" in response.content.decode()


def test_headings_are_checked_before_any_row(category):
    plan = plan_import(csv_file(row(), headings=["kind", "text_en", "colour"]), "q.csv", category=category)
    assert {(p.line, p.column) for p in plan.problems} == {(1, "colour"), (1, "text_es")}


def test_size_and_row_limits(category, settings):
    settings.QUIZZES_IMPORT_MAX_QUESTIONS = 2
    with pytest.raises(QuestionImportRefused, match="at most 2"):
        plan_import(csv_file(row(), row(text_en="b"), row(text_en="c")), "q.csv", category=category)
    settings.QUIZZES_IMPORT_MAX_BYTES = 100
    with pytest.raises(QuestionImportRefused, match="the limit is 100"):
        plan_import(csv_file(row()), "q.csv", category=category)


def test_an_error_while_writing_rolls_everything_back(category, monkeypatch):
    calls = []
    real = question_import._create

    def fail_second(item, **kwargs):
        calls.append(item)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(item, **kwargs)

    monkeypatch.setattr(question_import, "_create", fail_second)
    with pytest.raises(RuntimeError):
        import_questions(csv_file(row(), row(text_en="b")), "q.csv", category=category, user=make_instructor())
    assert not Question.objects.exists()


# ------------------------------------------------------------------ views


def test_the_view_reports_problems_and_refusals_without_a_500(client, category):
    client.force_login(make_instructor())
    upload = io.BytesIO(csv_file(row(kind="essay")))
    upload.name = "q.csv"
    response = client.post(IMPORT_URL, {"file": upload, "category": category.pk})
    assert response.status_code == 400
    assert 'data-testid="import-error-list"' in response.content.decode()
    upload = io.BytesIO(b"\x00\x01garbage")
    upload.name = "q.xlsx"
    response = client.post(IMPORT_URL, {"file": upload, "category": category.pk})
    assert response.status_code == 400 and 'data-testid="import-refused"' in response.content.decode()
    response = client.post(IMPORT_URL, {"category": "999999999999999999999"})
    assert response.status_code == 400
    response = client.post(IMPORT_URL, {"token": "forged:token"})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not Question.objects.exists()


def test_a_confirmation_cannot_be_forged_or_reused_for_a_deleted_category(client, category):
    client.force_login(make_instructor())
    token = signing.dumps({"file": "q.csv", "category": category.pk, "data": "!!"}, salt="other", compress=True)
    assert client.post(IMPORT_URL, {"token": token}).status_code == 400
    import base64

    good = {"file": "q.csv", "category": category.pk, "data": base64.b64encode(csv_file(row())).decode()}
    token = signing.dumps(good, salt=TOKEN_SALT, compress=True)
    category.delete()
    response = client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 400 and "no longer exists" in response.content.decode()
    assert not Question.objects.exists()


def test_the_templates_hold_every_heading_and_an_example_that_imports(client, category):
    client.force_login(make_instructor())
    response = client.get(reverse("quizzes_import_template", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == spreadsheet_headings(choices=4)
    assert len(rows) == 2
    assert import_questions(content, "template.csv", category=category, user=make_instructor()).ok
    response = client.get(reverse("quizzes_import_template", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == spreadsheet_headings(choices=4)
    assert sheet.max_row == 2
    plan = plan_import(response.content, "template.xlsx", category=category)
    assert [problem.column for problem in plan.problems] == ["text_en"]  # a duplicate of the CSV's example now
    assert client.get("/admin/quizzes/questions/import/template.exe").status_code == 404


def denied(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the
    admin home and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_only_those_who_may_add_questions_can_import(client, category):
    content = csv_file(row())
    template = reverse("quizzes_import_template", args=["csv"])
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(template).status_code == 302
    client.force_login(make_trainee())
    assert client.get(IMPORT_URL).status_code in (302, 403)
    no_rights = make_user(role=None)
    no_rights.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user in (make_coordinator(), no_rights):
        client.force_login(user)
        upload = io.BytesIO(content)
        upload.name = "q.csv"
        assert denied(client.get(IMPORT_URL))
        assert denied(client.post(IMPORT_URL, {"file": upload, "category": category.pk}))
        assert denied(client.get(template))
        listing = client.get(reverse("wagtailsnippets_quizzes_question:list"))
        assert IMPORT_URL not in listing.content.decode()
    assert not Question.objects.exists()
    for user in (make_instructor(), make_administrator()):
        client.force_login(user)
        assert client.get(IMPORT_URL).status_code == 200
        assert IMPORT_URL in client.get(reverse("wagtailsnippets_quizzes_question:list")).content.decode()


def test_the_import_page_and_its_report_read_in_spanish(client, category):
    from wagtail.users.models import UserProfile

    instructor = make_instructor()
    UserProfile.get_for_user(instructor).__class__.objects.filter(user=instructor).update(preferred_language="es")
    client.force_login(instructor)
    html = client.get(IMPORT_URL).content.decode()
    assert "Importar preguntas" in html and "Revisar el archivo" in html and "Plantilla CSV" in html
    upload = io.BytesIO(csv_file(row(text_es="")))
    upload.name = "q.csv"
    html = client.post(IMPORT_URL, {"file": upload, "category": category.pk}).content.decode()
    assert "Se encontró 1 problema; no se importó nada." in html
    assert "El texto de la pregunta está vacío." in html and "Columna" in html
    upload = io.BytesIO(csv_file(row()))
    upload.name = "q.csv"
    html = client.post(IMPORT_URL, {"file": upload, "category": category.pk}).content.decode()
    assert "se creará 1 pregunta" in html and "Sí, importar estas preguntas" in html
