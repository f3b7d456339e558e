"""Lesson content blocks render accessible HTML and can be previewed."""

import pytest
from bs4 import BeautifulSoup

from courses.blocks import (
    CalloutBlock,
    CitationBlock,
    DocumentBlock,
    ImageWithCaptionBlock,
    KeyTermsBlock,
    LessonRichTextBlock,
    LessonStreamBlock,
    VideoBlock,
)

pytestmark = pytest.mark.django_db


def render(block, value):
    return BeautifulSoup(block.render(block.to_python(value)), "html.parser")


def test_every_block_has_a_preview_value_label_and_template():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.preview_value, name
        assert block.meta.template.startswith("courses/blocks/"), name
        assert str(block.label), name


@pytest.mark.parametrize(
    "block_class",
    [LessonRichTextBlock, ImageWithCaptionBlock, VideoBlock, DocumentBlock, CitationBlock, CalloutBlock, KeyTermsBlock],
)
def test_preview_values_render(block_class):
    block = block_class()
    block.set_name("sample")
    html = block.render(block.get_preview_value())
    assert html.strip()


def test_citation_is_a_figure_with_quote_reference_and_official_link():
    soup = render(
        CitationBlock(),
        {
            "reference": "22 U.S.C. § 2778",
            "title": "Arms Export Control Act",
            "quote": "Controls the export of defense articles.",
            "url": "https://www.law.cornell.edu/uscode/text/22/2778",
        },
    )
    figure = soup.find("figure")
    assert figure.find("blockquote")["cite"] == "https://www.law.cornell.edu/uscode/text/22/2778"
    assert "Controls the export" in figure.blockquote.get_text()
    assert figure.find("cite").get_text() == "Arms Export Control Act"
    assert "22 U.S.C. § 2778" in figure.figcaption.get_text()
    link = figure.figcaption.find("a")
    assert link["href"] == "https://www.law.cornell.edu/uscode/text/22/2778"
    assert "external" in link["rel"]


@pytest.mark.parametrize(
    ("kind", "label"), [("red_flag", "Red flag:"), ("warning", "Warning:"), ("key_point", "Key point:")]
)
def test_callout_is_a_note_with_its_kind_styled_and_spoken(kind, label):
    soup = render(CalloutBlock(), {"kind": kind, "title": "Look here", "text": "<p>Details</p>"})
    note = soup.find(attrs={"role": "note"})
    assert f"callout-{kind}" in note["class"]
    assert note.find(class_="visually-hidden").get_text(strip=True) == label
    assert note.find(attrs={"aria-hidden": "true"}) is not None
    assert "Look here" in note.get_text() and "Details" in note.get_text()


def test_video_has_its_transcript_in_details():
    soup = render(
        VideoBlock(),
        {"video": "https://www.youtube.com/watch?v=abc", "title": "Straw purchases", "transcript": "<p>Hello</p>"},
    )
    details = soup.find("details")
    assert "Straw purchases" in details.summary.get_text()
    assert "Hello" in details.get_text()
    assert soup.find("a", href="https://www.youtube.com/watch?v=abc")


def test_key_terms_are_a_description_list():
    soup = render(
        KeyTermsBlock(),
        [{"term": "Straw purchase", "definition": "Buying for someone else."}, {"term": "ECCN", "definition": "x"}],
    )
    dl = soup.find("dl")
    assert [dt.get_text() for dt in dl.find_all("dt")] == ["Straw purchase", "ECCN"]
    assert dl.find("dd").get_text() == "Buying for someone else."


def test_document_links_the_file_with_type_and_size(tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(title="Form", file=ContentFile(b"%PDF-1.4 test", name="form.pdf"))
    soup = render(DocumentBlock(), {"document": document.pk, "title": "Seizure form", "description": "Use it."})
    link = soup.find("a")
    assert link["href"] == document.url and link.get_text() == "Seizure form"
    assert "PDF" in soup.get_text() and "Use it." in soup.get_text()


def test_image_has_alt_text_and_caption(tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = tmp_path
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    image = Image.objects.create(title="Diagram", file=ContentFile(svg, name="diagram.svg"), width=10, height=10)
    soup = render(ImageWithCaptionBlock(), {"image": image.pk, "alt": "A black square", "caption": "Figure 1"})
    assert soup.find("img")["alt"] == "A black square"
    assert soup.find("figcaption").get_text() == "Figure 1"


def test_rich_text_in_a_stream_renders_inside_its_wrapper():
    stream = LessonStreamBlock().to_python([{"type": "rich_text", "value": "<p>Hello</p>"}])
    assert '<div class="block-rich-text"><p>Hello</p></div>' in str(stream)
