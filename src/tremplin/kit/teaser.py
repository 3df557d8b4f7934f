"""A 30-second vertical teaser of a campaign (1080 × 1920, MP4/H.264, yuv420p), for
stories and reels: the campaign's images with its title burned in, its goal, and an end
card with a QR code to the page (tracked as the ``video`` channel).

Each scene is drawn as one still picture with Pillow, then ffmpeg (the binary of
imageio-ffmpeg) turns the stills into the video, with a short fade between scenes. Without
ffmpeg, :class:`~tremplin.kit.errors.FfmpegMissing` says so in words.

    make_teaser(campaign, Path("teaser.mp4"))  # → the path, the file written"""

from __future__ import annotations

import io
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from tremplin.campaigns.models import Campaign
from tremplin.core.colours import DEFAULT_PRIMARY, safe_colour
from tremplin.core.dates import PARIS
from tremplin.core.money import format_money
from tremplin.kit import ffmpeg
from tremplin.kit.errors import KitError
from tremplin.kit.links import VIDEO_CHANNEL, tracked_url

WIDTH, HEIGHT = 1080, 1920
DURATION = 30  # seconds
FPS = 25
FADE = 0.4  # seconds, at each end of a scene
TITLE_SECONDS = 6
GOAL_SECONDS = 6
END_SECONDS = 8
MAX_IMAGE_SCENES = 4
ENCODE_TIMEOUT = 600  # seconds
MARGIN = 80
WHITE = (255, 255, 255)
INK = (20, 24, 32)


