"""The certificate PDF: a Django template and print stylesheet rendered by
WeasyPrint, with bundled pre-subset fonts and a URL fetcher that fetches
nothing but our own static files, the template's images and data: URIs.

Learner text (the holder's name) reaches the PDF only through Django's
autoescaping, so markup in a name renders as text; and even if markup got
through, the fetcher would refuse anything outside the allow-list.
"""

import atexit
import hashlib
import logging
import mimetypes
import os
import re
import threading
from dataclasses import dataclass, field
from urllib import request as urllib_request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CertificateTemplate, LanguageMode, PageSize

logger = logging.getLogger(__name__)

#: The base URL of every certificate document. ``.invalid`` never resolves;
#: the fetcher maps URLs under it to static files and template images.
BASE_URL = "https://certificate.invalid/"
STATIC_BASE = BASE_URL + "static/"
MEDIA_BASE = BASE_URL + "media/"

#: PDF/UA-1 identification for the XMP metadata of a PDF/A-3a file. PDF/A
#: allows only properties of known schemas, so the pdfuaid schema is declared
#: through PDF/A's extension schema mechanism (ISO 19005-1, 6.7.2.2).
PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""

#: The variant certificates use: archival PDF/A-3 at level "a" (tagged:
#: structure tree, document language, alternative text) that also declares
#: PDF/UA-1 (Section 508 asks for accessible documents).
PDF_VARIANT = "pdf/a-3a+ua-1"


def _pdfa_ua(pdf, document, page_streams, attachments, compress):
    """WeasyPrint's PDF/A-3a with the PDF/UA-1 identifier added inside its
    one rdf:RDF block (XMP allows a single one)."""
    from weasyprint.pdf import pdfa

    metadata = document.metadata
    rdf = metadata.generate_rdf_metadata

    def with_pdfua(variant, version, conformance):
        return rdf(variant, version, conformance).replace(b"</rdf:RDF>", PDFUA_XMP + b"</rdf:RDF>")

    metadata.generate_rdf_metadata = with_pdfua
    try:
        pdfa.pdfa(pdf, document, page_streams, attachments, compress, version=3, variant="A")
    finally:
        del metadata.generate_rdf_metadata


def _register_variant():
    """WeasyPrint offers one variant per document; register ours beside its
    own (idempotent)."""
    from weasyprint import pdf as weasy_pdf

    if PDF_VARIANT not in weasy_pdf.VARIANTS:
        _function, properties = weasy_pdf.VARIANTS["pdf/a-3a"]
        weasy_pdf.VARIANTS[PDF_VARIANT] = (_pdfa_ua, dict(properties))


#: WeasyPrint options. Fonts are already subset (see
#: static/certificates/fonts/README.md), so WeasyPrint's own subsetting has
#: little left to do; full_fonts=True measured slower and three times larger.
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT}


class FetchRefused(ValueError):
    """A URL outside the allow-list. WeasyPrint catches it and renders the
    document without that resource."""


_static_cache = {}


def _read_static(path):
    """The bytes of a static file, cached per path and modification time."""
    stamp = os.stat(path).st_mtime_ns
    cached = _static_cache.get(path)
    if cached is None or cached[0] != stamp:
        with open(path, "rb") as handle:
            cached = (stamp, handle.read())
        _static_cache[path] = cached
    return cached[1]


def find_static(relative):
    """The absolute path of a static file found by the staticfiles finders,
    or None. Refuses absolute paths and ``..`` segments."""
    relative = unquote(relative)
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative or "\x00" in relative:
        return None
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    if not found or not os.path.isfile(found):
        return None
    return found


def _weasyprint():
    import weasyprint

    _register_variant()
    return weasyprint


