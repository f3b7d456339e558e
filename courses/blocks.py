"""Lesson content blocks. Each language has its own stream (body_en, body_es),
so every text in a block is written once per language."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=1000,
        help_text=_("What the image shows, for people who cannot see it. Diagrams may need a few sentences."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "courses/blocks/image.html"
        # No image can be assumed to exist, so the preview shows the caption only.
        preview_value = {"alt": "", "caption": "Concealment spaces found in a vehicle at a port of entry."}
        description = _("An image with its alternative text and an optional caption.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(label=_("Transcript"), features=["bold", "italic", "ul", "ol"])

    class Meta:
        icon = "media"
        label = _("Video with transcript")
        template = "courses/blocks/video.html"
        preview_value = {
            "video": None,
            "title": "How a straw purchase works",
            "transcript": "<p>Narrator: a buyer with a clean record purchases firearms for someone who cannot.</p>",
        }
        description = _("An embedded video with its title and full transcript.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"
        preview_value = {"title": "Seizure report form (PDF)", "description": "The form used at ports of entry."}
        description = _("A link to download a document from the library.")


class CitationBlock(blocks.StructBlock):
    reference = blocks.CharBlock(
        label=_("Citation"), max_length=200, help_text=_("As a lawyer writes it, e.g. 22 U.S.C. § 2778.")
    )
    title = blocks.CharBlock(label=_("Name of the law or regulation"), max_length=300)
    quote = blocks.TextBlock(label=_("What it says"), help_text=_("A short quotation or summary."))
    url = blocks.URLBlock(label=_("Official source"), help_text=_("Where the official text can be read."))

    class Meta:
        icon = "openquote"
        label = _("Legal citation")
        template = "courses/blocks/citation.html"
        preview_value = {
            "reference": "22 U.S.C. § 2778",
            "title": "Arms Export Control Act",
            "quote": "Controls the export of defense articles, including many firearms and their parts.",
            "url": "https://www.law.cornell.edu/uscode/text/22/2778",
        }
        description = _("A law or regulation with a short quotation and a link to the official text.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("key_point", _("Key point")), ("warning", _("Warning")), ("red_flag", _("Red flag"))],
        default="key_point",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "ul", "ol", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        preview_value = {
            "kind": "red_flag",
            "title": "Several buyers, one payer",
            "text": "<p>Different people buy the same models, but the money comes from one person.</p>",
        }
        description = _("A highlighted key point, warning or red flag.")


class KeyTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=200)
    definition = blocks.TextBlock(label=_("Definition"))


class KeyTermsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(KeyTermBlock(), **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("Key terms")
        template = "courses/blocks/key_terms.html"
        preview_value = [
            {"term": "Straw purchase", "definition": "Buying a firearm for someone else while claiming it is for you."},
            {"term": "Port of entry", "definition": "A place where people and goods lawfully cross the border."},
        ]
        description = _("Terms and their definitions, shown as a glossary.")


class LessonRichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/rich_text.html"
        preview_value = (
            "<h3>Red flags at the counter</h3><p>A buyer who pays cash for several identical pistols "
            "and cannot say who they are for.</p>"
        )
        description = _("Paragraphs, headings, lists and links.")


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = LessonRichTextBlock(features=RICH_FEATURES)
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    citation = CitationBlock()
    callout = CalloutBlock()
    key_terms = KeyTermsBlock()
