from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from courses.models import CoursePage, LessonPage, ModulePage
from quizzes.models import Question, QuizPage
from tests.factories import make_instructor
from training.exceptions import ContentError
from training.loader import load_course_file, read_course_file

from .conftest import rewrite

pytestmark = pytest.mark.django_db


def revision_counts(course):
    pages = course.get_descendants(inclusive=True)
    return {page.pk: Revision.page_revisions.filter(object_id=str(page.pk)).count() for page in pages}


def tree(course):
    return [
        (page.depth - course.depth, type(page).__name__, page.slug_en, page.slug_es)
        for page in course.get_descendants(inclusive=True).specific().order_by("path")
    ]


def test_the_file_builds_the_course_tree(mini_file, course_index):
    instructor = make_instructor(username="instructor")
    result = load_course_file(mini_file)
    course = CoursePage.objects.get(code="TT-100")
    assert result.course == course and course.get_parent().pk == course_index.pk
    assert tree(course) == [
        (0, "CoursePage", "test-trafficking-course", "curso-de-prueba-trafico"),
        (1, "ModulePage", "export-basics", "bases-de-exportacion"),
        (2, "LessonPage", "the-law", "la-ley"),
        (2, "LessonPage", "the-agencies", "las-instituciones"),
        (2, "QuizPage", "export-basics-quiz", "cuestionario-bases"),
        (1, "ModulePage", "case-data", "datos-de-casos"),
        (2, "LessonPage", "good-records", "buenos-registros"),
    ]
    assert (course.title_en, course.title_es) == ("Test trafficking course", "Curso de prueba sobre tráfico")
    assert course.summary_es == "Un curso breve que usan las pruebas."
    assert course.intro_en == "<p>Welcome to the <strong>test</strong> course.</p>"
    assert (course.credit_hours, course.estimated_minutes, course.validity_months) == (Decimal("1.5"), 45, 24)
    assert list(course.instructors.all()) == [instructor]
    assert all(page.live for page in course.get_descendants(inclusive=True))
    assert set(revision_counts(course).values()) == {1}

    module = ModulePage.objects.get(slug_en="export-basics")
    assert module.intro_es == "Por qué se controlan las exportaciones."
    lesson = LessonPage.objects.get(slug_en="the-law")
    assert (lesson.intro_es, lesson.estimated_minutes) == ("La ley en una página.", 15)
    assert [block.block_type for block in lesson.body_en] == ["rich_text", "citation", "callout", "key_terms", "image"]
    assert [block.block_type for block in lesson.body_es] == [block.block_type for block in lesson.body_en]
    assert lesson.body_es[0].value.source.startswith("<h3>Alcance</h3>")
    citation = lesson.body_es[1].value
    assert (citation["reference"], citation["title"]) == ("22 U.S.C. § 2778", "Ley de Control de Exportación de Armas")
    assert lesson.body_en[2].value["kind"] == "red_flag"
    assert [item["term"] for item in lesson.body_es[3].value] == ["Compra por prestanombres", "Puerto de entrada"]
    image_en, image_es = lesson.body_en[4].value, lesson.body_es[4].value
    assert image_en["image"].pk != image_es["image"].pk  # one image per language
    assert (image_en["alt"], image_es["alt"]) == ("Diagram of a port of entry", "Diagrama de un puerto de entrada")
    assert image_es["image"].file.name.endswith(".svg") and image_es["image"].width == 200

    quiz = QuizPage.objects.get(slug_en="export-basics-quiz")
    assert (quiz.title_es, quiz.draw_count, quiz.pass_mark) == ("Cuestionario: bases de la exportación", 2, 80)
    assert len(quiz.pool_question_ids()) == 3


def test_loading_twice_changes_nothing(mini_file, course_index):
    make_instructor(username="instructor")
    first = load_course_file(mini_file)
    course = first.course
    before = (tree(course), revision_counts(course), get_image_model().objects.count(), Question.objects.count())
    page_ids = list(course.get_descendants(inclusive=True).values_list("pk", flat=True))

    second = load_course_file(mini_file)

    assert not second.changed and not second.created and not second.updated
    assert second.course.pk == course.pk
    assert list(course.get_descendants(inclusive=True).values_list("pk", flat=True)) == page_ids
    assert (
        tree(course),
        revision_counts(course),
        get_image_model().objects.count(),
        Question.objects.count(),
    ) == before


