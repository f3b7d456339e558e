"""The real course, content/ac-100.yaml, as trainees will meet it."""

import html
import re
import zlib
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Revision

from courses.duration import apply_computed_duration
from courses.models import CoursePage, LessonPage, ModulePage, Sequencing, StepPage
from courses.progress import complete_step, enroll
from quizzes.models import QuizPage
from tests.factories import make_instructor, make_trainee
from training.loader import load_course_file, read_course_file
from training.models import LoadedJobAid
from training.translation_status import translation_status

from .conftest import REAL_CONTENT

pytestmark = pytest.mark.django_db

URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s/]+")


def pdf_objects(pdf):
    """The PDF with its compressed streams inflated (metadata, object streams)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(chunks)


def lesson_blocks(lesson, lang, block_type):
    return [block.value for block in getattr(lesson, f"body_{lang}") if block.block_type == block_type]


@pytest.fixture(scope="module")
def shared_course_id(django_db_setup, django_db_blocker):
    """Load the real course once for this module, inside a transaction that
    is rolled back at the end (each test still runs in its own savepoint)."""
    from lms.site_setup import ensure_site

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("en"):
                ensure_site()
                make_instructor(username="instructor")
                yield load_course_file(REAL_CONTENT).course.pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def real_course(shared_course_id, db):
    return CoursePage.objects.get(pk=shared_course_id)


def test_the_real_course_loads_and_reloads_without_changes(real_course):
    course = real_course
    assert course.code == "AC-100" and course.live
    modules = ModulePage.objects.child_of(course).order_by("path")
    assert len(modules) == 3
    for number, module in enumerate(modules):
        steps = list(module.get_children().specific().order_by("path"))
        kinds = [type(step).__name__ for step in steps]
        graded = [step for step in steps if isinstance(step, QuizPage) and not step.is_diagnostic]
        assert kinds[-1] == "QuizPage" and len(graded) == 1 and graded[0] == steps[-1], kinds
        assert kinds.count("LessonPage") >= 3
        # The pre-assessment opens the first module, and only it.
        assert (isinstance(steps[0], QuizPage) and steps[0].is_diagnostic) == (number == 0)
    pages = course.get_descendants(inclusive=True)
    revisions = {page.pk: Revision.page_revisions.filter(object_id=str(page.pk)).count() for page in pages}
    documents = list(get_document_model().objects.order_by("pk").values_list("pk", "file", "file_hash"))

    again = load_course_file(REAL_CONTENT)

    assert not again.changed and not again.job_aids_rendered
    assert {page.pk: Revision.page_revisions.filter(object_id=str(page.pk)).count() for page in pages} == revisions
    assert list(get_document_model().objects.order_by("pk").values_list("pk", "file", "file_hash")) == documents
    assert course.instructors.filter(username="instructor").exists()


def test_every_page_renders_in_both_languages_in_its_own_language(real_course, client):
    assert real_course.sequencing == Sequencing.SEQUENTIAL
    trainee = make_trainee()
    enroll(trainee, real_course)
    client.force_login(trainee)
    pages = list(real_course.get_descendants(inclusive=True).live().specific().order_by("path"))
    assert len(pages) >= 16
    for page in pages:
        assert page.title_en != page.title_es, page.title_en
        for lang, other in (("en", "es"), ("es", "en")):
            with translation.override(lang):
                url = page.get_url()
            assert url.startswith(f"/{lang}/"), url
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            text = html.unescape(response.content.decode())
            assert f'lang="{lang}"' in text
            assert getattr(page, f"title_{lang}") in text, url
            assert getattr(page, f"title_{other}") not in text, (url, "shows the other language's title")
            if isinstance(page, LessonPage):
                first_text = lesson_blocks(page, lang, "rich_text")[0].source
                words = re.sub(r"<[^>]+>", " ", first_text).split()[:6]
                assert " ".join(words) in " ".join(re.sub(r"<[^>]+>", " ", text).split()), url
                assert "not translated yet" not in text and "aún no está traducida" not in text
        if isinstance(page, StepPage):
            # AC-100 is sequential: the trainee takes the steps in order.
            complete_step(trainee, page)


def test_every_quiz_draws_8_to_15_from_a_larger_pool(real_course):
    quizzes = QuizPage.objects.descendant_of(real_course)
    assert quizzes.count() == 4  # the three module quizzes and the pre-assessment
    for quiz in quizzes:
        assert 8 <= quiz.draw_count <= 15, quiz.title
        assert len(quiz.pool_question_ids()) > quiz.draw_count, quiz.title


def test_every_citation_has_a_reference_and_an_official_source(real_course):
    lessons = LessonPage.objects.descendant_of(real_course)
    count = 0
    for lesson in lessons:
        for lang in ("en", "es"):
            for citation in lesson_blocks(lesson, lang, "citation"):
                count += 1
                assert citation["reference"].strip(), lesson.title
                assert citation["title"].strip() and citation["quote"].strip(), lesson.title
                assert URL_RE.match(citation["url"]), (lesson.title, citation["url"])
    assert count >= 20


def test_every_image_has_alt_text_in_both_languages(real_course):
    images = 0
    for lesson in LessonPage.objects.descendant_of(real_course):
        en, es = lesson_blocks(lesson, "en", "image"), lesson_blocks(lesson, "es", "image")
        assert len(en) == len(es)
        for image_en, image_es in zip(en, es, strict=True):
            images += 1
            assert image_en["alt"].strip() and image_es["alt"].strip()
            assert image_en["alt"] != image_es["alt"]
            assert image_en["image"] is not None and image_es["image"] is not None
    assert images >= 1


def test_the_loaded_course_needs_no_translation_until_a_spanish_field_is_blanked(real_course):
    assert translation_status() == []

    lesson = LessonPage.objects.descendant_of(real_course).order_by("path").first()
    lesson.intro_es = ""
    lesson.save_revision().publish()

    rows = translation_status()
    assert [(row.object_label, row.field, row.problem) for row in rows] == [(lesson.title_en, "intro", "missing")]


# --------------------------------------------------------------- teaching rules
# Checked on the parsed file (no database), so they run in milliseconds.

INFORMAL_ES = re.compile(r"(?<![\wáéíóúñ])(tú|tu|tus|puedes|tienes|debes|estás|necesitas)(?![\wáéíóúñ])", re.IGNORECASE)


@pytest.fixture(scope="module")
def spec():
    from training.loader import read_course_file

    return read_course_file(REAL_CONTENT)


def all_lessons(spec):
    return [lesson for module in spec.children for lesson in module.children]


def required_lessons(spec):
    return [lesson for lesson in all_lessons(spec) if lesson.extra["required"]]


def test_every_lesson_states_objectives_a_current_as_of_date_and_a_citation(spec):
    lessons = all_lessons(spec)
    assert len(required_lessons(spec)) == 16 and len(lessons) == 17
    for lesson in lessons:
        objectives = lesson.extra["objectives"]
        assert len(objectives) >= 2, lesson.path
        assert all(o["en"].strip() and o["es"].strip() and o["en"] != o["es"] for o in objectives), lesson.path
        assert lesson.extra["as_of"] is not None, lesson.path
        types = [block.type for block in lesson.blocks]
        assert types.count("citation") >= 1, lesson.path
        # Shown to the trainee: objectives first, "current as of" with the sources last.
        assert types[0] == "callout" and lesson.blocks[0].values["es"]["title"] == "Objetivos de aprendizaje"
        dated = [b for b in lesson.blocks if b.type == "rich_text" and "Current as of" in b.values["en"]]
        assert len(dated) == 1 and "Vigente al" in dated[0].values["es"], lesson.path
        first_reference = next(b for b in lesson.blocks if b.type == "citation").values["en"]["reference"]
        assert html.escape(first_reference) in dated[0].values["en"], lesson.path


def test_every_module_ends_with_its_summary(spec):
    for module in spec.children:
        last = [lesson for lesson in module.children if lesson.extra["required"]][-1]
        summaries = [b for b in last.blocks if b.type == "callout" and b.values["en"]["title"] == "Module summary"]
        assert len(summaries) == 1, module.path
        assert summaries[0].values["es"]["title"] == "Resumen del módulo"
        assert "<li>" in summaries[0].values["es"]["text"]


def test_every_quiz_pool_holds_twice_its_draw_and_shuffles_explicitly(spec):
    for module in spec.children:
        quiz = module.quiz
        assert len(quiz["questions"]) >= 2 * quiz["draw"], module.path
        assert quiz["shuffle_choices"] is True and quiz["shuffle_questions"] is True, module.path
        for question in quiz["questions"]:
            if question["kind"] == "multiple":
                assert "Select all that apply" in question["text"]["en"], question["text"]["en"]
                assert "Seleccione todas las opciones que correspondan" in question["text"]["es"]


def test_stated_duration_and_credit_hours_are_computed_from_every_step(real_course):
    """Not typed in the file: the sum of the lessons, the quizzes, the
    pre-assessment and, once added, the practice exercise."""
    from practice.models import ExercisePage
    from tests.factories import add_page

    spec = read_course_file(REAL_CONTENT)
    assert spec.extra["duration_computed"]
    lessons = sum(lesson.extra["estimated_minutes"] for lesson in all_lessons(spec))
    quizzes = sum(module.quiz["estimated_minutes"] for module in spec.children)
    pre_assessment = spec.extra["pre_assessment"]["estimated_minutes"]
    course = real_course
    assert course.estimated_minutes == lessons + quizzes + pre_assessment
    assert course.credit_hours == Decimal(round((lessons + quizzes + pre_assessment) / 30)) / 2

    third = ModulePage.objects.child_of(course).order_by("path")[2]
    add_page(third, ExercisePage, "Practice", "Práctica", estimated_minutes=25)
    assert apply_computed_duration(course)
    course.refresh_from_db()
    assert course.estimated_minutes == lessons + quizzes + pre_assessment + 25
    assert course.credit_hours == Decimal(round((lessons + quizzes + pre_assessment + 25) / 30)) / 2
    # Loading the unchanged file again keeps the exercise's minutes.
    assert not load_course_file(REAL_CONTENT).changed
    course.refresh_from_db()
    assert course.estimated_minutes == lessons + quizzes + pre_assessment + 25


def test_the_pre_assessment_draws_ten_from_the_three_module_pools_and_counts_nothing(real_course):
    quizzes = list(QuizPage.objects.live().descendant_of(real_course).order_by("path"))
    diagnostic, graded = quizzes[0], quizzes[1:]
    assert diagnostic.is_diagnostic and not diagnostic.is_required and len(graded) == 3
    assert diagnostic.title_es.startswith("Evaluación diagnóstica")
    assert diagnostic.draw_count == 10 and diagnostic.max_attempts == 1
    assert diagnostic.review_policy == "score_only"  # the module quizzes ask the same questions
    pools = {category.pk for quiz in graded for category in quiz.draw_categories.all()}
    assert {category.pk for category in diagnostic.draw_categories.all()} == pools
    assert len(diagnostic.pool_question_ids()) >= 2 * diagnostic.draw_count


def test_job_aids_are_tagged_pdfs_linked_in_the_lesson_s_language(real_course):
    linked = {"en": set(), "es": set()}
    for lesson in LessonPage.objects.live().descendant_of(real_course):
        for lang in ("en", "es"):
            for value in lesson_blocks(lesson, lang, "document"):
                linked[lang].add(value["document"].pk)
                assert value["title"].endswith("(PDF)") and value["description"]
    loaded = LoadedJobAid.objects.filter(course_code="AC-100")
    assert loaded.count() == 6
    for lang in ("en", "es"):
        assert linked[lang] == {row.document_id for row in loaded if row.language == lang}
    glossary = LessonPage.objects.live().descendant_of(real_course).get(slug_en="glossary")
    assert len(lesson_blocks(glossary, "es", "document")) == 3  # the course's resources, in one place
    for row in loaded:
        with row.document.file.open("rb") as handle:
            pdf = handle.read()
        inside = pdf_objects(pdf)
        assert pdf.startswith(b"%PDF-") and b"pdfuaid" in inside and b"/StructTreeRoot" in inside, row
        assert f"/Lang ({row.language})".encode() in inside  # tagged PDF/UA-1 in the document's language
        assert row.document.file_size == len(pdf)
    spanish = loaded.get(key="statute-quick-reference", language="es").document
    assert spanish.title == "AC-100: Ayuda de trabajo: referencia rápida de leyes (Estados Unidos y México)"


def test_the_glossary_is_an_optional_bilingual_reference_of_every_key_term(spec):
    glossary = all_lessons(spec)[-1]
    assert glossary.slug == {"en": "glossary", "es": "glosario"} and glossary.extra["required"] is False
    entries = next(block for block in glossary.blocks if block.type == "key_terms").values
    taught = {
        item["term"]
        for lesson in required_lessons(spec)
        for block in lesson.blocks
        if block.type == "key_terms"
        for item in block.values["en"]
    }
    listed = " | ".join(entry["term"] for entry in entries["en"])
    assert all(term in listed for term in taught)
    straw = next(entry for entry in entries["es"] if entry["term"].startswith("Prestanombres"))
    assert "Straw purchaser" in straw["term"]


def test_the_spanish_of_the_course_uses_usted(spec):
    texts = []
    for lesson in all_lessons(spec):
        texts += [lesson.title["es"], lesson.intro["es"]]
        texts += [str(block.values["es"]) for block in lesson.blocks]
    for module in spec.children:
        for question in module.quiz["questions"]:
            texts.append(question["text"]["es"])
            texts += [choice["es"] for choice in question.get("choices", [])]
    for text in texts:
        assert not INFORMAL_ES.search(re.sub(r"https?://\S+", "", text)), text[:200]
