"""The lesson and module fields that become blocks: objectives, as_of, summary."""

import datetime

from training.content_schema import ContentChecker


def lesson_data(**extra):
    return {
        "slug": {"en": "a-lesson", "es": "una-leccion"},
        "title": {"en": "A lesson", "es": "Una lección"},
        "body": [
            {"rich_text": {"en": "<p>Text</p>", "es": "<p>Texto</p>"}},
            {
                "citation": {
                    "reference": "18 U.S.C. § 554",
                    "title": {"en": "Smuggling", "es": "Contrabando"},
                    "quote": {"en": "Up to 10 years.", "es": "Hasta 10 años."},
                    "url": "https://www.law.cornell.edu/uscode/text/18/554",
                }
            },
        ],
        **extra,
    }


def test_objectives_come_first_and_the_as_of_date_with_the_sources_last(tmp_path):
    checker = ContentChecker(tmp_path)
    spec = checker.lesson(
        lesson_data(
            objectives=[{"en": "Tell A & B apart", "es": "Distinguir A & B"}],
            as_of=datetime.date(2026, 12, 1),
        ),
        "lesson",
    )
    assert checker.problems == []
    assert [block.type for block in spec.blocks] == ["callout", "rich_text", "citation", "rich_text"]
    objectives = spec.blocks[0].values
    assert (
        objectives["en"]["title"] == "Learning objectives" and objectives["es"]["title"] == "Objetivos de aprendizaje"
    )
    assert objectives["en"]["text"] == "<ul><li>Tell A &amp; B apart</li></ul>"
    dated = spec.blocks[-1].values
    assert "Current as of" in dated["en"] and "2026" in dated["en"] and "18 U.S.C. § 554" in dated["en"]
    assert "Vigente al 1 dic. 2026" in dated["es"] and "Fuentes: 18 U.S.C. § 554" in dated["es"]
    assert spec.extra["as_of"] == datetime.date(2026, 12, 1)


def test_a_lesson_without_the_new_fields_is_unchanged(tmp_path):
    checker = ContentChecker(tmp_path)
    spec = checker.lesson(lesson_data(), "lesson")
    assert checker.problems == []
    assert [block.type for block in spec.blocks] == ["rich_text", "citation"]
    assert spec.extra["objectives"] == [] and spec.extra["as_of"] is None


def test_a_bad_date_and_a_half_translated_objective_are_reported_with_their_paths(tmp_path):
    checker = ContentChecker(tmp_path)
    checker.lesson(lesson_data(objectives=[{"en": "Only English"}], as_of="1 December"), "m.lessons[0]")
    paths = [path for path, _problem in checker.problems]
    assert "m.lessons[0].objectives[0]" in paths
    assert "m.lessons[0].as_of" in paths


def test_the_module_summary_closes_the_last_lesson(tmp_path):
    checker = ContentChecker(tmp_path)
    spec = checker.module(
        {
            "slug": {"en": "m", "es": "m"},
            "title": {"en": "Module", "es": "Módulo"},
            "summary": {"en": "<ul><li>One</li></ul>", "es": "<ul><li>Uno</li></ul>"},
            "lessons": [lesson_data(), lesson_data(slug={"en": "b", "es": "b"})],
        },
        "m",
    )
    assert checker.problems == []
    first, last = spec.children
    assert [block.type for block in first.blocks] == ["rich_text", "citation"]
    summary = last.blocks[-1]
    assert summary.type == "callout" and summary.values["es"]["title"] == "Resumen del módulo"
    assert summary.values["es"]["text"] == "<ul><li>Uno</li></ul>"


def test_an_optional_lesson_is_marked_and_skipped_by_the_module_summary(tmp_path):
    checker = ContentChecker(tmp_path)
    spec = checker.module(
        {
            "slug": {"en": "m", "es": "m"},
            "title": {"en": "Module", "es": "Módulo"},
            "summary": {"en": "<p>Sum</p>", "es": "<p>Res</p>"},
            "lessons": [lesson_data(), lesson_data(slug={"en": "ref", "es": "ref"}, required=False)],
        },
        "m",
    )
    assert checker.problems == []
    required, reference = spec.children
    assert required.extra["required"] is True and reference.extra["required"] is False
    assert required.blocks[-1].values["en"]["title"] == "Module summary"
    assert [block.type for block in reference.blocks] == ["rich_text", "citation"]


def test_required_must_be_true_or_false(tmp_path):
    checker = ContentChecker(tmp_path)
    checker.lesson(lesson_data(required="no"), "lesson")
    assert [path for path, _problem in checker.problems] == ["lesson.required"]
