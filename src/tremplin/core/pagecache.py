"""A server-side cache of whole public pages, for anonymous visitors only.

    @public_page_cache(programme_page_version)
    def programme(request, slug): ...

served by ``PageCacheMiddleware`` (settings.MIDDLEWARE, right after WhiteNoise).

The view's ``version`` function is called with the view's arguments and answers with one
cheap query what the page depends on: ``PageVersion(parts, ttl)``, or ``None`` when the
page must not be cached (not found, nothing public). The rendered bytes are stored in
Django's default cache under a key made of the view, the path, the active language and
``parts`` (e.g. the programme's pk, ``updated_at`` and state), for ``ttl`` seconds at most
(:data:`MAX_TTL`). A change to anything in ``parts`` is seen at once (the key changes);
anything else the page shows (a partner's logo, the organiser's name) within ``MAX_TTL``.

Only a request that can get the same page as any other visitor is served from the cache:
GET, no query string, no session cookie (so no logged-in user and no message kept
in the session), no messages cookie, an anonymous user. Only a plain 200 answer that sets
no cookie is stored, and so the cached page must hold nothing per visitor: no CSRF token
(see base.html: the htmx CSRF header is for logged-in users only, and the language switch
posts to ``core:set_language``, which needs no token).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import get_language_from_request

MAX_TTL = 60  # seconds
KEY_PREFIX = "pagecache"


class PageVersion(NamedTuple):
    parts: tuple  # whatever changes the page: becomes part of the cache key
    ttl: int  # seconds the page may be kept (already bounded by MAX_TTL)


SLUG = "\x00slug"  # stands for the slug in a version query compiled once (version_row)


def compile_version_query(queryset) -> tuple[str, tuple]:
    """The SQL of a version query filtered on ``slug=SLUG``, compiled by the ORM: call it
    once per process (``functools.cache``), since building and compiling a queryset costs
    several times running this query, and a page served from the cache costs little more
    than this query."""
    return queryset.query.get_compiler(DEFAULT_DB_ALIAS).as_sql()


def version_row(compiled: tuple[str, tuple], slug: str) -> tuple | None:
    """The first row of a query from :func:`compile_version_query`, for ``slug``."""
    sql, params = compiled
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [slug if param == SLUG else param for param in params])
        return cursor.fetchone()


def ttl_until(boundaries: list[datetime | None], now: datetime | None = None) -> int:
    """Whole seconds until the first of ``boundaries`` still to come (a deadline, an
    opening), at most ``MAX_TTL``: a page cached now is gone before it would be wrong.
    Rounded down, so 0 (do not cache) in the last second before a boundary."""
    now = now or timezone.now()
    ttl = float(MAX_TTL)
    for boundary in boundaries:
        if boundary is not None and boundary > now:
            ttl = min(ttl, (boundary - now).total_seconds())
    return int(ttl)


def is_cacheable_request(request: HttpRequest) -> bool:
    """Could this visitor get the page any anonymous visitor gets? (Before the session and
    authentication middleware: no session cookie means an anonymous visitor.)"""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def cache_key(path: str, language: str, view_name: str, parts: tuple) -> str:
    raw = repr((path, language, parts)).encode()
    return f"{KEY_PREFIX}:{view_name}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"


def public_page_cache(
    version: Callable[..., PageVersion | None], *, version_reuse: int = 0
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark the decorated view's page as one the anonymous page cache may keep, with its
    ``version`` function; :class:`PageCacheMiddleware` does the rest.

    ``version_reuse``: seconds a version, once read, may be used again without asking the
    database (never past the page's own lifetime). 0, the default: every request reads it,
    and a change shows at once. A page that may be a few seconds stale (the campaign page:
    its total) is then served with no query at all."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.page_cache_version = version  # copied onto the outer decorators by @wraps
        view.page_cache_name = f"{view.__module__}.{view.__qualname__}"
        view.page_cache_version_reuse = version_reuse
        return view

    return decorator


class PageCacheMiddleware:
    """Serve the cached page of a view marked with :func:`public_page_cache` before the
    rest of the middleware runs: a cached page is the same for every anonymous visitor, so
    the session, CSRF, authentication and messages middleware have nothing to do for it.
    Placed right after the security and static-files middleware; what the middleware
    below it added to the page when it was rendered (``Content-Language``, ``Vary``,
    ``X-Frame-Options``…) is kept with the page and sent again.

    The language is the one Django's LocaleMiddleware picks for the visitor (language
    cookie, then ``Accept-Language``); a page is stored only when it was rendered in that
    language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if getattr(match.func, "page_cache_version", None) is None:
            return self.get_response(request)
        current = _version(request, match)
        if current is None:
            return self.get_response(request)
        language = get_language_from_request(request)
        key = cache_key(request.path, language, match.func.page_cache_name, current.parts)
        stored = cache.get(key)
        # The page's end of life is kept with it and checked here, not left to the cache
        # backend's expiry alone (Redis counts whole seconds, on its own clock).
        if stored is not None and stored[2] > time.time():
            headers, content, _expires = stored
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if (
            current.ttl >= 1
            and _storable(request, response)
            and response.get("Content-Language") == language
            and _anonymous(request)
        ):
            headers = {name: value for name, value in response.items() if name != "Set-Cookie"}
            expires = time.time() + current.ttl
            cache.set(key, (headers, response.content, expires), current.ttl)
        return response


def _version(request: HttpRequest, match) -> PageVersion | None:
    """The page's version: asked of the view's version function, or, for a view that
    allows it, the one read less than ``version_reuse`` seconds ago (kept in the cache: by any
    process when the cache is shared, CACHE_URL)."""
    view = match.func
    reuse = view.page_cache_version_reuse
    memo_key = f"{KEY_PREFIX}:version:{view.page_cache_name}:{request.path}"
    if reuse:
        remembered = cache.get(memo_key)
        if remembered is not None and remembered[1] > time.time():
            parts, expires = remembered  # the page's lifetime runs from the first reading
            return PageVersion(parts, int(expires - time.time()))
    current = view.page_cache_version(*match.args, **match.kwargs)
    if reuse and current is not None and min(reuse, current.ttl) >= 1:
        cache.set(memo_key, (current.parts, time.time() + current.ttl), min(reuse, current.ttl))
    return current


def _anonymous(request: HttpRequest) -> bool:
    """The page was rendered for an anonymous visitor (the authentication middleware ran:
    a response made before it, by a middleware of its own, is never stored)."""
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain page, the same for every visitor: a page that used a CSRF token (the
    middleware then sets the cookie after the view) or sets a cookie is never stored."""
    return (
        not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and "private" not in response.get("Cache-Control", "")
    )
