from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .forms import LoginForm, ProfilePreferencesForm
from .i18n import localise_next_url, preferred_language
from .tasks import send_password_reset
from .throttling import over_limit


@never_cache
def root_redirect(request):
    """`/`: the user's stored language, then the cookie, then the browser."""
    language = preferred_language(request.user) or translation.get_language_from_request(request)
    with translation.override(language):
        return HttpResponseRedirect(reverse("home"))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, answered the same way for every address.

    The e-mail is sent by a task (``lms.tasks.send_password_reset``): the
    request neither looks the address up nor builds a token, so its timing
    does not tell whether an account exists. Requests are throttled per
    client (a 429 page) and per e-mail address (silently: the same answer).
    """

    def form_valid(self, form):
        if over_limit(self.request, "accounts:password-reset:client", settings.PASSWORD_RESET_RATE_PER_CLIENT):
            form.add_error(None, _("Too many requests from your address. Wait a while and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = form.cleaned_data["email"].strip()
        if not over_limit(
            self.request,
            "accounts:password-reset:address",
            settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            key=lambda group, request: email.lower(),
        ):
            send_password_reset.enqueue(
                email=email,
                language=translation.get_language(),
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
            )
        return HttpResponseRedirect(self.get_success_url())


class LoginView(auth_views.LoginView):
    """Django's login, landing the user in their preferred language."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        language = preferred_language(self.request.user) or translation.get_language()
        next_url = localise_next_url(self.get_redirect_url(), language, self.request)
        if next_url:
            return next_url
        with translation.override(language):
            return reverse(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        response = super().form_valid(form)
        language = preferred_language(self.request.user)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def favicon(request):
    """/favicon.ico, which browsers request whatever the page links: the
    site's SVG icon instead of a 404 on every first visit."""
    return HttpResponseRedirect(static("lms/favicon.svg"))


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when a username and address are locked out."""
    context = {"cooloff_hours": max(1, round(settings.AXES_COOLOFF_TIME))}
    return render(request, "registration/locked_out.html", context, status=429)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"message": _("You do not have access to this page.")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@login_required
def preferences(request):
    """Let a signed-in user choose the language they land in."""
    profile = request.user.profile
    if request.method == "POST":
        form = ProfilePreferencesForm(request.POST)
        if form.is_valid():
            profile.preferred_language = form.cleaned_data["preferred_language"]
            profile.email_opt_outs = form.opt_outs()
            profile.save(update_fields=["preferred_language", "email_opt_outs"])
            with translation.override(profile.preferred_language):
                messages.success(request, _("Your preferences were saved."))
                return HttpResponseRedirect(reverse("preferences"))
    else:
        form = ProfilePreferencesForm(initial=ProfilePreferencesForm.initial_for(profile))
    return render(request, "registration/preferences.html", {"form": form})
