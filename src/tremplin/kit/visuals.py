"""The social visuals (PNG): the square post (1080 × 1080), the portrait post (1080 × 1350),
the story (1080 × 1920) and the page's share image (1200 × 630, the campaign's OpenGraph
image), each with its alt text. The posts carry a QR code to the campaign page tracked for
the social networks (``?canal=reseaux``); the share image is what a link to the page shows,
so it needs none."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from tremplin.core.money import format_money
from tremplin.kit.content import CHANNEL_SOCIAL, KitContent, open_file
from tremplin.kit.enums import ItemGroup
from tremplin.kit.printing import QUIET_ZONE, cover_crop, font_path, hex_to_rgb, open_image
from tremplin.kit.printing import qr_code as make_qr
from tremplin.kit.registry import ItemKind, Made, Unit

KIND = "visual"
VISUAL_LANGUAGE = "fr"


@dataclass(frozen=True)
class VisualSize:
    code: str
    width: int
    height: int
    qr: bool


SIZES = (
    VisualSize("square", 1080, 1080, True),
    VisualSize("portrait", 1080, 1350, True),
    VisualSize("story", 1080, 1920, True),
    VisualSize("share", 1200, 630, False),
)
SHARE = "share"


def size_label(code: str) -> str:
    return {
        "square": _("Square post 1080 × 1080"),
        "portrait": _("Portrait post 1080 × 1350"),
        "story": _("Story 1080 × 1920"),
        "share": _("Share image 1200 × 630 (link preview)"),
    }[code]


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(bold), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit(draw, text: str, bold: bool, width: int, max_size: int, min_size: int, max_lines: int):
    size = max_size
    while True:
        font = _font(size, bold)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines or size <= min_size:
            break
        size = max(min_size, int(size * 0.9))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def _draw_lines(draw, lines, font, x: int, y: int, fill) -> int:
    size = font.size
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * 1.2)
    return y


def qr_image(url: str, side: int) -> Image.Image:
    """The QR code of ``url`` as a white square of ``side`` pixels, quiet zone included."""
    matrix = make_qr(url).matrix
    count = len(matrix) + 2 * QUIET_ZONE
    small = Image.new("L", (count, count), 255)
    pixels = small.load()
    for row_index, row in enumerate(matrix):
        for column, value in enumerate(row):
            if value & 1:
                pixels[column + QUIET_ZONE, row_index + QUIET_ZONE] = 0
    module = max(1, side // count)
    return small.resize((count * module, count * module), Image.Resampling.NEAREST).convert("RGB")


def render_visual(content: KitContent, size: VisualSize) -> bytes:
    with translation.override(VISUAL_LANGUAGE):
        return _render(content, size)


def _render(content: KitContent, size: VisualSize) -> bytes:
    width, height = size.width, size.height
    primary = hex_to_rgb(content.primary_colour)
    secondary = hex_to_rgb(content.secondary_colour)
    canvas = Image.new("RGB", (width, height), primary)
    draw = ImageDraw.Draw(canvas)
    landscape = width > height
    photo = open_image(open_file(content.photo))
    if landscape:
        photo_box = (0, 0, int(width * 0.45), height)
        text_box = (photo_box[2] + 48, 48, width - 48, height - 48)
    else:
        photo_h = int(height * (0.5 if height > 1500 else 0.45))
        photo_box = (0, 0, width, photo_h)
        text_box = (64, photo_h + 48, width - 64, height - 56)
    box_w, box_h = photo_box[2] - photo_box[0], photo_box[3] - photo_box[1]
    if photo is not None:
        crop = cover_crop(photo.convert("RGB"), box_w / box_h).resize((box_w, box_h))
        canvas.paste(crop, photo_box[:2])
    else:
        draw.rectangle(photo_box, fill=secondary)
    left, top, right, bottom = text_box
    text_w = right - left
    scale = width / 1080
    font = _font(int(26 * scale))
    top = _draw_lines(draw, [content.programme_name], font, left, top, (255, 255, 255)) + 8
    font, lines = _fit(draw, content.title, True, text_w, int(72 * scale), 32, 3)
    top = _draw_lines(draw, lines, font, left, top, (255, 255, 255)) + 16
    if content.pitch:
        max_lines = 3 if landscape else 4
        font, lines = _fit(draw, content.pitch, False, text_w, int(36 * scale), 20, max_lines)
        top = _draw_lines(draw, lines, font, left, top, (255, 255, 255)) + 16
    goal = _("Goal: %(amount)s") % {"amount": format_money(content.goal, cents=False)}
    font = _font(int(40 * scale), bold=True)
    tile_h = int(font.size * 1.6)
    tile_w = int(draw.textlength(goal, font=font)) + 40
    draw.rounded_rectangle((left, top, left + tile_w, top + tile_h), 12, fill=(255, 255, 255))
    draw.text((left + 20, top + (tile_h - font.size) // 2 - 4), goal, font=font, fill=secondary)
    top += tile_h + 24
    if size.qr:
        side = min(int(width * 0.3), bottom - top)
        side = max(side, 200)
        qr = qr_image(content.tracked_url(CHANNEL_SOCIAL), side)
        canvas.paste(qr, (right - qr.size[0], bottom - qr.size[1]))
        font, lines = _fit(
            draw, _("Scan and support this project"), True, text_w - qr.size[0] - 32, 40, 24, 3
        )
        _draw_lines(draw, lines, font, left, bottom - qr.size[1], (255, 255, 255))
        font = _font(int(26 * scale))
        _draw_lines(
            draw,
            [content.short_url(CHANNEL_SOCIAL)],
            font,
            left,
            bottom - int(font.size * 1.3),
            (255, 255, 255),
        )
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", optimize=False, compress_level=1)
    return buffer.getvalue()


def alt_text(content: KitContent, size: VisualSize, language: str) -> str:
    with translation.override(language):
        parts = [
            _("Visual of the campaign “%(title)s”, a laureate of %(programme)s.")
            % {"title": content.title, "programme": content.programme_name},
        ]
        if content.photo_alt:
            parts.append(_("Photo: %(alt)s.") % {"alt": content.photo_alt.rstrip(".")})
        if content.pitch:
            parts.append(content.pitch.rstrip(".") + ".")
        parts.append(_("Goal: %(amount)s.") % {"amount": format_money(content.goal, cents=False)})
        if size.qr:
            parts.append(
                _("A QR code leads to the campaign page: %(url)s")
                % {"url": content.short_url(CHANNEL_SOCIAL)}
            )
        return " ".join(parts)


def _plan(content: KitContent) -> list[Unit]:
    return [Unit(KIND, size.code, "", size_label(size.code)) for size in SIZES]


def _make(content: KitContent, unit: Unit) -> Made:
    size = next(size for size in SIZES if size.code == unit.variant)
    return Made(
        data=render_visual(content, size),
        extension="png",
        media_type="image/png",
        alt_text=alt_text(content, size, VISUAL_LANGUAGE),
        tracked_url=content.tracked_url(CHANNEL_SOCIAL) if size.qr else "",
        details={
            "pixels": [size.width, size.height],
            "alt_text_en": alt_text(content, size, "en"),
        },
    )


VISUAL = ItemKind(code=KIND, group=ItemGroup.VISUAL, plan=_plan, make=_make)
