"""Public and holder-facing views: verification page and JSON, PDF download,
starting recertification. Thin: parse, ask permissions, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import CoursePage
from lms.validators import has_nul

from . import permissions, verification
from .exceptions import RecertificationRefused
from .forms import HashCheckForm, VerifyCodeForm, upload_limit
from .models import Certificate, Status
from .recertification import start_recertification

SERIAL_MAX = Certificate._meta.get_field("serial").max_length

STATUS_BADGES = {
    Status.VALID: "ok",
    Status.EXPIRED: "warn",
    Status.REVOKED: "bad",
    Status.SUPERSEDED: "warn",
    Status.NOT_FOUND: "bad",
}


def _rate_limit_message():
    return _("Too many verification requests from your address. Wait a minute and try again.")


def _private(response):
    # Codes are in these URLs: keep them out of search engines. (The site's
    # same-origin Referrer-Policy already keeps them from other sites; a
    # stricter no-referrer would make browsers send "Origin: null" and fail
    # CSRF on the hash-check form.)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
def verify_index(request):
    """A form to type a code; a code given in ?code= goes to its page."""
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip()
        return HttpResponseRedirect(reverse("verify", kwargs={"code": code or "-"}))
    return _private(render(request, "certificates/verify_index.html", {"form": form}))


@never_cache
@require_http_methods(["GET", "POST", "HEAD"])
def verify(request, code):
    """The public status of the certificate with this code, and a check of
    whether a PDF is the one issued. Unknown and malformed codes get the same
    404 page."""
    if verification.rate_limited(request):
        response = render(
            request,
            "certificates/verify.html",
            {"rate_limited": _rate_limit_message()},
            status=429,
        )
        response["Retry-After"] = "60"
        return _private(response)
    certificate = verification.lookup(code)
    facts = verification.public_facts(certificate, get_language()[:2])
    status = Status(facts["status"])
    context = {
        "certificate": certificate,
        "facts": facts,
        "status": status,
        "status_label": status.label,
        "badge": STATUS_BADGES[status],
        "code_form": VerifyCodeForm(),
    }
    http_status = 404 if certificate is None else 200
    if certificate is not None:
        if request.method == "POST":
            if int(request.META.get("CONTENT_LENGTH") or 0) > upload_limit() + 64 * 1024:
                # Refuse before Django reads the upload.
                form = HashCheckForm()
                context["upload_error"] = _("The file is too large: the limit is 5 MB.")
                http_status = 413
            else:
                form = HashCheckForm(request.POST, request.FILES)
                if form.is_valid():
                    digest = form.cleaned_data["sha256"] or verification.sha256_of(form.cleaned_data["pdf"])
                    context["hash_checked"] = True
                    context["hash_matches"] = verification.hash_matches(certificate, digest)
                    context["checked_digest"] = digest
                else:
                    http_status = 400
        else:
            form = HashCheckForm()
        context["hash_form"] = form
    return _private(render(request, "certificates/verify.html", context, status=http_status))


@never_cache
@require_GET
def verify_api(request, code):
    """The verification as JSON: status, serial, holder, course, issued,
    expires, sha256 (and revoked / superseded dates)."""
    if verification.rate_limited(request):
        response = JsonResponse({"status": "rate_limited", "detail": _rate_limit_message()}, status=429)
        response["Retry-After"] = "60"
    else:
        certificate = verification.lookup(code)
        language = certificate.language if certificate is not None else "en"
        facts = verification.public_facts(certificate, language)
        response = JsonResponse(facts, status=404 if certificate is None else 200)
        if certificate is None:
            request.urlconf = "certificates.api_urlconf"  # see that module
    response["Access-Control-Allow-Origin"] = "*"
    return _private(response)


@login_required
@require_GET
def download(request, serial):
    """The stored PDF, for the holder, their agency's coordinators and
    administrators; never through a public media URL. Serials are
    sequential, so a certificate that exists but is not the user's answers
    exactly like one that does not exist (no existence oracle)."""
    certificate = None
    if len(serial) <= SERIAL_MAX and not has_nul(serial):  # no query the database must refuse
        certificate = Certificate.objects.select_related("holder__profile").filter(serial=serial).first()
    if certificate is None or not permissions.may_download(request.user, certificate):
        raise Http404
    try:
        handle = certificate.pdf.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def recertify(request, course_id):
    """Start a new cycle of a course whose certificate expired or expires soon."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    fallback = course.get_url(request) or reverse("home")
    try:
        start_recertification(request.user, course)
    except RecertificationRefused as error:
        context = {"message": error.message, "back_url": _safe_next(request, fallback)}
        return render(request, "certificates/refused.html", context, status=409)
    messages.success(
        request,
        _(
            "Recertification started: complete the course again to receive a new certificate. "
            "Your earlier certificate and progress stay in your history."
        ),
    )
    return HttpResponseRedirect(course.get_url(request) or _safe_next(request, fallback))
