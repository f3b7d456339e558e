"""Fuzzing the bulk question import of the question bank (admin): the
upload (CSV, XLSX and YAML contents of nasty cells, NUL bytes, huge cells,
bad encodings, garbage with a spreadsheet's signature, YAML tricks, odd file
names) and the confirmation (garbage, tampered and oddly signed tokens).

No input gives a 5xx; a refused file writes no question, choice or category;
the problems are listed in Spanish for a Spanish-speaking administrator; an
accepted file stores no NUL (PostgreSQL refuses it in text).
"""

import base64
import csv
import io

import openpyxl
import pytest
import yaml
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given, reject
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.models import ModelLogEntry

from lms.validators import has_nul
from quizzes.models import Choice, Question, QuestionCategory
from quizzes.question_import import spreadsheet_headings
from quizzes.question_import_views import TOKEN_SALT
from tests.quizzes.test_question_import import row

from .conftest import FUZZ
from .fuzzing import (
    assert_no_server_error,
    assert_shown,
    assert_spanish,
    bad_request_page,
    context_value,
    form_errors,
    huge_text,
    nasty_integer_text,
    nasty_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/quizzes/questions/import/"
TABLES = (Question, Choice, QuestionCategory, ModelLogEntry)
HEADINGS = spreadsheet_headings(choices=2)
GOOD_CELLS = row()  # a valid single-choice question (tests/quizzes/test_question_import.py)


def cell():
    return st.one_of(
        st.sampled_from(
            ["", "yes", "no", "sí", "x", "single", "multiple", "true_false", "partial", "1", "101", "Puertos"]
        ),
        nasty_integer_text(),
        nasty_text(max_size=200),
    )


def rows():
    """Question rows: the good row with a few cells spoiled, or any cells."""
    spoiled = st.dictionaries(st.sampled_from(HEADINGS), cell(), max_size=4).map(lambda c: {**GOOD_CELLS, **c})
    return st.lists(st.one_of(spoiled, st.dictionaries(st.sampled_from(HEADINGS), cell(), max_size=6)), max_size=4)


def headings():
    return st.one_of(
        st.just(HEADINGS),
        st.lists(
            st.one_of(st.sampled_from([*HEADINGS, "type", "question_en", ""]), nasty_text(max_size=10)), max_size=8
        ),
    )


def _csv(heads, items, delimiter, encoding):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(heads)
    for item in items:
        writer.writerow([item.get(str(heading), "") for heading in heads])
    return out.getvalue().encode(encoding, "replace")


def csv_files():
    return st.builds(
        _csv,
        headings(),
        rows(),
        st.sampled_from([",", ";"]),
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
    )


def _xlsx(heads, items):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(heading)) for heading in heads])
    for item in items:  # openpyxl refuses control characters: they are dropped
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(item.get(str(heading), ""))) for heading in heads])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_files():
    return st.builds(_xlsx, headings(), rows())


def _yaml(items, category, wrapped):
    questions = []
    for item in items:
        question = {
            "kind": item.get("kind", "single"),
            "text": {"en": item.get("text_en", ""), "es": item.get("text_es", "")},
            "choices": [
                {
                    "en": item.get(f"choice{n}_en", ""),
                    "es": item.get(f"choice{n}_es", ""),
                    "correct": item.get(f"choice{n}_correct"),
                }
                for n in (1, 2)
            ],
        }
        if "points" in item:
            question["points"] = item["points"]
        if "lesson" in item:
            question["lesson"] = item["lesson"]
        questions.append(question)
    document = {"category": category, "questions": questions} if wrapped else questions
    # safe_dump writes NUL and control characters as escapes ("\0"), which the loader turns back
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


YAML_TRICKS = [
    b"a: &x [1]\nb: *x\n",
    b"questions: !!python/object/apply:os.system ['true']\n",
    b"[" * 50 + b"]" * 50,
    b"questions:\n\t- kind: single\n",
    b'- kind: single\n  text: {en: "a\\0b", es: "c\\0d"}\n  choices: [{en: "x", es: "y", correct: true}, {en: "\\0", es: "z"}]\n',
    b"- kind: single\n  text: {en: a, en: b, es: c}\n",
    b"- !!binary aGVsbG8=\n",
    b"- kind: true_false\n  text: {en: 2026-01-01, es: 12:30:00}\n  answer: yes\n",
    b"questions: 1e400\n",
    b"--- a\n--- b\n",
    b"\xef\xbb\xbf- kind: single\n",
    b"- {kind: single, text: {en: x, es: y}, choices: [{en: a, es: b, correct: 1}, {en: c, es: d}]}\n",
    b"<<: {questions: []}\n",
    b"%YAML 1.1\n%TAG ! tag:evil,2000:\n--- !x\n",
    b"- kind: single\n  text: {en: " + b"x" * 300_000 + b", es: y}\n",
]


def yaml_files():
    return st.one_of(
        st.builds(_yaml, rows(), st.one_of(st.just("Puertos"), nasty_text(max_size=20)), st.booleans()),
        st.sampled_from(YAML_TRICKS),
        st.text(max_size=200).map(lambda text: text.encode("utf-8")),
    )


def garbage():
    return st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=300).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),  # old .xls
        huge_text(max_repeat=300_000).map(lambda text: ("text_en,text_es\n" + text).encode("utf-8")),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"text_en,text_es\n", b"\xff\xfe t\x00e\x00", b"\x00" * 10]),
    )


