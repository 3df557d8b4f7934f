"""The 30-second vertical teaser: size, codec, pixel format and duration read from what
ffmpeg says of the file; the end card's QR decoded to the tracked link; a clear refusal
without ffmpeg."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.calls.helpers import image_bytes
from tests.kit.world import build
from tremplin.campaigns.models import CampaignImage
from tremplin.kit import teaser
from tremplin.kit.errors import FfmpegMissing
from tremplin.kit.ffmpeg import ffmpeg_exe, probe

pytestmark = pytest.mark.django_db


def _frame(path, at: float, out):
    subprocess.run(  # noqa: S603
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-ss",
            str(at),
            "-i",
            str(path),
            "-frames:v",
            "1",
            str(out),
        ],
        check=True,
    )
    return Image.open(out)


def test_the_teaser_is_30_seconds_of_vertical_h264_with_the_qr_at_the_end(tmp_path, settings):
    settings.SITE_URL = "https://tremplin.example"
    world = build()
    campaign = world.live
    campaign.raised_amount = Decimal("1250.00")
    for i in range(3):
        image = CampaignImage(campaign=campaign, alt_text=f"Photo {i}", position=i)
        image.image.save(f"p{i}.jpg", ContentFile(image_bytes("JPEG", size=(800, 600))), save=True)
    out = teaser.make_teaser(campaign, tmp_path / "teaser.mp4")
    assert out == tmp_path / "teaser.mp4"
    info = probe(out)
    assert (info.width, info.height) == (1080, 1920)
    assert info.codec == "h264"
    assert info.pixel_format == "yuv420p"
    assert abs(info.duration - 30.0) < 0.1

    import zxingcpp

    end = _frame(out, 28.0, tmp_path / "end.png")
    codes = zxingcpp.read_barcodes(end)
    assert [c.text for c in codes] == ["https://tremplin.example/c/atelier-velo/?canal=video"]
    start = _frame(out, 2.0, tmp_path / "start.png")
    assert start.size == (1080, 1920)
    assert not zxingcpp.read_barcodes(start)


def test_a_campaign_without_images_still_gets_its_30_seconds():
    campaign = build().live
    scenes = teaser.scenes(campaign)  # (encoded like any other: see the test above)
    assert len(scenes) == 3  # title, goal, end card
    assert sum(s.seconds for s in scenes) == pytest.approx(30.0)
    assert all(s.picture.size == (1080, 1920) for s in scenes)


def test_without_ffmpeg_the_teaser_says_so(tmp_path, monkeypatch):
    import imageio_ffmpeg

    def missing():
        raise RuntimeError("No ffmpeg exe could be found. Install ffmpeg on your system.")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    campaign = build().live
    with pytest.raises(FfmpegMissing) as caught:
        teaser.make_teaser(campaign, tmp_path / "t.mp4")
    message = caught.value.messages[0]
    assert "ffmpeg" in message and "imageio-ffmpeg" in message
    assert not (tmp_path / "t.mp4").exists()


def test_an_ffmpeg_that_fails_is_reported(tmp_path, monkeypatch):
    from tremplin.kit import ffmpeg
    from tremplin.kit.errors import KitError

    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", lambda: "/bin/false")
    with pytest.raises(KitError, match="ffmpeg could not make the teaser"):
        teaser.make_teaser(build().live, tmp_path / "t.mp4")
