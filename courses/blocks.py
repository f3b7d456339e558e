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
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(label=_("Transcript"), features=["bold", "italic", "ul", "ol"])

    class Meta:
        icon = "media"
        label = _("Video with transcript")
        template = "courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


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


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES, template="courses/blocks/rich_text.html")
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    citation = CitationBlock()
    callout = CalloutBlock()
    key_terms = KeyTermsBlock()