def make_fetcher(files=None):
    """A WeasyPrint URL fetcher limited to data: URIs, our static files and
    the storage files listed in ``files`` ({url: (storage, name)})."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcherResponse

    class SafeURLFetcher(weasyprint.URLFetcher):
        def __init__(self, files=None):
            # fetch() below never calls urllib; these only document intent.
            super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
            self.files = dict(files or {})
            self.fetched = []
            self.refused = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                response = urllib_request.DataHandler().data_open(urllib_request.Request(url))
                self.fetched.append("data:")
                return URLFetcherResponse(
                    "data:",
                    response.read(),
                    headers={"Content-Type": response.headers.get_content_type()},
                )
            if url in self.files:
                storage, name = self.files[url]
                with storage.open(name, "rb") as handle:
                    body = handle.read()
                self.fetched.append(url)
                return URLFetcherResponse(url, body, headers={"Content-Type": _mime(name)})
            parts = urlsplit(url)
            if url.startswith(STATIC_BASE) and not parts.query and not parts.fragment:
                path = find_static(parts.path[len(urlsplit(STATIC_BASE).path) :])
                if path is not None:
                    self.fetched.append(url)
                    return URLFetcherResponse(url, _read_static(path), headers={"Content-Type": _mime(path)})
            self.refused.append(url)
            logger.warning("Certificate PDF: refused to fetch %r", url[:200])
            raise FetchRefused(f"Refused to fetch {url[:200]!r}")

        def open(self, url, data=None, timeout=None):
            # urllib's redirect and proxy machinery is never used.
            raise FetchRefused("Refused")

    return SafeURLFetcher(files)


def _mime(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def verification_url(certificate, language=None):
    """The public verification URL, in ``language`` (default: the certificate's)."""
    with translation.override(language or certificate.language):
        path = reverse("verify", kwargs={"code": certificate.code})
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def qr_data_uri(url):
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(border=0, dark="#10263a")


def _image_ref(image, spec, files):
    """Register a Wagtail image (a rendition of it) with the fetcher and return
    its document URL, or None when there is no image."""
    if image is None:
        return None
    if image.is_svg():
        stored = image.file
    else:
        stored = image.get_rendition(spec).file
    url = MEDIA_BASE + stored.name
    files[url] = (stored.storage, stored.name)
    return url


def _length_class(text, long, very_long):
    """Long names and titles get smaller type so the certificate stays on one page."""
    size = len(text or "")
    return "very-long" if size > very_long else "long" if size > long else ""


def _safe_colour(value):
    """The colour goes into CSS: only ever #RRGGBB."""
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value or "") else "#0b3d62"


def _number(value):
    text = formats.number_format(value, decimal_pos=1, use_l10n=True)
    zero = formats.number_format(0, decimal_pos=1, use_l10n=True)[1:]  # ".0" or ",0"
    return text.removesuffix(zero)


@dataclass
class Side:
    """Everything printed in one language."""

    lang: str
    texts: dict = field(default_factory=dict)


def build_sides(certificate, template):
    """The wording in the certificate's language, plus the other language
    when the template is bilingual (holder's language first)."""
    languages = [certificate.language]
    if template is not None and template.language_mode == LanguageMode.BILINGUAL:
        languages += [code for code, _name in settings.LANGUAGES if code != certificate.language]
    sides = []
    for lang in languages:
        with translation.override(lang):

            def wording(name, lang=lang):
                return template.wording(name, lang) if template is not None else ""

            hours = _number(certificate.credit_hours)
            plural = 1 if certificate.credit_hours == 1 else 2
            sides.append(
                Side(
                    lang=lang,
                    texts={
                        "heading": wording("heading") or _("Certificate of Completion"),
                        "intro": _("This certifies that"),
                        "statement": wording("statement") or _("has successfully completed the course"),
                        "course_title": certificate.course_title_in(lang),
                        "hours": ngettext("%(hours)s credit hour", "%(hours)s credit hours", plural) % {"hours": hours},
                        "issuer": wording("issuer_name") or _("Armas Cruzadas Training Program"),
                        "issued_label": _("Issued"),
                        "issued": formats.date_format(certificate.issued_on, "DATE_FORMAT"),
                        "expires_label": _("Valid until"),
                        "expires": (
                            formats.date_format(certificate.expires_on, "DATE_FORMAT")
                            if certificate.expires_on
                            else _("Does not expire")
                        ),
                        "serial_label": _("Serial number"),
                        "verify_label": _("Verify this certificate at"),
                        "qr_alt": _("QR code of the verification address"),
                        "signatory_1_title": wording("signatory_1_title"),
                        "signatory_2_title": wording("signatory_2_title"),
                        "footer_note": wording("footer_note"),
                    },
                )
            )
    return sides


