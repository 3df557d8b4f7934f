"""ffmpeg, as shipped by the imageio-ffmpeg wheel: where it is, and what a media file holds.

ffprobe is not shipped with imageio-ffmpeg, so a file is described by parsing what
``ffmpeg -i <file>`` prints on its standard error (the duration, and the first video
stream's codec, pixel format and size)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from tremplin.kit.errors import FfmpegMissing

PROBE_TIMEOUT = 30  # seconds
_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(
    r"Stream #\d+:\d+.*?: Video: (\w+)[^,\n]*, (\w+)[^,\n]*?(?:\([^)\n]*\))?, (\d+)x(\d+)"
)


def ffmpeg_exe() -> str:
    """The path of the ffmpeg binary, or :class:`FfmpegMissing` with a readable reason."""
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as error:  # ImportError, RuntimeError("No ffmpeg exe could be found")
        raise FfmpegMissing(
            _(
                "ffmpeg is not available on this server, so videos cannot be made or "
                "checked. Install the imageio-ffmpeg package (it ships ffmpeg) or set "
                "IMAGEIO_FFMPEG_EXE to the path of an ffmpeg binary. (%(reason)s)"
            )
            % {"reason": str(error)[:200]}
        ) from error
    if not Path(exe).is_file():
        raise FfmpegMissing(_("ffmpeg was expected at %(path)s but is not there.") % {"path": exe})
    return exe


@dataclass(frozen=True)
class MediaInfo:
    duration: float | None  # seconds
    codec: str = ""
    pixel_format: str = ""
    width: int = 0
    height: int = 0

    @property
    def has_video(self) -> bool:
        return bool(self.codec)


def parse_probe(output: str) -> MediaInfo:
    """What ``ffmpeg -i`` printed about a file (pure: tested on its own)."""
    duration = None
    found = _DURATION.search(output)
    if found:
        hours, minutes, seconds = found.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    video = _VIDEO.search(output)
    if not video:
        return MediaInfo(duration)
    codec, pixel_format, width, height = video.groups()
    return MediaInfo(duration, codec, pixel_format, int(width), int(height))


def probe(path: str | Path) -> MediaInfo:
    """Describe a media file; a file ffmpeg cannot read has no duration and no video."""
    completed = subprocess.run(  # noqa: S603 (a fixed binary, the path as one argument)
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=PROBE_TIMEOUT,
        check=False,
    )
    return parse_probe(completed.stderr)
