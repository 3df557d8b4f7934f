"""Where a visitor came from, carried from a campaign's pages to its checkout in the link.

The source is read from the query string (``?canal=`` for the programme's own channels,
``?ref=``, ``utm_source``, ``utm_medium``, ``utm_campaign``), kept only when it looks like a
source (letters, digits and a few signs, at most 100 characters: never a NUL byte, markup or
an e-mail body), and passed on in the links of the page (``?canal=…&ref=…``). No cookie and
no third-party tracker: a page served from the page cache has no query string, so it has no
source to pass on and stays the same for everyone (``core.pagecache`` never stores or
serves a page asked for with a query string)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode

KEYS = ("canal", "ref", "utm_source", "utm_medium", "utm_campaign")
MAX_LENGTH = 100
# A channel (``canal``) is a slug; the others may hold the signs that sources use.
_CHANNEL = re.compile(r"[A-Za-z0-9_-]{1,60}")
_VALUE = re.compile(r"[\w .:/@+~-]{1,100}")  # MAX_LENGTH


def clean_value(key: str, value: object) -> str:
    """``value`` as a source for ``key``, or "" when it does not look like one."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if key == "canal":
        return value.lower() if _CHANNEL.fullmatch(value) else ""
    return value if _VALUE.fullmatch(value) else ""


def from_query(query: Mapping) -> dict[str, str]:
    """The source found in ``query`` (a QueryDict or a dict): only the known keys, cleaned,
    the empty ones left out."""
    found = {}
    for key in KEYS:
        value = clean_value(key, query.get(key))
        if value:
            found[key] = value
    return found


def query_string(query: Mapping) -> str:
    """The source of ``query`` as a query string to add to a link ("" when none)."""
    return urlencode(from_query(query))
