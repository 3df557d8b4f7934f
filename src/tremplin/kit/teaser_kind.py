"""The 30-second vertical teaser (``kit.teaser``) as a kind of kit item, made with the
other items when ``settings.KIT_TEASER`` is on. Without ffmpeg the item says so (a warning
on the proof) instead of failing the whole kit."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.kit.content import KitContent
from tremplin.kit.enums import ItemGroup
from tremplin.kit.errors import FfmpegMissing
from tremplin.kit.registry import ItemKind, Made, Unit
from tremplin.kit.teaser import make_teaser

KIND = "teaser"
CHANNEL = "video"


def _plan(content: KitContent) -> list[Unit]:
    if not settings.KIT_TEASER:
        return []
    return [Unit(KIND, "vertical", "fr", _("Teaser video (30 s, 1080 × 1920)"))]


def _make(content: KitContent, unit: Unit) -> Made:
    campaign = Campaign.objects.select_related("programme").get(pk=content.campaign_id)
    alt = _("Teaser of “%(title)s”: its images, its goal and the QR code of its page.") % {
        "title": content.title
    }
    try:
        with tempfile.TemporaryDirectory(prefix="kit-teaser-") as folder:
            data = make_teaser(campaign, Path(folder) / "teaser.mp4").read_bytes()
    except FfmpegMissing as error:
        reason = " ".join(str(message) for message in error.messages)
        return Made(
            body=reason,
            warnings=[{"code": "ffmpeg_missing", "message": reason}],
            tracked_url=content.tracked_url(CHANNEL),
        )
    return Made(
        data=data,
        extension="mp4",
        media_type="video/mp4",
        alt_text=alt,
        tracked_url=content.tracked_url(CHANNEL),
        details={"width": 1080, "height": 1920, "seconds": 30},
    )


TEASER = ItemKind(code=KIND, group=ItemGroup.VIDEO, plan=_plan, make=_make)
