"""Personal data of the tracking app, read by the privacy registry (privacy/registry.py):
plain dicts, so that tracking declares without importing privacy (a higher app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RESULTS = _(
    "The authority's record of its programmes' results, shown to its council (the final "
    "report and the past editions)"
)

# --- past editions and final reports (#10 parts 7–8) ----------------------------------------
PERSONAL_DATA = [
    {
        "model": "tracking.PastEdition",
        "about": _("members of the organiser's team"),
        "erasure": "keep",
        "actors": ("imported_by",),  # who imported it: emptied on erasure, not exported
        "exempt": {"name": "the edition's name, not a person's"},
        "reason": RESULTS,
        "retention": _("as long as the organiser keeps the edition"),
        "export": "",
    },
    {
        # The makers of an edition run before the platform: their names as the authority
        # published them, with no account nor address to find them by.
        "model": "tracking.PastCampaign",
        "about": _("makers of past editions"),
        "erasure": "keep",
        "fields": ("maker",),
        "reason": RESULTS,
        "retention": _("as long as the organiser keeps the edition"),
        "export": "",
    },
    {
        "model": "tracking.FinalReport",
        "about": _("members of the organiser's team"),
        "erasure": "keep",
        "actors": ("requested_by",),  # who asked for it: emptied on erasure, not exported
        "reason": RESULTS,
        "retention": _("as long as the programme"),
        "export": "",
    },
]
