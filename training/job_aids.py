"""Job aids: the downloadable documents a content file describes under
``job_aids`` (training.content_schema), rendered to tagged PDF with
WeasyPrint, one per language.

``render_job_aid(aid, language)`` is pure (HTML in, PDF bytes out). The
loader stores each PDF as a Wagtail document (``store_job_aid``) and
remembers, per course, key and language, the digest of what it was rendered
from (``LoadedJobAid``): an unchanged job aid is never rendered again, and a
changed one replaces the file of the same document, so the lessons' links
stay valid.
"""

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.documents import get_document_model

from .models import LoadedJobAid

#: Tagged PDF (structure tree, document language, title): PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"
#: Bump when the template or its styles change, so every job aid is rendered again.
TEMPLATE_VERSION = 1


def digest(aid, language):
    """What a job aid's document in ``language`` is rendered from."""
    # Only that language's texts: a Spanish edit leaves the English PDF alone.
    payload = {"aid": in_language(aid, language), "language": language, "template": TEMPLATE_VERSION}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    ).hexdigest()


def in_language(aid, language):
    """The job aid's texts in ``language`` only (the template's context)."""

    def pick(value):
        return value[language] if isinstance(value, dict) else value

    return {
        "key": aid["key"],
        "title": pick(aid["title"]),
        "description": pick(aid["description"]),
        "intro": pick(aid["intro"]),
        "as_of": aid["as_of"],
        "sections": [
            {
                "heading": pick(section["heading"]),
                "intro": pick(section["intro"]),
                "items": [pick(item) for item in section["items"]],
                "columns": [pick(column) for column in section["columns"]],
                "rows": [[pick(cell) for cell in row] for row in section["rows"]],
            }
            for section in aid["sections"]
        ],
        "sources": [{"reference": pick(s["reference"]), "url": pick(s["url"])} for s in aid["sources"]],
    }


def render_html(aid, language, course_title=""):
    with translation.override(language):
        return render_to_string(
            "training/job_aid.html",
            {"aid": in_language(aid, language), "language": language, "course_title": course_title},
        )


#: PDFs rendered by this process, by digest: a job aid rendered once is not
#: rendered again when another database (a test's, a second site) loads it.
_rendered = {}


def render_job_aid(aid, language, course_title=""):
    """The job aid in ``language`` as tagged PDF bytes. Fetches nothing."""
    key = (digest(aid, language), course_title)
    if key not in _rendered:
        if len(_rendered) > 32:
            _rendered.clear()
        _rendered[key] = _render(aid, language, course_title)
    return _rendered[key]


def _render(aid, language, course_title):
    import weasyprint

    html = render_html(aid, language, course_title)
    # The template loads no resource (no image, no stylesheet link, fonts from the system).
    document = weasyprint.HTML(string=html)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=digest(aid, language)[:32].encode())


def file_name(course_code, aid, language):
    return f"{course_code.lower()}-{aid['key']}-{language}.pdf"


def store_job_aid(course_code, aid, language, course_title=""):
    """The Wagtail document of the job aid in ``language``: the same one as
    last time when nothing changed, else rendered (again). Returns
    ``(document, rendered)``, ``rendered`` being the storage name written
    or None."""
    Document = get_document_model()
    wanted = digest(aid, language)
    loaded = (
        LoadedJobAid.objects.filter(course_code=course_code, key=aid["key"], language=language)
        .select_related("document")
        .first()
    )
    if loaded is not None and loaded.digest == wanted and loaded.document.file:
        return loaded.document, None
    content = render_job_aid(aid, language, course_title)
    title = f"{course_code}: {aid['title'][language]}"[:255]
    document = loaded.document if loaded is not None else Document(title=title)
    document.title = title
    document.file.save(file_name(course_code, aid, language), ContentFile(content), save=False)
    document.file_size = len(content)
    # Wagtail's own document file_hash is a SHA-1 (matching, not security).
    document.file_hash = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    document.save()
    LoadedJobAid.objects.update_or_create(
        course_code=course_code,
        key=aid["key"],
        language=language,
        defaults={"document": document, "digest": wanted},
    )
    return document, document.file.name