def test_a_changed_field_publishes_one_new_revision_of_that_page_only(mini_file, mini_course):
    before = revision_counts(mini_course)

    def change(data):
        data["course"]["modules"][1]["lessons"][0]["body"][0]["rich_text"]["es"] = "<p>Anota la serie completa.</p>"

    result = load_course_file(rewrite(mini_file, change))

    lesson = LessonPage.objects.get(slug_en="good-records")
    assert [page.pk for page in result.updated] == [lesson.pk]
    after = revision_counts(mini_course)
    assert after[lesson.pk] == before[lesson.pk] + 1
    assert {pk: n for pk, n in after.items() if pk != lesson.pk} == {
        pk: n for pk, n in before.items() if pk != lesson.pk
    }
    assert lesson.body_es[0].value.source == "<p>Anota la serie completa.</p>"
    assert lesson.live and not lesson.has_unpublished_changes


def test_a_page_someone_unpublished_gets_the_change_as_a_draft(mini_file, mini_course):
    lesson = LessonPage.objects.get(slug_en="good-records")
    lesson.unpublish()
    revisions = Revision.page_revisions.filter(object_id=str(lesson.pk)).count()

    def change(data):
        data["course"]["modules"][1]["lessons"][0]["title"]["en"] = "Good records, kept well"

    result = load_course_file(rewrite(mini_file, change))
    lesson.refresh_from_db()
    assert not lesson.live and lesson.title_en == "Good records, kept well"
    assert Revision.page_revisions.filter(object_id=str(lesson.pk)).count() == revisions + 1
    assert any("is not live" in warning for warning in result.warnings)
    assert not load_course_file(mini_file).changed


def test_a_changed_quiz_is_rebuilt_and_an_unchanged_one_is_not(mini_file, mini_course):
    quiz = QuizPage.objects.get(slug_en="export-basics-quiz")
    revisions = Revision.page_revisions.filter(object_id=str(quiz.pk)).count()
    assert not load_course_file(mini_file).quizzes_built

    def change(data):
        data["course"]["modules"][0]["quiz"]["questions"][0]["text"]["es"] = "¿Qué ley regula la exportación?"

    result = load_course_file(rewrite(mini_file, change))

    assert [page.pk for page in result.quizzes_built] == [quiz.pk]
    assert Question.objects.filter(text_es="¿Qué ley regula la exportación?").count() == 1
    assert Revision.page_revisions.filter(object_id=str(quiz.pk)).count() == revisions + 1


def test_pages_follow_the_order_of_the_file(mini_file, mini_course):
    def swap(data):
        lessons = data["course"]["modules"][0]["lessons"]
        lessons.reverse()

    load_course_file(rewrite(mini_file, swap))
    module = ModulePage.objects.get(slug_en="export-basics")
    assert [page.slug_en for page in module.get_children().order_by("path")] == [
        "the-agencies",
        "the-law",
        "export-basics-quiz",
    ]


def snapshot():
    return Page.objects.count(), get_image_model().objects.count(), Question.objects.count(), Revision.objects.count()


