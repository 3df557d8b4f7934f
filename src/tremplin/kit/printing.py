"""What every printed item shares: the libre font shipped with the package (DejaVu Sans,
``kit/fonts``, Bitstream Vera licence), colours in CMYK, the QR code drawn as vectors with
its quiet zone, a photo prepared for its printed size (its resolution measured there), and
text fitted to a box."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageOps
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "TremplinSans"
FONT_BOLD = "TremplinSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
# Below this many dots per inch at the printed size a photo looks blurred up close.
MIN_DPI = 150
# No need to embed more than this: the printer's RIP would throw the rest away.
MAX_EMBED_DPI = 300
# The QR code's quiet zone, in modules (ISO/IEC 18004 asks for 4).
QUIET_ZONE = 4
# A QR code is read from about ten times its width.
QR_DISTANCE_RATIO = 10
MIN_QR_MM = 20
REGISTRATION = (1, 1, 1, 1)  # crop marks print on every plate
BLACK = (0, 0, 0, 0.9)
WHITE = (0, 0, 0, 0)


def register_fonts() -> None:
    """Register the shipped TrueType fonts once (reportlab embeds the subset it uses)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def font_path(bold: bool = False) -> str:
    return str(FONT_DIR / FONT_FILES[FONT_BOLD if bold else FONT])


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def hex_to_cmyk(value: str) -> tuple[float, float, float, float]:
    """A #RRGGBB colour as CMYK fractions (device conversion; a printer's profile refines)."""
    r, g, b = (channel / 255 for channel in hex_to_rgb(value))
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    return (
        round((1 - r - k) / (1 - k), 4),
        round((1 - g - k) / (1 - k), 4),
        round((1 - b - k) / (1 - k), 4),
        round(k, 4),
    )


def qr_side_mm(reading_distance_cm: int) -> float:
    """The side of the QR code, quiet zone included, for the distance it is read from."""
    return max(MIN_QR_MM, reading_distance_cm * 10 / QR_DISTANCE_RATIO)


@functools.lru_cache(maxsize=256)
def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (error correction M: a smudged poster still scans)."""
    return segno.make(url, error="m", micro=False)


def draw_qr(canvas, url: str, x: float, y: float, side: float) -> dict:
    """The QR code of ``url`` as vector squares in CMYK black on a white square of ``side``
    points whose margin is the quiet zone; (x, y) is its lower left corner."""
    code = qr_code(url)
    matrix = code.matrix
    count = len(matrix)
    module = side / (count + 2 * QUIET_ZONE)
    canvas.setFillColorCMYK(*WHITE)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + side - (QUIET_ZONE + row_index + 1) * module
        column = 0
        while column < count:
            if row[column] & 1:
                start = column
                while column < count and row[column] & 1:
                    column += 1
                path.rect(x + (QUIET_ZONE + start) * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)
    return {"modules": count, "module_mm": round(module / mm, 2), "version": code.version}


@dataclass
class PreparedPhoto:
    reader: ImageReader | None
    dpi: int  # at the printed size, before any downscaling
    pixels: tuple[int, int]  # of the crop that is printed
    needed: tuple[int, int]  # pixels for MIN_DPI at the printed size


def open_image(data: bytes | None) -> Image.Image | None:
    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return ImageOps.exif_transpose(image)


def cover_crop(image: Image.Image, ratio: float) -> Image.Image:
    """The largest centred crop of ``image`` with width / height = ``ratio``."""
    width, height = image.size
    if width / height > ratio:
        new_width = max(1, round(height * ratio))
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    new_height = max(1, round(width / ratio))
    top = (height - new_height) // 2
    return image.crop((0, top, width, top + new_height))


def prepare_photo(data: bytes | None, width_pt: float, height_pt: float) -> PreparedPhoto:
    """The photo cropped to fill a box of the printed size, measured (dots per inch at that
    size), scaled down to at most MAX_EMBED_DPI and converted to CMYK."""
    width_in, height_in = width_pt / 72, height_pt / 72
    needed = (round(width_in * MIN_DPI), round(height_in * MIN_DPI))
    image = open_image(data)
    if image is None:
        return PreparedPhoto(None, 0, (0, 0), needed)
    crop = cover_crop(image, width_pt / height_pt)
    dpi = int(crop.size[0] / width_in)
    pixels = crop.size
    limit = (max(1, round(width_in * MAX_EMBED_DPI)), max(1, round(height_in * MAX_EMBED_DPI)))
    if crop.size[0] > limit[0]:
        crop = crop.resize(limit, Image.Resampling.LANCZOS)
    if crop.mode != "RGB":
        crop = crop.convert("RGBA").convert("RGB") if "A" in crop.mode else crop.convert("RGB")
    cmyk = crop.convert("CMYK")
    return PreparedPhoto(ImageReader(cmyk), dpi, pixels, needed)


def logo_reader(data: bytes | None) -> ImageReader | None:
    """A logo flattened on white and converted to CMYK (transparent areas become white)."""
    image = open_image(data)
    if image is None:
        return None
    image.thumbnail((1200, 1200))
    flat = Image.new("RGB", image.size, (255, 255, 255))
    rgba = image.convert("RGBA")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return ImageReader(flat.convert("CMYK"))


def fit_text(
    text: str,
    font: str,
    width: float,
    max_size: float,
    min_size: float,
    max_lines: int,
) -> tuple[float, list[str]]:
    """The largest size (from ``max_size`` down to ``min_size``) at which ``text`` fits in
    ``max_lines`` lines of ``width``; at the smallest size the last line is cut with "…"."""
    size = max_size
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= min_size:
            break
        size = max(min_size, size * 0.92)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return size, lines
