"""Counting requests in the shared cache (``CACHE_URL``: Redis in production, so every
worker process counts together; see ``core.checks``).

    if not allow("checkout-ip", client_ip(request), limit=20, window=600): → 429

A fixed window per key: the first hit creates the counter with the window as its lifetime
(``cache.add``), the next ones increment it. A cache that is down lets the request through
(a rate limit is not worth an outage)."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)
KEY_PREFIX = "ratelimit"


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXIES`` = N reverse
    proxies in front, the address the first of them saw (the N-th from the right of
    ``X-Forwarded-For``, which the visitor cannot forge past our own proxies)."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, identity: str) -> str:
    digest = hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{scope}:{digest}"


def allow(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``identity`` (an address, an e-mail address…) in ``scope``; False
    once there were more than ``limit`` hits within ``window`` seconds. ``limit`` 0: no
    limit."""
    if limit <= 0 or not identity:
        return True
    key = _key(scope, identity)
    try:
        if cache.add(key, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)
                count = 1
    except Exception:  # noqa: BLE001 (the cache is down: let the request through)
        logger.exception("rate limit %s: the cache did not answer", scope)
        return True
    return count <= limit
