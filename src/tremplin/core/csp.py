"""Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests come
from this site only; nothing inline runs.

The one inline ``<style>`` we write is a programme's brand colours
(``core/_branding.html``), different for each programme: ``{% brand_style %}`` adds the
hash of its exact text to the page's ``style-src``, so the policy allows that text and no
other. A page's video player (an ``<iframe>`` our templates write) adds its origin to the
page's ``frame-src``. The header is built below the page cache (settings.MIDDLEWARE), so
a cached page is served again with the header made for it."""

from __future__ import annotations

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.http import HttpRequest, HttpResponseBase

STYLE_HASHES_ATTR = "_tremplin_csp_style_hashes"
# The origin of an <iframe>'s https address. Our templates write iframes for video players
# only (a campaign's video: YouTube, Vimeo, Dailymotion or any PeerTube instance, from a
# validated link); the rich-text sanitizer drops every iframe from what users write.
IFRAME_ORIGIN = re.compile(rb'<iframe\b[^>]*?\ssrc="(https://[A-Za-z0-9.-]+(?::[0-9]+)?)[/"?]')


def source_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_inline_style(request: HttpRequest | None, text: str) -> None:
    """Allow this exact ``<style>`` text on the page answering ``request``."""
    if request is None:
        return
    hashes = getattr(request, STYLE_HASHES_ATTR, None)
    if hashes is None:
        hashes = []
        setattr(request, STYLE_HASHES_ATTR, hashes)
    value = source_hash(text)
    if value not in hashes:
        hashes.append(value)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        hashes = getattr(request, STYLE_HASHES_ATTR, None)
        if hashes and not report_only:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", []), *hashes]
            parts.update = update
        frames = _iframe_origins(response)
        if frames:
            parts.replace = {**(parts.replace or {}), "frame-src": frames}
        return parts


def _iframe_origins(response: HttpResponseBase) -> list[str]:
    """The origins of the page's own video players (``frame-src`` is ``'none'`` without)."""
    if (
        getattr(response, "streaming", True)
        or not response.get("Content-Type", "").startswith("text/html")
        or b"<iframe" not in response.content
    ):
        return []
    origins = dict.fromkeys(m.decode() for m in IFRAME_ORIGIN.findall(response.content))
    return list(origins)
