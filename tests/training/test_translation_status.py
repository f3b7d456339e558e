import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import LessonPage
from lms.models import Agency
from quizzes.models import Choice, Question
from tests.factories import (
    AgencyFactory,
    make_administrator,
    make_coordinator,
    make_instructor,
    make_trainee,
)
from training.models import TranslationStamp
from training.translation_status import translation_status

pytestmark = pytest.mark.django_db

REPORT = "training_translation_status:index"


def rows_for(obj=None, **filters):
    rows = translation_status(**filters)
    if obj is None:
        return rows
    return [(row.field, row.problem) for row in rows if row.object_label.startswith(str(obj))]


def test_english_changed_after_spanish_is_reported_until_spanish_follows(db):
    with time_machine.travel("2026-03-01 12:00Z", tick=False):
        agency = AgencyFactory(acronym="ZZA", name_en="Border unit", name_es="Unidad fronteriza")
    assert rows_for(agency) == []

    with time_machine.travel("2026-03-02 12:00Z", tick=False):
        agency.name_en = "Border enforcement unit"
        agency.save()
    assert rows_for(agency) == [("name", "outdated")]
    (row,) = [row for row in translation_status() if row.object_label.startswith("ZZA")]
    assert (row.english_changed_at.day, row.spanish_changed_at.day) == (2, 1)
    assert (row.model_label, row.field_label, row.problem_label) == ("Agency", "Name", "Spanish older than English")

    with time_machine.travel("2026-03-03 12:00Z", tick=False):
        agency.name_es = "Unidad de control fronterizo"
        agency.save()
    assert rows_for(agency) == []


def test_an_empty_spanish_field_is_missing_and_empty_in_both_is_ignored(db):
    agency = AgencyFactory(acronym="ZZB", name_en="Port police", name_es="")
    question = Question.objects.create(
        text_en="Is it legal?", text_es="¿Es legal?", explanation_en="", explanation_es=""
    )
    assert rows_for(agency) == [("name", "missing")]
    assert [row for row in translation_status() if row.model_key == "quizzes.question"] == []
    assert question.pk


def test_saving_unchanged_content_with_new_block_ids_changes_no_stamp(course):
    lesson = LessonPage.objects.descendant_of(course).first()
    stamps = list(TranslationStamp.objects.order_by("pk").values_list("field", "en_changed_at", "es_changed_at"))
    lesson.body_en = [{"type": block.block_type, "value": block.value.source} for block in lesson.body_en]
    lesson.save_revision().publish()
    lesson.save(update_fields=["draft_title"])  # no translated field: no bookkeeping
    assert (
        list(TranslationStamp.objects.order_by("pk").values_list("field", "en_changed_at", "es_changed_at")) == stamps
    )


def test_a_page_is_linked_to_its_edit_view_and_a_choice_to_its_question(course):
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.intro_en = "Summary"
    lesson.save_revision().publish()
    question = Question.objects.create(text_en="Pick one", text_es="Elige una")
    Choice.objects.create(question=question, text_en="=1+1", text_es="", sort_order=0)
    admin = make_administrator()

    rows = {(row.model_key, row.field): row for row in translation_status(admin)}

    page_row = rows[("courses.lessonpage", "intro")]
    assert page_row.edit_url == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    choice_row = rows[("quizzes.choice", "text")]
    assert choice_row.object_label == "Pick one › =1+1"
    assert choice_row.edit_url == reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])


def test_filters_by_model_type_and_problem(db):
    AgencyFactory(acronym="ZZC", name_en="A", name_es="")
    Question.objects.create(text_en="Q", text_es="")
    assert {row.model_key for row in translation_status(model="lms.agency")} == {"lms.agency"}
    assert {row.problem for row in translation_status(problem="outdated")} <= {"outdated"}
    assert [row.model_key for row in translation_status(problem="missing", model="quizzes.question")] == [
        "quizzes.question"
    ]


