"""The stylesheet's colour tokens meet WCAG 2.1 AA, and the look's building blocks exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tremplin
from tremplin.core.colours import contrast_ratio

STATIC = Path(tremplin.__file__).parent / "core" / "static" / "tremplin"
CSS = (STATIC / "css" / "app.css").read_text()


def _tokens() -> dict[str, str]:
    root = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    return {
        name: value.lower()
        for name, value in re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", root)
    }


TOKENS = _tokens()

# (foreground, background, minimum ratio): text 4.5:1, interface boundaries 3:1.
PAIRS = [
    ("color-text", "color-bg", 4.5),
    ("color-text", "color-surface", 4.5),
    ("color-text", "color-surface-strong", 4.5),
    ("color-text-muted", "color-bg", 4.5),
    ("color-text-muted", "color-surface", 4.5),
    ("brand-primary", "color-bg", 4.5),
    ("brand-primary", "color-surface", 4.5),
    ("brand-on-primary", "brand-primary", 4.5),
    ("color-danger", "color-bg", 4.5),
    ("color-danger", "color-danger-bg", 4.5),
    ("color-success", "color-success-bg", 4.5),
    ("color-warning", "color-warning-bg", 4.5),
    ("color-info", "color-info-bg", 4.5),
    ("color-text", "color-danger-bg", 4.5),
    ("color-text", "color-success-bg", 4.5),
    ("color-text", "color-warning-bg", 4.5),
    ("color-text", "color-info-bg", 4.5),
    ("color-text-muted", "color-warning-bg", 4.5),
    ("color-border-strong", "color-bg", 3),
    ("color-focus", "color-bg", 3),
    # The focus ring is a dark outline 2px away from the element, over a light halo: it
    # shows on white, on grey and next to a brand-coloured button.
    ("color-focus", "color-focus-halo", 3),
    ("color-focus-halo", "brand-primary", 3),
    ("color-focus", "color-surface", 3),
]


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_colour_pairs_meet_wcag_aa(fg, bg, minimum):
    ratio = contrast_ratio(TOKENS[fg], TOKENS[bg])
    assert ratio >= minimum, f"{fg} on {bg}: {ratio:.2f}:1"


def test_white_on_danger_button():
    assert contrast_ratio("#ffffff", TOKENS["color-danger"]) >= 4.5


def test_stylesheet_has_the_building_blocks():
    for selector in (
        ":focus-visible",
        ".skip-link",
        ".errorlist",
        ".btn-primary",
        ".btn-secondary",
        ".btn-danger",
        ".message",
        ".progress",
        ".card",
        ".timeline",
        ".badge",
        ".breadcrumb",
        "body.backoffice",
        ".table",
        ".visually-hidden",
        "prefers-reduced-motion",
        "--brand-primary",
        "--brand-secondary",
        "--font-sans",
    ):
        assert selector in CSS, selector


def test_no_external_resources():
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", CSS)
    assert "@import" not in CSS
    assert "@font-face" not in CSS  # system fonts only


def test_images_exist():
    for name in ("favicon.svg", "logo.svg", "og-default.png"):
        assert (STATIC / "img" / name).stat().st_size > 0
    svg = (STATIC / "img" / "favicon.svg").read_text()
    assert "<script" not in svg
    assert "href=" not in svg
