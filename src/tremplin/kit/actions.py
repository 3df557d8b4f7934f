"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.kit.models import RelayPlace

# The one-minute video (kit/video.py)
KIT_VIDEO_CHANGED = "tremplin.kit.video_changed"
KIT_CAPTIONS_CHANGED = "tremplin.kit.captions_changed"
# The partners' relay (kit/relay.py)
KIT_RELAY_MARKED = "tremplin.kit.relay_marked"
KIT_RELAY_CHANGED = "tremplin.kit.relay_changed"
KIT_RELAY_DELETED = "tremplin.kit.relay_deleted"

LABELS: dict = {
    KIT_VIDEO_CHANGED: _("Campaign video changed"),
    KIT_CAPTIONS_CHANGED: _("Video captions changed"),
    KIT_RELAY_MARKED: _("Campaign relayed by a partner"),
    KIT_RELAY_CHANGED: _("Partner's relay changed"),
    KIT_RELAY_DELETED: _("Partner's relay deleted"),
}

DATA_LABELS: dict = {
    "video": _("video file"),
    "captions": _("captions"),
    "captions_source": _("made from"),
    "partner": _("partner organisation"),
    "campaign": _("campaign"),
    "place": _("where"),
    "relayed_on": _("relayed on"),
}

VALUE_CHOICES = (RelayPlace,)
