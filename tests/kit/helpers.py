"""Reading what the kit made: PDF boxes and fonts (pypdf), QR codes in rendered PDF pages
(pypdfium2) and images (zxing-cpp)."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from PIL import Image
from pypdf import PdfReader

MM = 72 / 25.4


def image_file(width: int, height: int, colour=(200, 90, 40), fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    # Some detail, so the photo is not one flat colour.
    for x in range(0, width, max(1, width // 8)):
        for y in range(height):
            image.putpixel((x, y), (20, 40, 160))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def mm_box(box) -> tuple[float, float, float, float]:
    return tuple(
        round(float(value) / MM, 1) for value in (box.left, box.bottom, box.right, box.top)
    )


def pdf_facts(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    fonts = []
    resources = page["/Resources"]
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = font.get("/FontDescriptor")
        if descendants:
            descriptor = descendants[0].get_object().get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor else {}
        fonts.append(
            {
                "name": str(font.get("/BaseFont")),
                "embedded": any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ),
            }
        )
    return {
        "pages": len(reader.pages),
        "media": mm_box(page.mediabox),
        "trim": mm_box(page.trimbox),
        "bleed": mm_box(page.bleedbox),
        "fonts": fonts,
        "raw": page,
    }


def render_pdf(data: bytes, *, long_side: int = 2000) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    width, height = page.get_size()
    scale = long_side / max(width, height)
    image = page.render(scale=scale).to_pil()
    document.close()
    return image


def decode_qr(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]
