from django.conf import settings
from django.utils import translation


class LanguageCookieMiddleware:
    """Remember the language of the last page a visitor read.

    `/` sends a visitor to their language: a signed-in user's stored
    preference first, then this cookie, then the browser's Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class TwoFactorMiddleware:
    """Send a signed-in person who owes a second factor to give it.

    - Staff (anyone who may open the admin) without an authenticator are sent
      to set one up before any admin page.
    - Anyone with an authenticator (staff, or a trainee who opted in) is sent
      to enter a code before any page but the exempt ones, until the session
      is verified.

    Off when ``settings.TWO_FACTOR_REQUIRED`` is false (the test settings).
    Goes after django_otp's OTPMiddleware.
    """

    EXEMPT_NAMES = {
        "two_factor_verify",
        "two_factor_setup",
        "logout",
        "set_language",
    }
    EXEMPT_PREFIXES = ("/static/", "/media/", "/admin/login/", "/admin/logout/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self.redirect_for(request) if settings.TWO_FACTOR_REQUIRED else None
        return redirect or self.get_response(request)

    def redirect_for(self, request):
        from django.http import HttpResponseRedirect
        from django.urls import Resolver404, resolve, reverse
        from django.utils.http import urlencode

        from . import two_factor

        user = request.user
        if not user.is_authenticated or two_factor.is_verified(user):
            return None
        path = request.path_info
        if path.startswith(self.EXEMPT_PREFIXES):
            return None
        try:
            name = resolve(path).url_name
        except Resolver404:
            name = None
        if name in self.EXEMPT_NAMES:
            return None
        admin_page = path.startswith("/admin/")
        if two_factor.is_enrolled(user):
            target = "two_factor_verify"
        elif admin_page and two_factor.is_staff_member(user):
            target = "two_factor_setup"
        else:
            return None
        language = translation.get_language_from_path(path) or preferred_or_current(request)
        with translation.override(language):
            url = reverse(target)
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def preferred_or_current(request):
    from .i18n import preferred_language

    return preferred_language(request.user) or translation.get_language()