def test_a_constant_number_of_queries_whatever_the_number_of_objects(course):
    admin = make_administrator()

    def count():
        with CaptureQueriesContext(connection) as context:
            rows = translation_status(admin)
        return len(context.captured_queries), len(rows)

    AgencyFactory(acronym="ZZD", name_en="One", name_es="")
    Choice.objects.create(question=Question.objects.create(text_en="Q1", text_es=""), text_en="c", sort_order=0)
    count()  # warm the content type and permission caches
    few_queries, few_rows = count()
    for n in range(6):
        AgencyFactory(acronym=f"ZZE{n}", name_en="More", name_es="")
        question = Question.objects.create(text_en=f"Q{n}", text_es="")
        Choice.objects.create(question=question, text_en="c", sort_order=0)
    many_queries, many_rows = count()
    assert many_rows == few_rows + 18
    assert many_queries == few_queries


# ------------------------------------------------------------ the admin report


@pytest.fixture
def blank_agency(db):
    return AgencyFactory(acronym="ZZF", name_en="Harbour police", name_es="")


def test_instructors_and_administrators_see_the_report(blank_agency, client):
    for user in (make_instructor(), make_administrator()):
        client.force_login(user)
        response = client.get(reverse(REPORT))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Translation status" in content and "ZZF – Harbour police" in content and "Spanish missing" in content
    # Administrators may edit agencies, so the object links to its edit view.
    assert f'href="{reverse("agencies:edit", args=[blank_agency.pk])}"' in content


def test_trainees_and_coordinators_cannot_open_the_report(blank_agency, client, agency):
    client.force_login(make_trainee())
    response = client.get(reverse(REPORT))
    assert response.status_code == 302 and "Harbour" not in response.content.decode()
    assert "/login/" in response["Location"]

    client.force_login(make_coordinator(agency=agency))
    for url in (reverse(REPORT), reverse(REPORT) + "?export=csv", reverse("training_translation_status:results")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")

    client.logout()
    assert "/login/" in client.get(reverse(REPORT))["Location"]


def test_the_menu_item_is_shown_to_instructors_only_among_non_administrators(site_pages, agency):
    from training.wagtail_hooks import register_report_menu_item

    item = register_report_menu_item()
    request = RequestFactory().get("/admin/")
    for user, shown in (
        (make_instructor(), True),
        (make_administrator(), True),
        (make_coordinator(agency=agency), False),
        (make_trainee(), False),
    ):
        request.user = user
        assert item.is_shown(request) is shown


def test_filters_in_the_view(blank_agency, client):
    Question.objects.create(text_en="Who inspects cargo?", text_es="")
    client.force_login(make_instructor())
    content = client.get(reverse(REPORT), {"model_type": "lms.agency"}).content.decode()
    assert "Harbour police" in content and "Who inspects cargo?" not in content
    content = client.get(reverse(REPORT), {"problem": "outdated"}).content.decode()
    assert "Harbour police" not in content


def test_bad_filter_values_are_refused_with_a_message(blank_agency, client):
    client.force_login(make_instructor())
    for params in ({"problem": "nonsense"}, {"model_type": "auth.user"}, {"problem": "x", "export": "csv"}):
        response = client.get(reverse(REPORT), params)
        assert response.status_code == 400
        content = response.content.decode()
        assert "These filter values are not valid, so nothing is listed." in content
        assert "Select a valid choice" in content and "Harbour police" not in content


def test_csv_export_has_translated_headings_and_neutralised_cells(blank_agency, client):
    Question.objects.create(text_en="=HYPERLINK(1)", text_es="")
    client.force_login(make_instructor())
    response = client.get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "translation-status-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Type", "Object", "Field", "Problem", "English changed", "Spanish changed"]
    assert ["Agency", "ZZF – Harbour police", "Name", "Spanish missing"] == rows[1][:4] or any(
        row[:4] == ["Agency", "ZZF – Harbour police", "Name", "Spanish missing"] for row in rows
    )
    assert any(row[1] == "'=HYPERLINK(1)" for row in rows)


def test_spanish_export_and_xlsx(blank_agency, client):
    client.force_login(make_instructor(language="es"))
    response = client.get(reverse(REPORT), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == ["Tipo", "Objeto", "Campo", "Problema", "Inglés modificado", "Español modificado"]
    assert any(row[1] == "ZZF – Harbour police" for row in sheet.iter_rows(min_row=2, values_only=True))
    assert Agency.objects.filter(acronym="ZZF").exists()
