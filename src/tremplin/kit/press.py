"""The press release, in French and English: a text the organiser may edit while the
version is a proof, and its PDF (A4, the shipped font embedded, a QR code tracked for the
press, ``?canal=presse``), made again from the edited text."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from tremplin.core.money import format_money
from tremplin.kit.content import CHANNEL_PRESS, KitContent, open_file
from tremplin.kit.enums import ItemGroup
from tremplin.kit.printing import (
    BLACK,
    FONT,
    FONT_BOLD,
    draw_qr,
    hex_to_cmyk,
    logo_reader,
    register_fonts,
)
from tremplin.kit.registry import ItemKind, Made, Unit

KIND = "press"
LANGUAGES = ("fr", "en")
PAGE_W, PAGE_H = 210 * mm, 297 * mm
MARGIN = 20 * mm


def _date(value) -> str:
    return date_format(timezone.localtime(value), "j F Y") if value else ""


def press_text(content: KitContent, language: str) -> str:
    """The release's text: a headline on the first line, then paragraphs."""
    with translation.override(language):
        values = {
            "title": content.title,
            "programme": content.programme_name,
            "organiser": content.organiser_name,
            "maker": content.maker_name or content.title,
            "commune": content.commune,
            "goal": format_money(content.goal, cents=False),
            "start": _date(content.starts_at),
            "end": _date(content.ends_at),
            "url": content.tracked_url(CHANNEL_PRESS),
        }
        paragraphs = [
            _("%(programme)s: “%(title)s” opens its crowdfunding campaign") % values,
            _(
                "%(organiser)s supports the makers of its territory with %(programme)s. "
                "Chosen by a jury of partners, “%(title)s” is one of its laureates and opens "
                "its crowdfunding campaign on %(start)s, until %(end)s."
            )
            % values,
            content.pitch,
        ]
        if content.description_text:
            description = content.description_text
            if len(description) > 1500:
                description = description[:1500].rsplit(" ", 1)[0] + "…"
            paragraphs.append(description)
        paragraphs += [
            _(
                "The goal is %(goal)s. Anyone can contribute, from a few euros, on the "
                "campaign page: %(url)s"
            )
            % values,
            _("Press contact: %(organiser)s.") % values,
        ]
        return "\n\n".join(p for p in paragraphs if p)


def render_press_pdf(content: KitContent, text: str, language: str) -> bytes:
    with translation.override(language):
        return _render(content, text)


def _render(content: KitContent, text: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=FONT)
    canvas.setTitle(_("Press release — %(title)s") % {"title": content.title})
    canvas.setAuthor(content.organiser_name)
    canvas.setCreator("Tremplin")
    primary = hex_to_cmyk(content.primary_colour)
    width = PAGE_W - 2 * MARGIN
    qr_side = 32 * mm
    url = content.tracked_url(CHANNEL_PRESS)

    def header() -> float:
        canvas.setFillColorCMYK(*primary)
        canvas.rect(0, PAGE_H - 28 * mm, PAGE_W, 28 * mm, stroke=0, fill=1)
        logo = logo_reader(open_file(content.programme_logo))
        x = MARGIN
        if logo is not None:
            w, h = logo.getSize()
            scale = min(40 * mm / w, 16 * mm / h)
            canvas.setFillColorCMYK(0, 0, 0, 0)
            canvas.rect(x, PAGE_H - 24 * mm, w * scale + 4 * mm, 20 * mm, stroke=0, fill=1)
            canvas.drawImage(logo, x + 2 * mm, PAGE_H - 22 * mm, w * scale, h * scale)
            x += w * scale + 10 * mm
        canvas.setFillColorCMYK(0, 0, 0, 0)
        canvas.setFont(FONT_BOLD, 16)
        canvas.drawString(x, PAGE_H - 15 * mm, _("Press release"))
        canvas.setFont(FONT, 10)
        canvas.drawString(
            x, PAGE_H - 21 * mm, f"{content.programme_name} — {_date(timezone.now())}"
        )
        return PAGE_H - 40 * mm

    y = header()
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    canvas.setFillColorCMYK(*BLACK)
    for index, paragraph in enumerate(paragraphs):
        font, size = (FONT_BOLD, 17) if index == 0 else (FONT, 11)
        leading = size * 1.35
        for line in (
            simpleSplit(part, font, size, width) or [""] for part in paragraph.split("\n")
        ):
            for piece in line:
                if y < MARGIN + qr_side + 10 * mm:
                    canvas.showPage()
                    y = header()
                    canvas.setFillColorCMYK(*BLACK)
                canvas.setFont(font, size)
                canvas.drawString(MARGIN, y, piece)
                y -= leading
        y -= size * 0.8
    draw_qr(canvas, url, PAGE_W - MARGIN - qr_side, MARGIN, qr_side)
    canvas.setFont(FONT, 9)
    canvas.drawString(MARGIN, MARGIN + 12 * mm, content.title)
    canvas.drawString(MARGIN, MARGIN + 6 * mm, content.short_url(CHANNEL_PRESS))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _plan(content: KitContent) -> list[Unit]:
    return [Unit(KIND, "release", language, _("Press release (PDF)")) for language in LANGUAGES]


def _made(content: KitContent, unit: Unit, body: str) -> Made:
    return Made(
        data=render_press_pdf(content, body, unit.language),
        extension="pdf",
        media_type="application/pdf",
        body=body,
        tracked_url=content.tracked_url(CHANNEL_PRESS),
    )


def _make(content: KitContent, unit: Unit) -> Made:
    return _made(content, unit, press_text(content, unit.language))


PRESS = ItemKind(
    code=KIND,
    group=ItemGroup.TEXT,
    plan=_plan,
    make=_make,
    editable=True,
    rerender=_made,
)
