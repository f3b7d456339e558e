"""Job aids and the pre-assessment in a content file (the small test file):
checked before anything is written, built once, rebuilt only when changed.
The PDFs themselves are rendered for real in test_real_content; here the
renderer is replaced by a cheap stand-in, since these tests are about the
loader's bookkeeping."""

import pytest
from wagtail.documents import get_document_model

from courses.models import CoursePage, LessonPage
from quizzes.models import QuizPage
from training.exceptions import ContentError
from training.loader import load_course_file
from training.models import LoadedJobAid

from .conftest import rewrite

pytestmark = pytest.mark.django_db

AID = {
    "key": "pocket-card",
    "title": {"en": "Pocket card", "es": "Tarjeta de bolsillo"},
    "description": {"en": "One page.", "es": "Una página."},
    "as_of": "2026-12-01",
    "sections": [
        {"heading": {"en": "Check", "es": "Verifique"}, "items": [{"en": "Serial number", "es": "Número de serie"}]},
        {
            "heading": {"en": "Map", "es": "Correspondencia"},
            "table": {
                "columns": [{"en": "Field", "es": "Campo"}, {"en": "Record", "es": "Registro"}],
                "rows": [["5a", {"en": "Serial", "es": "Serie"}]],
            },
        },
    ],
    "sources": [{"reference": "27 C.F.R. § 478.92", "url": "https://www.law.cornell.edu/cfr/text/27/478.92"}],
}
PRE = {
    "slug": {"en": "pre-assessment", "es": "evaluacion-diagnostica"},
    "title": {"en": "Pre-assessment", "es": "Evaluación diagnóstica"},
    "draw": 1,
    "estimated_minutes": 5,
}


@pytest.fixture
def rendered(monkeypatch):
    """Stand-in renderer: records what it renders, returns small bytes."""
    calls = []

    def fake(aid, language, course_title):
        calls.append((aid["key"], language))
        return f"%PDF-1.7 {aid['title'][language]}".encode()

    monkeypatch.setattr("training.job_aids._render", fake)
    monkeypatch.setattr("training.job_aids._rendered", {})
    return calls


def with_aid(data):
    course = data["course"]
    course["job_aids"] = [AID]
    course["pre_assessment"] = PRE
    del course["credit_hours"], course["estimated_minutes"]
    course["modules"][0]["lessons"][0]["body"].append({"job_aid": "pocket-card"})


def test_each_language_links_its_own_document_and_an_unchanged_file_renders_nothing(mini_file, course_index, rendered):
    result = load_course_file(rewrite(mini_file, with_aid))
    assert sorted(rendered) == [("pocket-card", "en"), ("pocket-card", "es")]
    lesson = LessonPage.objects.descendant_of(result.course).order_by("path").first()
    blocks = {
        lang: [b.value for b in getattr(lesson, f"body_{lang}") if b.block_type == "document"] for lang in ("en", "es")
    }
    english, spanish = blocks["en"][0], blocks["es"][0]
    assert english["title"] == "Pocket card (PDF)" and spanish["title"] == "Tarjeta de bolsillo (PDF)"
    assert english["document"].file.read() == b"%PDF-1.7 Pocket card"
    assert spanish["document"].file.read() == b"%PDF-1.7 Tarjeta de bolsillo"
    assert spanish["document"].file.name.endswith(".pdf")

    again = load_course_file(mini_file)
    assert not again.changed and len(rendered) == 2

    def retitle(data):
        data["course"]["job_aids"][0]["title"]["es"] = "Tarjeta"

    changed = load_course_file(rewrite(mini_file, retitle))
    # Only the Spanish document is rendered again, into the same document.
    assert rendered[2:] == [("pocket-card", "es")] and len(changed.job_aids_rendered) == 1
    assert LoadedJobAid.objects.get(language="es").document_id == spanish["document"].pk
    assert get_document_model().objects.get(pk=spanish["document"].pk).file.read() == b"%PDF-1.7 Tarjeta"


def test_the_pre_assessment_opens_the_first_module_and_the_duration_is_computed(mini_file, course_index, rendered):
    result = load_course_file(rewrite(mini_file, with_aid))
    module = result.course.get_children().first()
    first = module.get_children().order_by("path").first().specific
    assert isinstance(first, QuizPage) and first.is_diagnostic and not first.is_required
    assert first.title_es == "Evaluación diagnóstica" and first.draw_count == 1
    course = CoursePage.objects.get(pk=result.course.pk)
    steps = [page.specific for page in course.get_descendants() if hasattr(page.specific, "estimated_minutes")]
    assert course.estimated_minutes == sum(step.estimated_minutes for step in steps)
    assert not load_course_file(mini_file).changed


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda c: c["modules"][0]["lessons"][0]["body"].append({"job_aid": "missing"}), "body[", "no job aid"),
        (lambda c: c["job_aids"][0]["sections"][1]["table"]["rows"].append(["5b"]), "table.rows[1]", "1 cells"),
        (lambda c: c["job_aids"][0].update(key="Bad Key"), "job_aids[0].key", "not a valid key"),
        (lambda c: c["pre_assessment"].update(draw=3), "pre_assessment.draw", "twice the draw"),
    ],
)
def test_bad_job_aids_and_pre_assessments_are_refused_before_anything_is_written(
    mini_file, course_index, rendered, change, where, problem
):
    def edit(data):
        with_aid(data)
        change(data["course"])

    with pytest.raises(ContentError) as error:
        load_course_file(rewrite(mini_file, edit))
    assert where in str(error.value) and problem in str(error.value)
    assert not rendered and not CoursePage.objects.filter(code="TT-100").exists()
