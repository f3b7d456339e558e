"""Request helpers shared by the apps: the client's address and a small
fixed-window rate limit kept in the cache."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's address: REMOTE_ADDR, or the address the N-th trusted
    proxy saw (settings.CERTIFICATE_TRUSTED_PROXIES, the project's trusted
    proxy count, default 0)."""
    proxies = int(getattr(settings, "CERTIFICATE_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope, request, limit, window_seconds, now=None):
    """Count one use of ``scope`` by the client; True once the client used
    it more than ``limit`` times in the current window."""
    window = int((now if now is not None else time.time()) // window_seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between add and incr: count this one afresh.
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    return count > limit
