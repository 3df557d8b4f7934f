"""The print-ready poster of a laureate, one PDF per format.

The page is the trimmed format plus its bleed plus a slug for the crop marks; the PDF says
where the trim and the bleed are (TrimBox, BleedBox); every colour is CMYK (the photo and
the logos too); the shipped font is embedded. The background, the photo and the bands run
into the bleed; the text and the QR code stay inside a safe margin. The QR code carries the
format's channel and is sized for the distance the poster is read from, quiet zone
included; the photo's resolution at its printed size is measured, with a warning below
150 dpi."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from tremplin.core.money import format_money
from tremplin.kit.content import KitContent, open_file
from tremplin.kit.formats import FormatSpec
from tremplin.kit.printing import (
    BLACK,
    FONT,
    FONT_BOLD,
    MIN_DPI,
    REGISTRATION,
    WHITE,
    draw_qr,
    fit_text,
    hex_to_cmyk,
    logo_reader,
    prepare_photo,
    qr_side_mm,
    register_fonts,
)

# Beyond the bleed, room for the crop marks and the slug line.
SLUG_MM = 12
MARK_GAP_MM = 2  # between the bleed's edge and a crop mark
POSTER_LANGUAGE = "fr"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass
class Poster:
    pdf: bytes
    warnings: list[dict]
    details: dict


def page_size_mm(spec: FormatSpec) -> tuple[float, float]:
    margin = 2 * (spec.bleed_mm + SLUG_MM)
    return spec.width_mm + margin, spec.height_mm + margin


def _draw_crop_marks(canvas: Canvas, trim: Box, bleed: float, slug: float) -> None:
    canvas.setStrokeColorCMYK(*REGISTRATION)
    canvas.setLineWidth(0.25)
    start = bleed + MARK_GAP_MM * mm
    end = bleed + slug - 1 * mm
    for x in (trim.x, trim.x + trim.w):
        for y in (trim.y, trim.y + trim.h):
            sign_x = -1 if x == trim.x else 1
            sign_y = -1 if y == trim.y else 1
            canvas.line(x + sign_x * start, y, x + sign_x * end, y)
            canvas.line(x, y + sign_y * start, x, y + sign_y * end)


def _draw_image(canvas: Canvas, reader, box: Box, *, fit: bool = True) -> None:
    """Draw ``reader`` inside ``box``, keeping its proportions (centred)."""
    width, height = reader.getSize()
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    canvas.drawImage(reader, box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h)


def _text_block(canvas: Canvas, lines: list[str], font: str, size: float, x: float, top: float):
    """Lines from ``top`` downwards; the baseline below the last line is returned."""
    leading = size * 1.18
    y = top - size
    for line in lines:
        canvas.setFont(font, size)
        canvas.drawString(x, y, line)
        y -= leading
    return y + leading - size * 0.25


def _layout(trim: Box, bleed: float) -> dict[str, Box]:
    """Where each element goes, in page coordinates: portrait (photo above the text) or
    landscape (photo on the left)."""
    w, h = trim.w, trim.h
    if w <= h * 1.1:
        band = h * 0.13
        photo_h = h * 0.35
        bottom = h * 0.27
        return {
            "band": Box(trim.x - bleed, trim.y + h - band, w + 2 * bleed, band + bleed),
            "photo": Box(trim.x - bleed, trim.y + h - band - photo_h, w + 2 * bleed, photo_h),
            "text": Box(trim.x, trim.y + bottom, w, h - band - photo_h - bottom),
            "bottom": Box(trim.x - bleed, trim.y - bleed, w + 2 * bleed, bottom + bleed),
        }
    photo_w = w * 0.45
    band = h * 0.16
    bottom = h * 0.3
    right_x = trim.x + photo_w
    right_w = w - photo_w
    return {
        "band": Box(right_x, trim.y + h - band, right_w + bleed, band + bleed),
        "photo": Box(trim.x - bleed, trim.y - bleed, photo_w + bleed, h + 2 * bleed),
        "text": Box(right_x, trim.y + bottom, right_w, h - band - bottom),
        "bottom": Box(right_x, trim.y - bleed, right_w + bleed, bottom + bleed),
    }


def render_poster(content: KitContent, spec: FormatSpec, *, label: str = "") -> Poster:
    with translation.override(POSTER_LANGUAGE):
        return _render(content, spec, label)


def _render(content: KitContent, spec: FormatSpec, label: str) -> Poster:
    register_fonts()
    warnings: list[dict] = []
    bleed = spec.bleed_mm * mm
    slug = SLUG_MM * mm
    page_w = spec.width_mm * mm + 2 * (bleed + slug)
    page_h = spec.height_mm * mm + 2 * (bleed + slug)
    trim = Box(bleed + slug, bleed + slug, spec.width_mm * mm, spec.height_mm * mm)
    unit = (
        min(trim.w / (210 * mm), trim.h / (297 * mm))
        if trim.w <= trim.h * 1.1
        else (min(trim.h / (210 * mm), trim.w / (297 * mm)))
    )
    margin = 12 * mm * unit
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1, initialFontName=FONT)
    canvas.setTitle(f"{content.title} — {spec.name}")
    canvas.setAuthor(content.organiser_name)
    canvas.setSubject(content.pitch)
    canvas.setCreator("Tremplin")
    canvas.setTrimBox((trim.x, trim.y, trim.x + trim.w, trim.y + trim.h))
    canvas.setBleedBox((slug, slug, page_w - slug, page_h - slug))
    boxes = _layout(trim, bleed)
    primary = hex_to_cmyk(content.primary_colour)
    secondary = hex_to_cmyk(content.secondary_colour)

    # Background (white paper, into the bleed) and the programme's band.
    canvas.setFillColorCMYK(*WHITE)
    canvas.rect(slug, slug, page_w - 2 * slug, page_h - 2 * slug, stroke=0, fill=1)
    band = boxes["band"]
    canvas.setFillColorCMYK(*primary)
    canvas.rect(band.x, band.y, band.w, band.h, stroke=0, fill=1)
    band_inner_h = band.h - bleed if band.y + band.h > trim.y + trim.h else band.h
    logo_box = Box(
        max(band.x, trim.x) + margin,
        band.y + band_inner_h * 0.15,
        band_inner_h * 0.7 * 1.6,
        band_inner_h * 0.7,
    )
    logo = logo_reader(open_file(content.programme_logo))
    text_x = max(band.x, trim.x) + margin
    if logo is not None:
        canvas.setFillColorCMYK(*WHITE)
        canvas.roundRect(logo_box.x, logo_box.y, logo_box.w, logo_box.h, 2 * mm * unit, 0, 1)
        pad = logo_box.h * 0.08
        _draw_image(
            canvas,
            logo,
            Box(logo_box.x + pad, logo_box.y + pad, logo_box.w - 2 * pad, logo_box.h - 2 * pad),
        )
        text_x = logo_box.x + logo_box.w + margin * 0.6
    band_right = min(band.x + band.w, trim.x + trim.w) - margin
    canvas.setFillColorCMYK(*WHITE)
    size, lines = fit_text(
        content.programme_name, FONT_BOLD, band_right - text_x, 18 * unit, 7 * unit, 2
    )
    _text_block(canvas, lines, FONT_BOLD, size, text_x, band.y + band_inner_h * 0.72)
    if content.programme_tagline:
        tag_size, tag_lines = fit_text(
            content.programme_tagline, FONT, band_right - text_x, 10 * unit, 6 * unit, 1
        )
        _text_block(canvas, tag_lines, FONT, tag_size, text_x, band.y + band_inner_h * 0.3)

    # The maker's photo, filling its box into the bleed, measured at its printed size.
    photo_box = boxes["photo"]
    photo = prepare_photo(open_file(content.photo), photo_box.w, photo_box.h)
    if photo.reader is not None:
        canvas.drawImage(photo.reader, photo_box.x, photo_box.y, photo_box.w, photo_box.h)
        if photo.dpi < MIN_DPI:
            warnings.append(
                {
                    "code": "low_dpi",
                    "dpi": photo.dpi,
                    "format": spec.code,
                    "pixels": f"{photo.pixels[0]} × {photo.pixels[1]}",
                    "needed": f"{photo.needed[0]} × {photo.needed[1]}",
                }
            )
    else:
        canvas.setFillColorCMYK(*secondary)
        canvas.rect(photo_box.x, photo_box.y, photo_box.w, photo_box.h, stroke=0, fill=1)
        warnings.append({"code": "no_photo", "format": spec.code})

    # Title, tagline (the pitch) and goal.
    text = boxes["text"]
    left = text.x + margin
    width = text.w - 2 * margin
    top = text.y + text.h - margin * 0.8
    canvas.setFillColorCMYK(*BLACK)
    size, lines = fit_text(content.title, FONT_BOLD, width, 30 * unit, 14 * unit, 2)
    top = _text_block(canvas, lines, FONT_BOLD, size, left, top) - 3 * mm * unit
    if content.pitch:
        size, lines = fit_text(content.pitch, FONT, width, 14 * unit, 8 * unit, 4)
        top = _text_block(canvas, lines, FONT, size, left, top) - 3 * mm * unit
    canvas.setFillColorCMYK(*secondary)
    goal = _("Goal: %(amount)s") % {"amount": format_money(content.goal, cents=False)}
    size, lines = fit_text(goal, FONT_BOLD, width, 18 * unit, 9 * unit, 1)
    top = _text_block(canvas, lines, FONT_BOLD, size, left, top) - 3 * mm * unit
    if content.maker_name:
        canvas.setFillColorCMYK(*BLACK)
        who = (
            _("A project of %(maker)s, %(commune)s")
            if content.commune
            else _("A project of %(maker)s")
        ) % {"maker": content.maker_name, "commune": content.commune}
        size, lines = fit_text(who, FONT, width, 11 * unit, 6 * unit, 1)
        _text_block(canvas, lines, FONT, size, left, top)

    # The bottom block: call to action, short link, QR code, partners' logos.
    bottom = boxes["bottom"]
    inner_bottom = bottom.y + (bleed if bottom.y < trim.y else 0)
    inner_h = bottom.h - (bleed if bottom.y < trim.y else 0)
    partners_h = inner_h * 0.22 if content.partner_logos else 0
    qr_wanted = qr_side_mm(spec.reading_distance_cm) * mm
    qr_room = min(inner_h - partners_h - margin * 0.5, trim.w * 0.4)
    qr_side = min(qr_wanted, qr_room)
    if qr_side < qr_wanted - 0.5 * mm:
        warnings.append(
            {
                "code": "qr_small",
                "format": spec.code,
                "side_mm": round(qr_side / mm),
                "wanted_mm": round(qr_wanted / mm),
            }
        )
    right = min(bottom.x + bottom.w, trim.x + trim.w) - margin
    qr_x = right - qr_side
    qr_y = inner_bottom + partners_h + (inner_h - partners_h - qr_side) / 2
    url = content.tracked_url(spec.channel)
    qr = draw_qr(canvas, url, qr_x, qr_y, qr_side)
    cta_left = max(bottom.x, trim.x) + margin
    cta_width = qr_x - cta_left - margin
    canvas.setFillColorCMYK(*primary)
    cta = _("Scan and support this project")
    size, lines = fit_text(cta, FONT_BOLD, cta_width, 20 * unit, 8 * unit, 2)
    mid = qr_y + qr_side * 0.85
    mid = _text_block(canvas, lines, FONT_BOLD, size, cta_left, mid) - 2 * mm * unit
    canvas.setFillColorCMYK(*BLACK)
    short = content.short_url(spec.channel)
    size, lines = fit_text(short, FONT, cta_width, 12 * unit, 6 * unit, 2)
    mid = _text_block(canvas, lines, FONT, size, cta_left, mid) - 2 * mm * unit
    ends = content.ends_at
    if ends:
        until = _("Until %(date)s") % {"date": _date(ends)}
        size, lines = fit_text(until, FONT, cta_width, 11 * unit, 6 * unit, 1)
        _text_block(canvas, lines, FONT, size, cta_left, mid)
    if content.partner_logos:
        _draw_partners(
            canvas,
            content,
            Box(cta_left, inner_bottom + margin * 0.5, right - cta_left, partners_h - margin * 0.5),
            unit,
        )

    _draw_crop_marks(canvas, trim, bleed, slug)
    canvas.setFillColorCMYK(*REGISTRATION)
    canvas.setFont(FONT, 6)
    canvas.drawString(
        trim.x + slug + bleed,
        slug * 0.35,
        f"{content.title} — {spec.label} — {_('bleed')} {spec.bleed_mm:g} mm — "
        f"{timezone.localtime().strftime('%Y-%m-%d %H:%M')}",
    )
    canvas.showPage()
    canvas.save()
    details = {
        "page_mm": [round(page_w / mm, 2), round(page_h / mm, 2)],
        "trim_mm": [spec.width_mm, spec.height_mm],
        "bleed_mm": spec.bleed_mm,
        "channel": spec.channel,
        "quantity": spec.quantity,
        "photo_dpi": photo.dpi,
        "qr_side_mm": round(qr_side / mm, 1),
        "qr_module_mm": qr["module_mm"],
        "reading_distance_cm": spec.reading_distance_cm,
    }
    return Poster(buffer.getvalue(), warnings, details)


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(value), "j F Y")


def _draw_partners(canvas: Canvas, content: KitContent, box: Box, unit: float) -> None:
    canvas.setFillColorCMYK(*BLACK)
    label = _("With")
    canvas.setFont(FONT, 8 * unit)
    canvas.drawString(box.x, box.y + box.h / 2 - 3 * unit, label)
    start = box.x + canvas.stringWidth(label, FONT, 8 * unit) + 4 * mm * unit
    logos = [r for r in (logo_reader(open_file(logo.path)) for logo in content.partner_logos) if r]
    if not logos:
        return
    slot = (box.x + box.w - start) / len(logos)
    for index, reader in enumerate(logos):
        _draw_image(
            canvas,
            reader,
            Box(start + index * slot + slot * 0.08, box.y, slot * 0.84, box.h),
        )
