"""Colour arithmetic for branding: WCAG 2.1 relative luminance and contrast ratio.

https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio — text in a programme's primary colour
on white (or white text on it) must reach 4.5:1 for normal text (criterion 1.4.3, AA)."""

from __future__ import annotations

import re

WHITE = "#FFFFFF"
AA_NORMAL_TEXT = 4.5
DEFAULT_PRIMARY = "#0B5FA5"
DEFAULT_SECONDARY = "#E4572E"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def safe_colour(value: str, default: str) -> str:
    """Only a validated #RRGGBB value ever reaches the page's CSS."""
    return value if _HEX_COLOUR.match(value or "") else default


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (0 for black, 1 for white)."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)
