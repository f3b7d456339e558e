"""A cheap stand-in for the certificate renderer (WeasyPrint).

A real render lays out a PDF/A-3a document with embedded fonts: a large
share of a second per certificate, paid by every test that completes a course
(completion issues a certificate). Only the tests about the PDF itself need
that; tests/conftest.py swaps ``certificates.rendering.render_pdf`` for
:func:`render_pdf` below in every test not marked ``@pytest.mark.pdf``.

The fake still runs the certificate's HTML template (so template errors
surface everywhere) and returns a small but valid one-page PDF that carries
the certificate's own words (holder, course, serial, verification address),
so the code that stores, hashes, serves and verifies the file runs as in
production and ``pdftotext`` reads the text back.
"""

import hashlib

FAKE_MARK = "Test certificate (fake render; mark the test pdf for a real one)"


def _pdf_string(text):
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_document(lines):
    """A minimal valid one-page PDF showing ``lines`` in Helvetica."""
    text = b"BT /F1 14 Tf 18 TL 50 540 Td " + b" T* ".join(_pdf_string(line) + b" Tj" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def render_pdf(certificate, template=None, *, fetcher=None, embedded_fonts=True, options=None):
    """Same signature and result type as ``certificates.rendering.render_pdf``."""
    from certificates import rendering

    _html, files, context = rendering.render_html(certificate, template, embedded_fonts=embedded_fonts)
    if fetcher is not None:
        fetcher.files.update(files)
    primary = context["primary"].texts
    content = pdf_document(
        [
            FAKE_MARK,
            primary["heading"],
            certificate.holder_name,
            primary["course_title"],
            primary["hours"],
            f"{primary['serial_label']}: {certificate.serial}",
            f"{primary['issued_label']}: {primary['issued']}",
            context["verify_url"],
        ]
    )
    return rendering.RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest(), fetcher=fetcher)
