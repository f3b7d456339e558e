"""Public verification: look a certificate up by its code, say what its
status is, compare a PDF's hash, and throttle lookups per client address.

A malformed code costs the same query as an unknown one and gets the same
answer, so responses say nothing about what codes look like.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

from lms.throttling import over_limit

from .models import Certificate, Status

CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")
# Never a real code (real codes have no "!"): the query for a malformed code.
_NO_CODE = "!"


def lookup(code):
    """The certificate with verification code ``code``, or None."""
    candidate = code if isinstance(code, str) and CODE_RE.fullmatch(code) else _NO_CODE
    return Certificate.objects.filter(code=candidate).first()


def public_facts(certificate, language, today=None):
    """What anyone may know about ``certificate`` (never the revocation
    reason or who revoked it); ``None`` gives the not-found answer."""
    if certificate is None:
        return {"status": Status.NOT_FOUND.value}
    today = today or timezone.localdate()
    status = certificate.status_on(today)
    return {
        "status": status.value,
        "serial": certificate.serial,
        "holder": certificate.holder_name,
        "course": certificate.course_title_in(language),
        "course_code": certificate.course_code,
        "issued": certificate.issued_on.isoformat(),
        "expires": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "revoked": timezone.localdate(certificate.revoked_at).isoformat() if certificate.revoked_at else None,
        "superseded": (
            timezone.localdate(certificate.superseded_at).isoformat() if certificate.superseded_at else None
        ),
        "sha256": certificate.sha256,
    }


def sha256_of(uploaded):
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def hash_matches(certificate, digest):
    """Does ``digest`` (hex) name the PDF issued for ``certificate``?"""
    digest = (digest or "").strip().lower()
    return bool(SHA256_RE.fullmatch(digest)) and hmac.compare_digest(certificate.sha256, digest)


def rate_limited(request):
    """Count one lookup for the client; True when it is over the limit of
    settings.CERTIFICATE_VERIFY_RATE lookups per minute (default 30)."""
    limit = int(getattr(settings, "CERTIFICATE_VERIFY_RATE", 30))
    return over_limit(request, "certificates:verify", f"{limit}/m")
