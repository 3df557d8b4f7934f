"""Template helpers of the core: programme branding colours kept readable, and the audit
log shown to humans."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import mark_safe

from tremplin.core import audit
from tremplin.core.colours import AA_NORMAL_TEXT, WHITE, contrast_ratio
from tremplin.core.csp import allow_inline_style

register = template.Library()

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _darken(hex_colour: str, factor: float) -> str:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


@register.filter
def readable_on_white(hex_colour: str, fallback: str = "#0b5fa5") -> str:
    """The colour itself if white text on it (and it on white) reaches 4.5:1, else the same
    hue darkened just enough. Anything that is not ``#RRGGBB`` gives the fallback."""
    try:
        colour = hex_colour.strip().lower()
        if contrast_ratio(colour, WHITE) >= AA_NORMAL_TEXT:
            return colour
    except (AttributeError, ValueError):
        return fallback
    factor = 1.0
    while factor > 0:
        factor -= 0.02
        candidate = _darken(colour, factor)
        if contrast_ratio(candidate, WHITE) >= AA_NORMAL_TEXT:
            return candidate
    return "#000000"


@register.filter
def hex_colour(value: str, fallback: str = "#e4572e") -> str:
    """``value`` if it is a ``#RRGGBB`` colour, else the fallback (safe inside <style>)."""
    value = (value or "").strip()
    return value.lower() if _HEX.match(value) else fallback


@register.simple_tag(takes_context=True)
def brand_style(context, primary, secondary) -> str:
    """The ``<style>`` giving a page a programme's colours, allowed by the page's
    Content-Security-Policy through its hash (core/csp.py)."""
    css = (
        f":root {{ --brand-primary: {readable_on_white(primary or '#0b5fa5')}; "
        f"--brand-secondary: {hex_colour(secondary or '#e4572e')}; }}"
    )
    allow_inline_style(context.get("request"), css)
    return mark_safe(f"<style>{css}</style>")  # noqa: S308  (two validated #rrggbb colours)


@register.filter
def action_label(action: str) -> str:
    return str(audit.action_label(action))


@register.filter
def audit_details(entry) -> list[tuple[str, str]]:
    return audit.describe(entry)
