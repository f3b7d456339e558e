"""Pages to set up, use and manage two-factor authentication. Thin: the
rules are in lms.two_factor."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import ConfirmAuthenticatorForm, OneTimeCodeForm


def _next_url(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _required(user):
    return settings.TWO_FACTOR_REQUIRED and two_factor.is_staff_member(user)


@never_cache
@login_required
def manage(request):
    """Whether two-factor is on, with new recovery codes and (if not
    required) a way to turn it off."""
    context = {
        "enrolled": two_factor.is_enrolled(request.user),
        "required": _required(request.user),
    }
    return render(request, "registration/two_factor_manage.html", context)


@never_cache
@login_required
def setup(request):
    """Show a new authenticator key (QR code and text) and confirm it with a
    first code; then show the recovery codes once."""
    device = two_factor.pending_device(request.user)
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(request, form.cleaned_data["code"])
        except two_factor.TwoFactorRefused as refused:
            form.add_error("code", refused.message)
        else:
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request, reverse("two_factor"))},
            )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": _next_url(request, ""),
    }
    return render(request, "registration/two_factor_setup.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def verify(request):
    """Ask for a code after login, before the pages that need it."""
    if not two_factor.is_enrolled(request.user):
        return HttpResponseRedirect(reverse("two_factor_setup"))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return HttpResponseRedirect(_next_url(request, reverse("home")))
        form.add_error("code", _("That code is not right, or was already used. Wait for a new code and try again."))
    status = 400 if form.errors else 200
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}, status=status
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    try:
        codes = two_factor.regenerate_recovery_codes(request.user)
    except two_factor.TwoFactorRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("two_factor"))
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": reverse("two_factor")})


@never_cache
@login_required
@require_POST
def disable(request):
    try:
        two_factor.disable(request.user, required=_required(request.user))
    except two_factor.TwoFactorRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return HttpResponseRedirect(reverse("two_factor"))


@never_cache
@login_required
@require_POST
def logout_everywhere(request):
    """End every session of the signed-in person, on every device."""
    from .sessions import logout_everywhere as end_everywhere

    end_everywhere(request)
    messages.success(request, _("You were logged out on every device."))
    return HttpResponseRedirect(reverse("login"))
