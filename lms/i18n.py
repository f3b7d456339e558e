"""Language helpers: the same page in another language, a user's language."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


def preferred_language(user):
    """A signed-in user's stored language, or None."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    codes = dict(settings.LANGUAGES)
    if profile and profile.preferred_language in codes:
        return profile.preferred_language
    return None


def page_url_in(page, language, request=None):
    """The URL of a Wagtail page in ``language`` (translated slugs included)."""
    with translation.override(language):
        return page.specific.get_url(request)


#: Routes that serve Wagtail pages: only there is the context's page what
#: the request shows (a quiz attempt has the quiz as its page, yet the
#: switch must keep the trainee on the attempt).
PAGE_ROUTES = {"wagtail_serve", "home"}


def url_in_language(request, language, page=None):
    """The URL of what ``request`` shows, in ``language``; query string kept."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name not in PAGE_ROUTES:
        page = None
    if page is not None and getattr(page, "pk", None):
        url = page_url_in(page, language, request)
        if url:
            return url
    url = translate_url(request.path, language)
    if url == request.path:
        # Not a named route: swap the language prefix of the path.
        current = translation.get_language_from_path(request.path_info)
        if current:
            url = f"/{language}/" + request.path_info[len(current) + 2 :]
    if request.GET:
        url += "?" + request.GET.urlencode()
    return url


def localise_next_url(url, language, request):
    """Rewrite a safe local ``next`` URL into ``language``; None if unsafe."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path = urlsplit(url).path
    current = translation.get_language_from_path(path)
    if not current or current == language:
        return url
    translated = translate_url(url, language)
    if translated != url:
        return translated
    from wagtail.models import Site

    # A Wagtail page: find it by its path in the language it was asked in.
    site = Site.find_for_request(request)
    if site is not None:
        with translation.override(current):
            route = [part for part in path[len(current) + 2 :].split("/") if part]
            try:
                page = site.root_page.specific.route(request, route).page
            except Http404:
                return url
        if page is not None:
            return page_url_in(page, language, request) or url
    return url
