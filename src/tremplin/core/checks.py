"""System checks of the installation (``tremplin check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """A public site (https) runs several worker processes: with the cache in each
    process's memory, every process counts log-in attempts and codes on its own (the rate
    limits are multiplied by the number of workers) and keeps its own page cache."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.SITE_URL.startswith("https://") and backend == LOCMEM_CACHE:
        return [
            Error(
                "The cache is in each process's memory (CACHE_URL=locmem://) on a public "
                "site: rate limits are counted per worker process.",
                hint="Set CACHE_URL=redis://host:6379/0, a cache shared by every process.",
                id="tremplin.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_sandbox_off(app_configs=None, **kwargs) -> list[Error]:
    """The sandbox takes test card numbers (4242…) as payments: on a public site, a
    programme left on it would show money that was never paid."""
    if settings.SITE_URL.startswith("https://") and getattr(settings, "SANDBOX_ENABLED", False):
        return [
            Error(
                "The test payment service (SANDBOX_ENABLED) is on for a public site: test "
                "cards would be taken as real contributions.",
                hint="Unset SANDBOX_ENABLED (it is for the demo and the tests) and set up "
                "a real payment provider.",
                id="tremplin.E002",
            )
        ]
    return []
