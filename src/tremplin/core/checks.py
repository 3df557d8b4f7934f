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
