"""The kit's states and kinds, with the transition table beside the enum (one writer:
``kit.release.set_kit_state``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KitState(models.TextChoices):
    # The items are being made in the background (the progress bar counts them).
    GENERATING = "generating", _("Being generated")
    # Made: the maker and the organiser look at the proof; the organiser releases it.
    PROOF = "proof", _("Proof to check")
    # Released ("bon à tirer"): printers may download it, partners relay it.
    RELEASED = "released", _("Released")
    # The generation stopped on an error (kept, with its message).
    FAILED = "failed", _("Generation failed")
    # A newer version replaced it (kept and labelled, never served as the current kit).
    SUPERSEDED = "superseded", _("Superseded")


KIT_TRANSITIONS: dict[str, set[str]] = {
    KitState.GENERATING: {KitState.PROOF, KitState.FAILED, KitState.SUPERSEDED},
    KitState.PROOF: {KitState.RELEASED, KitState.SUPERSEDED},
    KitState.RELEASED: {KitState.SUPERSEDED},
    KitState.FAILED: {KitState.SUPERSEDED},
    KitState.SUPERSEDED: set(),
}

# Versions that a newer one replaces at once when it is created (a released version stays
# the printers' one until the newer version is released).
REPLACED_ON_NEW_VERSION = (KitState.GENERATING, KitState.PROOF, KitState.FAILED)


class ItemGroup(models.TextChoices):
    POSTER = "poster", _("Posters")
    VISUAL = "visual", _("Social visuals")
    TEXT = "text", _("Texts")
    VIDEO = "video", _("Video")
