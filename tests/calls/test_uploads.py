"""Checking and re-encoding of uploads, as domain functions."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tests.calls.helpers import (
    image_bytes,
    jpeg_with_exif,
    noisy_png,
    pdf_bytes,
    png_claiming_size,
    upload,
)
from tremplin.core.uploads import MAX_IMAGE_SIDE, clean_image, clean_pdf


def _open(content_file):
    return Image.open(io.BytesIO(content_file.read()))


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_accepted_formats_keep_their_format_under_a_random_name(fmt, ext):
    cleaned = clean_image(upload(f"mon image.{ext}", image_bytes(fmt)))
    assert cleaned.name.endswith(f".{ext}")
    assert "mon" not in cleaned.name
    assert _open(cleaned).format == fmt


def test_reencoding_strips_exif_and_applies_orientation():
    original = Image.open(io.BytesIO(jpeg_with_exif(size=(40, 20))))
    assert original.getexif()[0x010F] == "Camera Maker"
    cleaned = _open(clean_image(upload("photo.jpg", jpeg_with_exif(size=(40, 20)))))
    assert len(cleaned.getexif()) == 0
    assert "exif" not in cleaned.info
    assert cleaned.size == (20, 40)  # turned upright, then the orientation tag dropped


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Camille Martin, 12 rue Secrète")
    cleaned = clean_image(upload("x.png", image_bytes("PNG", pnginfo=info)))
    assert b"Secr" not in cleaned.read()


def test_transparent_png_keeps_alpha():
    cleaned = _open(clean_image(upload("x.png", image_bytes("PNG", colour=(1, 2, 3, 0)))))
    assert cleaned.mode == "RGBA"


def test_big_images_are_downscaled():
    cleaned = _open(clean_image(upload("big.png", image_bytes("PNG", size=(5000, 100)))))
    assert max(cleaned.size) == MAX_IMAGE_SIDE


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.jpg", b"Hello, I am a text file pretending to be a JPEG."),
        ("anim.gif", image_bytes("GIF")),
        ("image.bmp", image_bytes("BMP")),
        ("empty.jpg", b""),
        ("truncated.jpg", image_bytes("JPEG", size=(300, 300))[:200]),
        ("page.jpg", b"%PDF-1.4 not an image"),
        ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_non_images_are_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(name, content))
    assert caught.value.code == "invalid_image"


@pytest.mark.parametrize("size", [(8000, 6000), (100_000, 100_000)])
def test_decompression_bombs_are_refused(size):
    with pytest.raises(ValidationError) as caught:
        clean_image(upload("bomb.png", png_claiming_size(*size)))
    assert caught.value.code == "image_too_many_pixels"


def test_oversized_image_is_refused(settings):
    content = noisy_png(1400)  # about 5.9 MB, beyond the 5 MB limit
    assert len(content) > settings.TREMPLIN_MAX_IMAGE_BYTES
    with pytest.raises(ValidationError) as caught:
        clean_image(upload("huge.png", content))
    assert caught.value.code == "file_too_large"


def test_pdf_is_kept_under_a_random_name():
    cleaned = clean_pdf(upload("mon dossier.pdf", pdf_bytes()))
    assert cleaned.name.endswith(".pdf")
    assert "dossier" not in cleaned.name
    assert cleaned.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a pdf",
        image_bytes("JPEG"),
        b"%PDF-1.7\nthis only looks like a PDF",
        b"",
        b" %PDF-1.4",
    ],
)
def test_non_pdfs_are_refused(content):
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload("dossier.pdf", content))
    assert caught.value.code == "invalid_pdf"


def test_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload("locked.pdf", buffer.getvalue()))
    assert caught.value.code == "encrypted_pdf"


def test_oversized_pdf_is_refused(settings):
    content = pdf_bytes() + b"%" + b"0" * settings.TREMPLIN_MAX_PDF_BYTES
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload("big.pdf", content))
    assert caught.value.code == "file_too_large"