@dataclass(frozen=True)
class Scene:
    picture: Image.Image
    seconds: float


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` pixels; an ellipsis when cut."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width=len(lines[-1]), placeholder=" …")
    return lines


def _text_block(
    draw: ImageDraw.ImageDraw, top: int, text: str, size: int, fill, max_lines: int = 4
) -> int:
    """Centred lines from ``top``; returns the bottom."""
    font = _font(size)
    y = top
    for line in _wrap(draw, text, font, WIDTH - 2 * MARGIN, max_lines):
        width = draw.textlength(line, font=font)
        draw.text(((WIDTH - width) / 2, y), line, font=font, fill=fill)
        y += int(size * 1.25)
    return y


def _background(image_path: str | None, colour: tuple[int, int, int]) -> Image.Image:
    if image_path:
        try:
            with Image.open(image_path) as source:
                source.load()
                picture = ImageOps.fit(source.convert("RGB"), (WIDTH, HEIGHT))
            shade = Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 0))
            return Image.blend(picture, shade, 0.45)
        except OSError:
            pass
    return Image.new("RGB", (WIDTH, HEIGHT), colour)


def _band(picture: Image.Image, top: int, bottom: int, colour) -> None:
    overlay = Image.new("RGB", (WIDTH, bottom - top), colour)
    picture.paste(overlay, (0, top))


def title_scene(campaign: Campaign, image_path: str | None, colour) -> Image.Image:
    picture = _background(image_path, colour)
    draw = ImageDraw.Draw(picture)
    _text_block(draw, 180, campaign.programme.name, 44, WHITE, 2)
    bottom = _text_block(draw, 700, campaign.title, 96, WHITE, 4)
    if campaign.pitch:
        _text_block(draw, bottom + 60, campaign.pitch, 52, WHITE, 6)
    return picture


def image_scene(campaign: Campaign, image_path: str, caption: str, colour) -> Image.Image:
    picture = _background(image_path, colour)
    draw = ImageDraw.Draw(picture)
    _band(picture, HEIGHT - 420, HEIGHT - 120, colour)
    _text_block(draw, HEIGHT - 380, campaign.title, 64, WHITE, 2)
    if caption:
        _text_block(draw, HEIGHT - 230, caption, 40, WHITE, 2)
    return picture


def goal_scene(campaign: Campaign, colour) -> Image.Image:
    picture = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(picture)
    _text_block(draw, 520, _("Our goal"), 64, WHITE, 1)
    _text_block(draw, 640, format_money(campaign.goal, cents=False), 150, WHITE, 1)
    y = 900
    if campaign.raised_amount:
        y = _text_block(
            draw,
            y,
            _("%(amount)s raised already") % {"amount": format_money(campaign.raised_amount)},
            56,
            WHITE,
            2,
        )
    if campaign.ends_at:
        ends = date_format(campaign.ends_at.astimezone(PARIS).date(), "j F Y")
        _text_block(draw, y + 60, _("Until %(date)s") % {"date": ends}, 56, WHITE, 2)
    return picture


def end_scene(campaign: Campaign, colour) -> Image.Image:
    picture = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(picture)
    _text_block(draw, 200, _("Support the project"), 80, INK, 2)
    _text_block(draw, 330, campaign.title, 60, colour, 3)
    url = tracked_url(campaign.slug, VIDEO_CHANNEL)
    buffer = io.BytesIO()
    # Quiet zone of 4 modules kept; scaled with whole pixels per module (sharp edges).
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    with Image.open(buffer) as code:
        code = code.convert("RGB")
        side = min(720, code.width * max(1, 720 // code.width))
        code = code.resize((side, side), Image.NEAREST)
    picture.paste(code, ((WIDTH - side) // 2, 640))
    # The short link as printed on the posters (kit:short_link), to type instead of scanning.
    short = settings.SITE_URL + reverse("kit:short_link", args=[campaign.slug, VIDEO_CHANNEL])
    short = short.split("://", 1)[-1].rstrip("/")
    _text_block(draw, 640 + side + 60, short, 40, INK, 2)
    _text_block(draw, HEIGHT - 240, campaign.programme.name, 40, INK, 2)
    return picture


def scenes(campaign: Campaign) -> list[Scene]:
    """The teaser's scenes, lasting 30 seconds in all."""
    colour = _hex(safe_colour(campaign.programme.primary_colour, DEFAULT_PRIMARY))
    images = []
    for image in list(campaign.images.all())[: MAX_IMAGE_SCENES + 1]:
        try:
            images.append((image.image.path, image.alt_text))
        # An image without a file (ValueError) or on a storage without local paths.
        except (ValueError, NotImplementedError):
            continue
    first = images[0][0] if images else None
    rest = images[1:]
    middle = DURATION - TITLE_SECONDS - GOAL_SECONDS - END_SECONDS
    out = [Scene(title_scene(campaign, first, colour), TITLE_SECONDS)]
    if rest:
        each = middle / len(rest)
        out += [Scene(image_scene(campaign, path, alt, colour), each) for path, alt in rest]
        out.append(Scene(goal_scene(campaign, colour), GOAL_SECONDS))
    else:  # no more images: the goal stays longer
        out.append(Scene(goal_scene(campaign, colour), GOAL_SECONDS + middle))
    out.append(Scene(end_scene(campaign, colour), END_SECONDS))
    return out


def make_teaser(campaign: Campaign, output_path: str | Path) -> Path:
    """Write the campaign's teaser to ``output_path`` (MP4) and return the path."""
    exe = ffmpeg.ffmpeg_exe()
    output = Path(output_path)
    with translation.override("fr"):
        parts = scenes(campaign)
    with tempfile.TemporaryDirectory(prefix="teaser-") as folder:
        command = [exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        filters, labels = [], []
        for index, scene in enumerate(parts):
            still = Path(folder) / f"scene{index}.png"
            scene.picture.save(still, "PNG")
            seconds = f"{scene.seconds:.3f}"
            # One picture a second read (the still is decoded once a second, not 25
            # times), then repeated to 25 frames a second by the fps filter.
            command += ["-loop", "1", "-framerate", "1", "-t", seconds, "-i", str(still)]
            out_at = max(0.0, scene.seconds - FADE)
            filters.append(
                f"[{index}:v]format=yuv420p,setsar=1,fps={FPS},trim=duration={seconds},"
                f"fade=t=in:st=0:d={FADE},fade=t=out:st={out_at:.3f}:d={FADE}[v{index}]"
            )
            labels.append(f"[v{index}]")
        filters.append(f"{''.join(labels)}concat=n={len(parts)}:v=1:a=0[out]")
        command += [
            "-filter_complex",
            ";".join(filters),
            "-map",
            "[out]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",  # stills: a larger file, encoded several times faster
            "-tune",
            "stillimage",
            "-pix_fmt",
            "yuv420p",
            "-r",
            str(FPS),
            "-t",
            str(DURATION),
            "-movflags",
            "+faststart",
            str(output),
        ]
        try:
            completed = subprocess.run(  # noqa: S603 (a fixed binary and our own arguments)
                command,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=ENCODE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise KitError(_("Making the teaser took too long: try again later.")) from error
        except OSError as error:
            raise KitError(_("ffmpeg could not be run: %(reason)s") % {"reason": error}) from error
    if completed.returncode != 0 or not output.is_file():
        raise KitError(
            _("ffmpeg could not make the teaser: %(reason)s")
            % {"reason": completed.stderr.strip()[-300:] or completed.returncode}
        )
    return output
