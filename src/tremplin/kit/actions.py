"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.kit.enums import KitState

# --- posters, visuals, texts, proof and release (kposters) --------------------------------
KIT_FORMAT_ADDED = "tremplin.kit.format_added"
KIT_FORMAT_CHANGED = "tremplin.kit.format_changed"
KIT_FORMAT_REMOVED = "tremplin.kit.format_removed"
KIT_VERSION_CREATED = "tremplin.kit.version_created"
KIT_GENERATED = "tremplin.kit.generated"
KIT_GENERATION_FAILED = "tremplin.kit.generation_failed"
KIT_RELEASED = "tremplin.kit.released"
KIT_SUPERSEDED = "tremplin.kit.superseded"
KIT_TEXT_EDITED = "tremplin.kit.text_edited"

LABELS = {
    KIT_FORMAT_ADDED: _("Poster format added"),
    KIT_FORMAT_CHANGED: _("Poster format changed"),
    KIT_FORMAT_REMOVED: _("Poster format removed"),
    KIT_VERSION_CREATED: _("Communication kit version started"),
    KIT_GENERATED: _("Communication kit generated (proof ready)"),
    KIT_GENERATION_FAILED: _("Communication kit generation failed"),
    KIT_RELEASED: _("Communication kit released"),
    KIT_SUPERSEDED: _("Communication kit version superseded"),
    KIT_TEXT_EDITED: _("Communication kit text edited"),
}

DATA_LABELS = {
    "number": _("version"),
    "reason": _("reason"),
    "size": _("size"),
    "item": _("item"),
    "items": _("items"),
}

VALUE_CHOICES = (KitState,)