def test_a_malformed_file_names_the_place_and_writes_nothing(mini_file, course_index):
    def break_it(data):
        data["course"]["modules"][0]["lessons"][0]["body"].insert(3, {"foo": {"en": "x", "es": "y"}})

    before = snapshot()
    with pytest.raises(ContentError) as caught:
        load_course_file(rewrite(mini_file, break_it))
    message = str(caught.value)
    assert str(mini_file) in message
    assert "course.modules[0].lessons[0].body[3]: unknown block type 'foo'" in message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda d: d["course"]["title"].pop("es"), "course.title", "missing key 'es'"),
        (lambda d: d["course"].pop("modules"), "course", "missing key 'modules'"),
        (lambda d: d["course"].update(sumary="x"), "course", "unknown key 'sumary'"),
        (
            lambda d: d["course"]["modules"][0]["lessons"][1].update(title={"en": "The agencies", "es": " "}),
            "course.modules[0].lessons[1].title.es",
            "this text is empty",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][0]["body"][1]["citation"].update(url="ftp://example.org/x"),
            "course.modules[0].lessons[0].body[1].citation.url",
            "is not an http(s) address",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][0]["body"][0]["rich_text"].update(es="<div>hola</div>"),
            "course.modules[0].lessons[0].body[0].rich_text.es",
            "tag <div> is not allowed",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][0]["body"][2]["callout"].update(kind="hint"),
            "course.modules[0].lessons[0].body[2].callout.kind",
            "unknown callout kind 'hint'",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][0]["body"][4]["image"]["caption"].update(en="a" * 301),
            "course.modules[0].lessons[0].body[4].image.caption.en",
            "at most 300 characters",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][0]["body"][4]["image"]["file"].update(es="images/nope.svg"),
            "course.modules[0].lessons[0].body[4].image.file.es",
            "image file 'images/nope.svg' not found",
        ),
        (
            lambda d: d["course"]["modules"][0]["lessons"][1]["slug"].update(es="la-ley"),
            "course.modules[0].lessons[1].slug.es",
            "slug 'la-ley' is already used",
        ),
        (
            lambda d: d["course"]["modules"][0]["quiz"].update(draw=3),
            "course.modules[0].quiz.draw",
            "the pool must be larger",
        ),
        (
            lambda d: d["course"]["modules"][1].update(intro={"en": "<p>x</p>", "es": "y"}),
            "course.modules[1].intro.en",
            "plain text expected here",
        ),
    ],
)
def test_each_problem_is_reported_with_its_path(mini_file, course_index, change, where, problem):
    def edit(data):
        change(data)

    before = snapshot()
    with pytest.raises(ContentError) as caught:
        load_course_file(rewrite(mini_file, edit))
    problems = [(caught.value.path, caught.value.problem), *caught.value.others]
    assert any(path == where and problem in text for path, text in problems), problems
    assert snapshot() == before


def test_every_problem_of_a_file_is_listed(mini_file):
    def edit(data):
        data["course"]["title"]["es"] = ""
        data["course"]["modules"][1]["lessons"][0]["body"][0] = {"video": {}}

    with pytest.raises(ContentError) as caught:
        read_course_file(rewrite(mini_file, edit))
    paths = [caught.value.path] + [path for path, _problem in caught.value.others]
    assert paths == ["course.title.es", "course.modules[1].lessons[0].body[0]"]
    assert "Further problems in the same file" in str(caught.value)


def test_invalid_yaml_names_the_line(mini_file):
    mini_file.write_text("course:\n  code: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_course_file(mini_file)
    assert caught.value.path.startswith("line ")
    assert "not valid YAML" in caught.value.problem


def test_a_quiz_the_quiz_builder_refuses_rolls_everything_back(mini_file, course_index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def edit(data):
        data["course"]["modules"][0]["quiz"]["questions"][0]["choices"][1]["correct"] = True

    before = snapshot()
    with pytest.raises(ContentError) as caught:
        load_course_file(rewrite(mini_file, edit))
    assert caught.value.path == "course.modules[0].quiz"
    assert "exactly one choice" in caught.value.problem
    assert snapshot() == before
    assert not [path for path in (tmp_path / "media").rglob("*") if path.is_file()]  # image files removed too


def test_load_content_command(mini_file, course_index):
    call_command("load_content", str(mini_file))
    assert CoursePage.objects.filter(code="TT-100").exists()

    mini_file.write_text("course: 1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="course: expected a mapping"):
        call_command("load_content", str(mini_file))


def test_demo_loads_every_content_file_and_skips_a_broken_one(content_dir, course_index, settings):
    from training import demo

    settings.TRAINING_CONTENT_DIR = content_dir
    (content_dir / "broken.yaml").write_text("course: {}\n", encoding="utf-8")
    demo.load()
    assert CoursePage.objects.filter(code="TT-100").exists()
    assert CoursePage.objects.count() == 1
