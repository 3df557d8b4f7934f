"""A fixed-window rate limit in the shared cache (``CACHE_URL``: Redis in production, so
that every web process counts together): ``allow(key, limit, window)`` counts one hit and
says whether it is within the limit. The counter is created with ``cache.add`` and
increased with ``cache.incr``, both atomic in Redis and in the local-memory cache."""

from __future__ import annotations

import time

from django.core.cache import cache

PREFIX = "tremplin:campaigns:ratelimit"


def allow(key: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one hit of ``key`` in the current ``window`` (seconds); False once more than
    ``limit`` hits were counted in it."""
    bucket = int((time.time() if now is None else now) // window)
    cache_key = f"{PREFIX}:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: count again from one
        cache.add(cache_key, 1, timeout=window + 60)
        count = 1
    return count <= limit
