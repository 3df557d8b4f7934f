"""Sanitising the rich description of a campaign page with nh3 (ammonia, the Rust HTML
sanitiser): a small allow-list of tags, links to http, https and mailto addresses only,
opened with ``rel="noopener nofollow"``. Everything else (scripts, styles, event handlers,
images, iframes, ``javascript:`` links, relative links) is removed."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed with their content (not only the tag).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def sanitize_html(html: str) -> str:
    """The description as stored and shown: only the allowed tags and safe links."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener nofollow",
        strip_comments=True,
    ).strip()
