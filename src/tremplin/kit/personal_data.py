"""The kit's personal data, for the privacy registry (``privacy/registry.py`` reads it:
the kit sits below privacy and declares without importing it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PERSONAL_DATA = [
    # A partner's relay (kit/relay.py): about the partner organisation's communication; the
    # member who marked it is recorded (set to NULL on erasure) and may export their marks.
    {
        "model": "kit.RelayMark",
        "about": _("members of partner organisations"),
        "erasure": "pseudonymise",
        "user": ("created_by",),
        "actors": ("created_by",),
        "reason": _("the partners' record of the campaigns they relayed"),
        "export": ("id", "partner__name", "campaign__title", "relayed_on", "place", "detail"),
    },
]
