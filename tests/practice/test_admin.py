"""Authoring exercises in the Wagtail admin, and the practice reports."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import ModulePage
from practice.grading import submit_attempt
from practice.models import AnswerKey, ExercisePage, Record
from practice.search import search
from tests.factories import make_coordinator, make_instructor, make_trainee
from tests.practice.factories import right_answers

pytestmark = pytest.mark.django_db

GOOD_SEED = (
    "reference,kind,date,port_of_entry,firearm_type,caliber,serial\n"
    'SZ-1,seizure,2026-01-05,"Laredo, Texas",pistol,9mm,AB123\n'
    'SZ-2,seizure,2026-01-06,"Laredo, Texas",rifle,7.62x39,CD456\n'
)
BAD_SEED = "reference,kind,date\nSZ-1,seizure,2026-01-05\nSZ-2,robbery,yesterday\n"


def document(content, name):
    doc = get_document_model()(title=name)
    doc.file.save(name, ContentFile(content.encode()), save=False)
    doc.save()
    return doc


def exercise_form(seed_document, **extra):
    return nested_form_data(
        {
            "title_en": "Enter a seizure",
            "title_es": "Capture un aseguramiento",
            "slug_en": "enter-a-seizure",
            "slug_es": "capture-un-aseguramiento",
            "intro_en": "Practise.",
            "intro_es": "Practique.",
            "pass_mark": "80",
            "max_attempts": "3",
            "cooldown_minutes": "0",
            "review_policy": "after_each",
            "seed_document": str(seed_document.pk),
            "is_required": "on",
            "estimated_minutes": "15",
            "entry_tasks": inline_formset(
                [
                    {
                        "title_en": "Laredo pistol",
                        "title_es": "Pistola en Laredo",
                        "scenario_en": "A pistol was seized.",
                        "scenario_es": "Se aseguró una pistola.",
                        "image_alt_en": "",
                        "image_alt_es": "",
                        "record_kind": "seizure",
                        "answer_keys": inline_formset(
                            [
                                {
                                    "field": "serial",
                                    "rule": "serial",
                                    "expected": "AB123",
                                    "points": "2",
                                    "explanation_en": "As marked.",
                                    "explanation_es": "Tal como está marcado.",
                                }
                            ]
                        ),
                    }
                ]
            ),
            "retrieval_tasks": inline_formset(
                [
                    {
                        "question_en": "How many seizures at Laredo?",
                        "question_es": "¿Cuántos aseguramientos en Laredo?",
                        "expected_count": "2",
                        "points": "1",
                    }
                ]
            ),
            "action-publish": "action-publish",
            **extra,
        }
    )


def test_exercise_page_tree():
    assert set(ExercisePage.allowed_parent_page_models()) == {ModulePage}
    assert ExercisePage in ModulePage.allowed_subpage_models()
    assert ExercisePage.allowed_subpage_models() == []


def test_instructor_authors_an_exercise_with_a_seed_file(client, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["practice", "exercisepage", module.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, exercise_form(document(GOOD_SEED, "seed.csv")))
    assert response.status_code == 302, response.content.decode()[:3000]
    exercise = ExercisePage.objects.get(slug_en="enter-a-seizure")
    assert exercise.entry_tasks.get().scenario_es == "Se aseguró una pistola."
    key = AnswerKey.objects.get(task__page=exercise)
    assert (key.field, key.rule, key.expected, key.points) == ("serial", "serial", "AB123", 2)
    assert exercise.retrieval_tasks.get().expected_count == 2
    assert sorted(Record.objects.filter(exercise=exercise).values_list("reference", flat=True)) == ["SZ-1", "SZ-2"]
    assert len(exercise.seed_sha256) == 64


def test_a_bad_seed_file_is_refused_with_line_numbers(client, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["practice", "exercisepage", module.pk])
    response = client.post(url, exercise_form(document(BAD_SEED, "bad.csv")))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Line 3: unknown record type “robbery”." in content
    assert "Line 3: the date “yesterday” is not YYYY-MM-DD." in content
    assert not ExercisePage.objects.filter(slug_en="enter-a-seizure").exists()
    assert not Record.objects.exists()


def test_answer_key_rules_are_checked(client, course):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(make_instructor())
    url = reverse("wagtailadmin_pages:add", args=["practice", "exercisepage", module.pk])
    data = exercise_form(document(GOOD_SEED, "seed.csv"))
    data["entry_tasks-0-answer_keys-0-rule"] = "range"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The numeric range rule needs a minimum and a maximum." in response.content.decode()


@pytest.fixture
def graded(exercise, attempt):
    search(attempt, {"text": "=HYPERLINK(1)", "caliber": "9mm"})
    submit_attempt(attempt, right_answers(exercise))
    return attempt


def test_search_log_report_and_exports(client, exercise, graded, course):
    instructor = make_instructor()
    course.instructors.add(instructor)
    course.save()
    client.force_login(instructor)
    url = reverse("practice_admin:searches", args=[exercise.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Calibre: 9mm" in page.content.decode()
    csv = client.get(url, {"export": "csv"})
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "Ran at,Trainee,Username,Attempt,Criteria,Results"
    assert graded.user.username in lines[1] and "Calibre: 9mm" in lines[1]
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_statistics_per_field(client, exercise, graded, course):
    instructor = make_instructor()
    course.instructors.add(instructor)
    course.save()
    client.force_login(instructor)
    url = reverse("practice_admin:detail", args=[exercise.pk])
    page = client.get(url).content.decode()
    assert "Serial number" in page and "Normalised serial" in page
    csv = client.get(url, {"export": "csv"})
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "Task,Field,Tolerance,Times graded,Times wrong,Wrong (%),Most common wrong answers"
    serial = next(line for line in lines if "Serial number" in line)
    assert ",1,1,100.0," in serial  # no entry was saved: the field was wrong once
    index = client.get(reverse("practice_admin:index"))
    assert index.status_code == 200 and exercise.title in index.content.decode()


@pytest.mark.parametrize("who", ["other_instructor", "trainee", "coordinator"])
def test_reports_are_refused_to_the_wrong_people(client, exercise, graded, who, other_agency):
    user = {
        "other_instructor": make_instructor,
        "trainee": make_trainee,
        "coordinator": lambda: make_coordinator(agency=other_agency),
    }[who]()
    client.force_login(user)
    for name in ("practice_admin:detail", "practice_admin:searches"):
        response = client.get(reverse(name, args=[exercise.pk]), {"export": "csv"})
        assert response.status_code in (302, 403)
        assert graded.user.username.encode() not in b"".join(getattr(response, "streaming_content", [response.content]))
