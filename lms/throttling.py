"""The client's address and request rate limits, one definition for the
whole project (django-axes, certificate verification, password reset).

Behind a proxy every request comes from the proxy's address. The number of
trusted proxies in front of the application is ONE setting,
``TRUSTED_PROXY_COUNT`` (environment variable of the same name, 0 by
default: then forwarded headers are ignored, as anyone can send them). With
1, the proxy must *set* ``X-Forwarded-For`` to the address it saw (the nginx
recipe in deploy/ does: ``proxy_set_header X-Forwarded-For $remote_addr``);
django-ipware reads it and refuses a header that does not have the expected
shape, falling back to the proxy's address.

Counts live in Django's cache through django-ratelimit, so they are shared by
every process only when the cache is: production requires Redis or the
database cache (see ``lms.checks``).
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from ipware import get_client_ip


def client_address(request):
    """The address of the person making ``request`` (a string, maybe empty)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    try:
        address, _routable = get_client_ip(
            request,
            proxy_order="right-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=True,
        )
    except ValueError:
        address = None
    return address or remote


def client_key(group, request):
    """django-ratelimit key: the client's address."""
    return client_address(request)


def over_limit(request, group, rate, key=client_key):
    """Count one request of ``group`` for ``key`` (the client by default);
    True when it is over ``rate`` ("30/m", "5/h")."""
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
