"""Public registration pages: register, confirm the e-mail address."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.throttling import over_limit

from .exceptions import RegistrationRefused
from .forms import RegistrationForm, VerifyForm
from .registration import register, verify_email


def _rate():
    return int(getattr(settings, "ONBOARDING_REGISTRATION_RATE", 20))


@never_cache
@require_http_methods(["GET", "POST"])
def register_view(request):
    """Registration form. Every accepted submission shows the same page,
    whether or not the address already had an account."""
    if request.method == "POST":
        if over_limit(request, "onboarding:register", f"{_rate()}/h"):
            return render(
                request,
                "onboarding/registration/refused.html",
                {"message": _("Too many registrations from your network. Please try again in an hour.")},
                status=429,
            )
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            register(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                agency=data["agency"],
                language=data["preferred_language"],
                password=data["password1"],
            )
            return render(request, "onboarding/registration/check_email.html", {"email": data["email"]})
        return render(request, "onboarding/registration/register.html", {"form": form}, status=400)
    form = RegistrationForm(initial={"preferred_language": translation.get_language()})
    return render(request, "onboarding/registration/register.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request, token):
    """GET shows a confirm button; the POST verifies (a GET changes nothing)."""
    if request.method == "POST":
        try:
            registration = verify_email(token)
        except RegistrationRefused as error:
            return render(request, "onboarding/registration/refused.html", {"message": error.message}, status=400)
        return render(request, "onboarding/registration/verified.html", {"registration": registration})
    return render(request, "onboarding/registration/verify.html", {"form": VerifyForm()})
