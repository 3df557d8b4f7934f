"""Small real media files for the kit's tests, made once with ffmpeg."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

from tremplin.kit.ffmpeg import ffmpeg_exe


@functools.cache
def tiny_video(seconds: int = 2, kind: str = "mp4") -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="kit-test-"))
    out = folder / f"tiny.{kind}"
    codec = ["-c:v", "libx264", "-pix_fmt", "yuv420p"] if kind == "mp4" else ["-c:v", "libvpx-vp9"]
    subprocess.run(  # noqa: S603
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size=64x64:rate=10:duration={seconds}",
            *codec,
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


VTT = b"""WEBVTT

00:00:00.000 --> 00:00:01.500
Bonjour, je suis Malik.

intro-2
00:00:01.600 --> 00:00:03.000 line:90% align:center
Je r\xc3\xa9pare des v\xc3\xa9los.
"""
