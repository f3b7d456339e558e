"""How long the courses app keeps things in Django's cache.

Outlines, the catalogue's courses by slug, the catalogue URL and the "does
the site have any page view restriction" flag are cached and dropped by
``courses.signal_handlers`` as soon as something changes them. That drop
reaches every process only through a shared cache (Redis, as production
runs with ``REDIS_URL``). With Django's local-memory cache each process has
its own copy, so entries there live only a short while: a change made
through one gunicorn worker shows in the others within these seconds.
Serving stays correct meanwhile: routing falls back to the database for
anything an outline does not know, and a page's own ``live`` flag is
always read fresh.
"""

from django.conf import settings

#: kind: (seconds with a shared cache, seconds with a per-process cache)
LIFETIMES = {
    "outline": (24 * 3600, 60),
    "courses": (24 * 3600, 30),
    "catalogue": (24 * 3600, 60),
    "restrictions": (3600, 10),
}


def process_local():
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return backend.endswith("LocMemCache")


def lifetime(kind):
    """Seconds to keep an entry of ``kind``; ``COURSES_CACHE_SECONDS``
    (a dict of kind: seconds) overrides."""
    override = getattr(settings, "COURSES_CACHE_SECONDS", {}).get(kind)
    if override is not None:
        return override
    shared, local = LIFETIMES[kind]
    return local if process_local() else shared