def render_html(certificate, template=None, *, embedded_fonts=True):
    """The certificate as an HTML document, and the files its fetcher may
    serve. ``embedded_fonts=False`` names the system DejaVu fonts instead of
    the bundled subsets (the benchmark's naive baseline)."""
    files = {}
    sides = build_sides(certificate, template)
    url = verification_url(certificate)
    signatories = []
    if template is not None:
        for n in (1, 2):
            name = getattr(template, f"signatory_{n}_name")
            image = _image_ref(getattr(template, f"signatory_{n}_signature"), "max-600x200", files)
            titles = [side.texts[f"signatory_{n}_title"] for side in sides]
            if name or image or any(titles):
                signatories.append({"name": name, "image": image, "titles": [t for t in titles if t]})
    page_size = template.page_size if template is not None else PageSize.A4
    context = {
        "name_class": _length_class(certificate.holder_name, 34, 60),
        "course_class": _length_class(max((side.texts["course_title"] for side in sides), key=len), 60, 110),
        "certificate": certificate,
        "sides": sides,
        "primary": sides[0],
        "secondary": sides[1:],
        "signatories": signatories,
        "logo": _image_ref(template.logo if template else None, "max-400x400", files),
        "qr": qr_data_uri(url),
        "verify_url": url,
        "static_base": STATIC_BASE,
        "embedded_fonts": embedded_fonts,
        "page_size": "letter landscape" if page_size == PageSize.LETTER else "A4 landscape",
        "border_colour": _safe_colour(template.border_colour if template is not None else ""),
    }
    html = render_to_string("certificates/pdf/certificate.html", context)
    return html, files, context


@dataclass
class RenderedPDF:
    content: bytes
    sha256: str
    fetcher: object = None


_local = threading.local()


@atexit.register
def _drop_stylesheets():
    # Let WeasyPrint clean its font folders while the interpreter is whole.
    getattr(_local, "stylesheets", {}).clear()


def _stylesheet(context, fetcher):
    """The parsed stylesheet and its font configuration, built once per
    thread and look (fonts, page size, colour) and reused: parsing @font-face
    and registering the fonts with fontconfig is a third of a render."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    cache = getattr(_local, "stylesheets", None)
    if cache is None:
        cache = _local.stylesheets = {}
    key = (context["embedded_fonts"], context["page_size"], context["border_colour"])
    if key not in cache:
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            string=render_to_string("certificates/pdf/certificate.css", context),
            base_url=BASE_URL,
            url_fetcher=fetcher,
            font_config=font_config,
        )
        if len(cache) > 16:
            cache.clear()
        cache[key] = (css, font_config)
    return cache[key]


def render_pdf(certificate, template=None, *, fetcher=None, embedded_fonts=True, options=None):
    """Render ``certificate`` to PDF bytes with ``template`` (None: built-in
    look). Pure: reads the database for images only, writes nothing."""
    weasyprint = _weasyprint()
    html, files, context = render_html(certificate, template, embedded_fonts=embedded_fonts)
    if fetcher is None:
        fetcher = make_fetcher(files)
    else:
        fetcher.files.update(files)
    css, font_config = _stylesheet(context, make_fetcher())
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    content = document.write_pdf(
        stylesheets=[css],
        font_config=font_config,
        **(PDF_OPTIONS if options is None else options),
    )
    return RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest(), fetcher=fetcher)


def template_for(certificate):
    return certificate.template if certificate.template_id else CertificateTemplate.for_course(certificate.course)