def uploads():
    """(content, file name): mostly a name that matches the content's format."""
    named = st.one_of(
        csv_files().map(lambda c: (c, "questions.csv")),
        xlsx_files().map(lambda c: (c, "questions.xlsx")),
        yaml_files().map(lambda c: (c, "questions.yaml")),
        garbage().map(lambda c: (c, "questions.xlsx")),
        garbage().map(lambda c: (c, "questions.csv")),
    )
    other_name = st.one_of(
        st.none(),
        st.sampled_from(["q.yml", "Q.CSV", "q.txt", "q.xls", "q.exe", "q", ".yaml", "q.csv.yaml", "a\x00b.csv"]),
        nasty_text(max_size=40).map(lambda name: name + ".csv"),
        nasty_text(max_size=300),
    )
    return st.builds(lambda pair, name: (pair[0], pair[1] if name is None else name), named, other_name)


def shown_messages(response):
    messages = bad_request_page(response) or form_errors(context_value(response, "form"))
    if refused := context_value(response, "refused"):
        messages.append(str(refused))
    if plan := context_value(response, "plan"):
        messages += [str(problem.message) for problem in plan.problems]
    return messages


def assert_refused_in_spanish(response, before):
    assert row_counts(*TABLES) == before
    messages = shown_messages(response)
    assert_shown(response, messages)
    assert_spanish(messages)


def assert_no_nul_stored(before):
    """Every question and choice the import created holds no NUL (the raw
    cells do not pass through a form CharField)."""
    for question in Question.objects.order_by("-pk")[: Question.objects.count() - before[Question._meta.label]]:
        assert not has_nul(question.text_en, question.text_es, question.explanation_en, question.explanation_es)
        for choice in question.choices.all():
            assert not has_nul(choice.text_en, choice.text_es)


def _upload(name, content):
    upload = SimpleUploadedFile("questions.csv", content)
    try:
        upload.name = name  # the multipart encoder sends it as the browser would
    except SuspiciousFileOperation:
        reject()  # a name the client itself cannot send ("", "..", with a slash)
    return upload


@FUZZ
@given(
    upload=uploads(),
    category_value=st.one_of(st.just("OWN"), nasty_integer_text()),
)
@example(
    upload=(
        b'- kind: single\n  text: {en: "a\\0b", es: "c"}\n  choices: [{en: x, es: y, correct: true}, {en: z, es: w}]\n',
        "q.yaml",
    ),
    category_value="OWN",
)
@example(
    upload=(b"text_en,text_es,choice1_en,choice1_es,choice1_correct\nA,B,C,D,yes\n", "a\x00b.csv"), category_value="OWN"
)
def test_upload_and_confirm(client, admin_es, category, upload, category_value):
    """Upload a file; when it is accepted, confirm it with the token."""
    content, name = upload
    client.force_login(admin_es)
    data = {"file": _upload(name, content), "category": str(category.pk) if category_value == "OWN" else category_value}
    with rolled_back():
        before = row_counts(*TABLES)
        response = client.post(IMPORT_URL, data)
        assert_no_server_error(response)
        if response.status_code == 400:
            assert_refused_in_spanish(response, before)
            return
        assert response.status_code == 200
        assert row_counts(*TABLES) == before  # the check writes nothing
        token = context_value(response, "token")
        assert token
        response = client.post(IMPORT_URL, {"token": token})
        assert_no_server_error(response)
        if response.status_code == 400:
            assert_refused_in_spanish(response, before)
        else:
            assert response.status_code == 302
            assert_no_nul_stored(before)


def _flip(token, position, replacement):
    position %= max(len(token), 1)
    return token[:position] + replacement + token[position + 1 :]


def tokens():
    """Garbage, a good token tampered with, and payloads signed with the
    right salt but of any shape (as if the key leaked or the code changed)."""
    good_payload = {"file": "q.csv", "category": "OWN", "data": base64.b64encode(b"text_en,text_es\nA,B\n").decode()}
    payload_value = st.one_of(
        st.none(), st.booleans(), nasty_integer_text(), nasty_text(max_size=30), st.lists(st.integers(), max_size=2)
    )
    payload = st.one_of(
        st.dictionaries(st.sampled_from(["file", "category", "data"]), payload_value, max_size=3).map(
            lambda p: {**good_payload, **p}
        ),
        payload_value,
        st.binary(max_size=200).map(lambda b: {**good_payload, "data": base64.b64encode(b).decode()}),
    )
    return st.one_of(
        nasty_text(max_size=200).map(lambda text: ("raw", text)),
        st.tuples(st.integers(min_value=0, max_value=500), st.sampled_from(["", "A", ":", "\x00", "é"])).map(
            lambda pair: ("tampered", pair)
        ),
        payload.map(lambda p: ("signed", p)),
    )


@FUZZ
@given(token=tokens(), repeated=st.booleans())
def test_confirm_token(client, admin_es, category, token, repeated):
    client.force_login(admin_es)
    kind, value = token
    good = {"file": "q.csv", "category": category.pk, "data": base64.b64encode(b"text_en,text_es\nA,B\n").decode()}
    if kind == "tampered":
        text = _flip(signing.dumps(good, salt=TOKEN_SALT, compress=True), *value)
    elif kind == "signed":
        if isinstance(value, dict) and value.get("category") == "OWN":
            value = {**value, "category": category.pk}
        text = signing.dumps(value, salt=TOKEN_SALT, compress=True)
    else:
        text = value
    with rolled_back():
        before = row_counts(*TABLES)
        response = client.post(IMPORT_URL, {"token": [text, text] if repeated else text})
        assert_no_server_error(response)
        if response.status_code == 400:
            assert_refused_in_spanish(response, before)
        else:
            assert response.status_code == 302
            assert_no_nul_stored(before)


@pytest.fixture
def category(db):
    return QuestionCategory.objects.create(name_en="Ports", name_es="Puertos")
