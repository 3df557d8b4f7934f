"""The posters: page size, TrimBox and BleedBox to the millimetre, fonts embedded, the QR
code decoded to the tracked link of the format's channel, the photo's resolution."""

from __future__ import annotations

import pytest

from tests.kit.conftest import add_photo
from tests.kit.helpers import decode_qr, pdf_facts, render_pdf
from tremplin.kit.content import content_of
from tremplin.kit.formats import FormatSpec, builtin_formats
from tremplin.kit.posters import SLUG_MM, render_poster

pytestmark = pytest.mark.django_db


def spec(code: str) -> FormatSpec:
    return next(s for s in builtin_formats() if s.code == code)


@pytest.mark.parametrize(
    ("code", "width", "height", "channel"),
    [("a4", 210, 297, "affiche"), ("a3", 297, 420, "affiche"), ("abribus", 1200, 1760, "bus")],
)
def test_builtin_poster_boxes_fonts_and_qr(campaign, code, width, height, channel):
    poster = render_poster(content_of(campaign), spec(code))
    facts = pdf_facts(poster.pdf)
    margin = 5 + SLUG_MM
    assert facts["pages"] == 1
    assert facts["media"] == (0, 0, width + 2 * margin, height + 2 * margin)
    assert facts["trim"] == (margin, margin, margin + width, margin + height)
    assert facts["bleed"] == (SLUG_MM, SLUG_MM, SLUG_MM + width + 10, SLUG_MM + height + 10)
    assert facts["fonts"], "the poster has text"
    assert all(font["embedded"] for font in facts["fonts"]), facts["fonts"]
    assert any("DejaVuSans" in font["name"] for font in facts["fonts"])
    assert decode_qr(render_pdf(poster.pdf, long_side=2400)) == [
        f"https://tremplin.example/c/atelier-velo/?canal={channel}"
    ]
    assert poster.details["channel"] == channel


def test_custom_format_with_its_own_bleed_landscape(campaign):
    custom = FormatSpec("x-quai", "Quai", 800, 400, 3, 300, "metro", 4, builtin=False)
    poster = render_poster(content_of(campaign), custom)
    facts = pdf_facts(poster.pdf)
    margin = 3 + SLUG_MM
    assert facts["trim"] == (margin, margin, margin + 800, margin + 400)
    assert facts["bleed"] == (SLUG_MM, SLUG_MM, SLUG_MM + 806, SLUG_MM + 406)
    assert decode_qr(render_pdf(poster.pdf, long_side=2400)) == [
        "https://tremplin.example/c/atelier-velo/?canal=metro"
    ]


def test_colours_are_cmyk(campaign):
    raw = render_poster(content_of(campaign), spec("a4")).pdf
    import re
    import zlib

    streams = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            streams += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    assert b" k" in streams or b" K" in streams  # CMYK fill / stroke operators
    assert not re.search(rb"[\d.]+ [\d.]+ [\d.]+ rg\b", streams)  # no RGB fill
    assert not re.search(rb"[\d.]+ [\d.]+ [\d.]+ RG\b", streams)
    assert b"/DeviceRGB" not in raw  # images in CMYK too
    assert b"/DeviceCMYK" in raw


def test_qr_is_sized_for_its_reading_distance(campaign):
    content = content_of(campaign)
    a4 = render_poster(content, spec("a4")).details
    panel = render_poster(content, spec("abribus")).details
    assert a4["qr_side_mm"] == 50  # read from 50 cm
    assert panel["qr_side_mm"] == 250  # read from 2.5 m
    assert panel["qr_module_mm"] > a4["qr_module_mm"]


def test_low_resolution_photo_gives_the_warning(campaign):
    campaign.images.all().delete()
    add_photo(campaign, 320, 200)
    poster = render_poster(content_of(campaign), spec("a4"))
    [warning] = [w for w in poster.warnings if w["code"] == "low_dpi"]
    assert warning["dpi"] < 150


def test_high_resolution_photo_gives_no_warning_on_a4(campaign):
    poster = render_poster(content_of(campaign), spec("a4"))
    assert not [w for w in poster.warnings if w["code"] == "low_dpi"]
    assert poster.details["photo_dpi"] >= 150


def test_no_photo_is_said(campaign):
    campaign.images.all().delete()
    poster = render_poster(content_of(campaign), spec("a4"))
    assert [w["code"] for w in poster.warnings] == ["no_photo"]
