"""Checking and cleaning the files makers upload.

Images (JPEG, PNG, WebP) are opened with Pillow, verified, fully decoded, turned upright
from their EXIF orientation, downscaled and re-encoded: what we store carries no EXIF or
other metadata (GPS position, camera serial…). PDFs are checked by content (``%PDF-``
header and readable by pypdf), not by name. Both get a random file name; neither lives
under ``public/``: they are served by permission-checked views only."""

from __future__ import annotations

import io
import logging
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# A photo of 40 megapixels is plenty; more is refused before the pixels are decoded, so a
# small file that expands to gigabytes in memory (a "decompression bomb") is stopped early.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 2400
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_MEMORY_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
}

logger = logging.getLogger(__name__)


def _read_limited(upload: UploadedFile, limit: int, message: str) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            message % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
            code="file_too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            message % {"size": filesizeformat(len(data)), "max": filesizeformat(limit)},
            code="file_too_large",
        )
    return data


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("Upload a JPEG, PNG or WebP image: this file is not one, or it is damaged."),
        code="invalid_image",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This image has too many pixels: the maximum is %(max)s million pixels.")
        % {"max": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_many_pixels",
    )


def clean_image(upload: UploadedFile) -> ContentFile:
    """Return a re-encoded copy of an uploaded image, or raise ``ValidationError``."""
    data = _read_limited(
        upload,
        settings.TREMPLIN_MAX_IMAGE_BYTES,
        _("This image is too large (%(size)s): the maximum is %(max)s."),
    )
    with warnings.catch_warnings():
        # Pillow warns (then errors) on huge images; make the warning an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise _not_an_image()
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.load()
                upright = ImageOps.exif_transpose(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_an_image() from None
        except Exception:  # Pillow decoders raise a zoo of errors on hostile files
            logger.warning("Unexpected error while decoding an uploaded image", exc_info=True)
            raise _not_an_image() from None
    return _reencode(upright, image_format)


def _reencode(image: Image.Image, image_format: str) -> ContentFile:
    icc_profile = image.info.get("icc_profile")
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    if image.mode not in _MEMORY_MODES[image_format]:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        target = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
        image = image.convert(target)
    # A clean copy: no EXIF, XMP, comments or text chunks travel with the pixels.
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette() or [])
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    clean.paste(image)
    options: dict = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        options.update(quality=85, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=85, method=4)
    elif "transparency" in clean.info:
        options["transparency"] = clean.info["transparency"]
    out = io.BytesIO()
    clean.save(out, format=image_format, **options)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}")


def _not_a_pdf() -> ValidationError:
    return ValidationError(
        _("Upload a PDF document: this file is not a readable PDF."), code="invalid_pdf"
    )


def clean_pdf(upload: UploadedFile) -> ContentFile:
    """Return the PDF under a random name, or raise ``ValidationError``."""
    data = _read_limited(
        upload,
        settings.TREMPLIN_MAX_PDF_BYTES,
        _("This document is too large (%(size)s): the maximum is %(max)s."),
    )
    if not data.startswith(b"%PDF-"):
        raise _not_a_pdf()
    from pypdf import PdfReader

    pypdf_logger = logging.getLogger("pypdf")
    previous_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("Password-protected PDFs cannot be read by the jury: upload one without."),
                code="encrypted_pdf",
            )
        if len(reader.pages) < 1:
            raise _not_a_pdf()
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of errors on broken files
        raise _not_a_pdf() from None
    finally:
        pypdf_logger.setLevel(previous_level)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


def image_content_type(name: str) -> str:
    return IMAGE_CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
