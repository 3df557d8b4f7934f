"""Builders shared by the calls tests: files made in memory, clients, valid form data."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

YOUTUBE_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def english_client(user=None) -> Client:
    """A client reading the site in English (stable texts whatever the catalogues say)."""
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def image_bytes(fmt: str = "JPEG", size=(40, 20), colour=(200, 30, 30), **save_options) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP") and len(colour) == 4 else "RGB"
    image = Image.new(mode, size, colour)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_exif(size=(40, 20), orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0110] = "Secret Model"  # Model
    exif[0x0131] = "Software 1.0"  # Software
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 37.0, 48.0)
    image = Image.new("RGB", size, (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "dossier.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's signature."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )


def noisy_png(side: int) -> bytes:
    """A PNG that does not compress: about 3 × side² bytes."""
    import os

    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def valid_data(**overrides) -> dict:
    data = {
        "title": "Atelier de réparation de vélos",
        "summary": "Un atelier mobile pour réparer les vélos du quartier.",
        "description": "Nous réparons les vélos.\nNous apprenons aux habitants à le faire.",
        "category": "Artisanat",
        "commune": "Lille",
        "maker_profile": "entrepreneur",
        "maker_name": "Camille Martin",
        "maker_phone": "06 12 34 56 78",
        "funding_goal": "5 000",
        "budget": "8 000,50",
        "video_url": YOUTUBE_URL,
        "action": "submit",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
