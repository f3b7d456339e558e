"""Start-up checks for production settings."""

from django.core.exceptions import ImproperlyConfigured

# Caches each process keeps for itself: a rate limit counted there is
# multiplied by the number of workers.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


def check_shared_cache(caches):
    """Refuse to start with a default cache that is not shared by every
    process (rate limits would count per worker)."""
    backend = caches["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES:
        raise ImproperlyConfigured(
            f"The default cache ({backend}) is not shared between processes, so rate limits would "
            "count per worker. Set REDIS_URL, or use the database cache."
        )
