"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.kit.enums import KitState
from tremplin.kit.models import RelayPlace

# --- posters, visuals, texts, proof and release (kposters) --------------------------------
KIT_FORMAT_ADDED = "tremplin.kit.format_added"
KIT_FORMAT_CHANGED = "tremplin.kit.format_changed"
KIT_FORMAT_REMOVED = "tremplin.kit.format_removed"
KIT_VERSION_CREATED = "tremplin.kit.version_created"
KIT_GENERATED = "tremplin.kit.generated"
KIT_GENERATION_FAILED = "tremplin.kit.generation_failed"
KIT_COMPLETED = "tremplin.kit.completed"
KIT_RELEASED = "tremplin.kit.released"
KIT_SUPERSEDED = "tremplin.kit.superseded"
KIT_TEXT_EDITED = "tremplin.kit.text_edited"
# --- the one-minute video (kit/video.py) and the partners' relay (kit/relay.py) (krelay) --
KIT_VIDEO_CHANGED = "tremplin.kit.video_changed"
KIT_CAPTIONS_CHANGED = "tremplin.kit.captions_changed"
KIT_RELAY_MARKED = "tremplin.kit.relay_marked"
KIT_RELAY_CHANGED = "tremplin.kit.relay_changed"
KIT_RELAY_DELETED = "tremplin.kit.relay_deleted"


class VideoChange(models.TextChoices):
    """What a video or captions entry of the audit log records (kit/video.py)."""

    VIDEO_UPLOADED = "video_uploaded", _("video uploaded")
    VIDEO_REMOVED = "video_removed", _("video removed")
    CAPTIONS_FILE = "captions_file", _("from a WebVTT file")
    CAPTIONS_TRANSCRIPT = "captions_transcript", _("from the transcript")
    CAPTIONS_REMOVED = "captions_removed", _("captions removed")
    TRANSCRIPT_CHANGED = "transcript_changed", _("transcript changed")


LABELS = {
    KIT_FORMAT_ADDED: _("Poster format added"),
    KIT_FORMAT_CHANGED: _("Poster format changed"),
    KIT_FORMAT_REMOVED: _("Poster format removed"),
    KIT_VERSION_CREATED: _("Communication kit version started"),
    KIT_GENERATED: _("Communication kit generated (proof ready)"),
    KIT_GENERATION_FAILED: _("Communication kit generation failed"),
    KIT_COMPLETED: _("Communication kit completed (items added)"),
    KIT_RELEASED: _("Communication kit released"),
    KIT_SUPERSEDED: _("Communication kit version superseded"),
    KIT_TEXT_EDITED: _("Communication kit text edited"),
    KIT_VIDEO_CHANGED: _("Campaign video changed"),
    KIT_CAPTIONS_CHANGED: _("Video captions changed"),
    KIT_RELAY_MARKED: _("Campaign relayed by a partner"),
    KIT_RELAY_CHANGED: _("Partner's relay changed"),
    KIT_RELAY_DELETED: _("Partner's relay deleted"),
}

DATA_LABELS = {
    "number": _("version"),
    "by": _("replaced by version"),
    "reason": _("reason"),
    "size": _("size"),
    "item": _("item"),
    "items": _("items"),
    "added": _("items added"),
    "video": _("video file"),
    "captions": _("captions"),
    "captions_source": _("made from"),
    "transcript": _("transcript"),
    "partner": _("partner organisation"),
    "campaign": _("campaign"),
    "place": _("where"),
    "relayed_on": _("relayed on"),
}

VALUE_CHOICES = (KitState, RelayPlace, VideoChange)
