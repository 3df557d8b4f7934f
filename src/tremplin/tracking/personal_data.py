"""The tracking app's personal data, declared for the privacy registry (see
docs/privacy.md): plain data, so that tracking never imports privacy (which sits above it).

``DailyFigure``, ``SeriesCursor``, ``ChannelVisit``, ``TrackingSettings`` and ``PastDay``
hold counts, sums and thresholds per campaign, day, channel or programme, never a person:
nothing in them looks personal (a visit counter keeps no address, cookie or identifier).
Alerts are about a campaign's figures; what is about a person is who acknowledged one and
the note they wrote, and the daily digest's choices and deliveries of each recipient.
Past editions carry their makers' names as the authority published them: public results,
kept like a laureate's application (``RETENTION_LAUREATE_YEARS`` after the campaigns
ended, then erased by ``tremplin retention``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RESULTS = _(
    "The authority's record of its programmes' results, shown to its council (the final "
    "report and the past editions)"
)

PERSONAL_DATA = [
    # --- alerts and the daily digest (#10 parts 3–5) ---------------------------------------
    {
        "model": "tracking.Alert",
        "about": _("organiser teams and coaches"),
        "user": ("acknowledged_by",),
        "fields": ("note",),
        "erasure": "pseudonymise",
        "reason": _(
            "A campaign's alert history stays (when it was raised, acknowledged, resolved); "
            "the note and who wrote it are erased"
        ),
        "export": ("id", "campaign__title", "rule", "opened_at", "acknowledged_at", "note"),
    },
    {
        "model": "tracking.DigestPreference",
        "about": _("organiser teams, coaches and partner members"),
        "user": ("user",),
        "erasure": "delete",
        "export": ("enabled", "updated_at"),
    },
    {
        "model": "tracking.DigestDelivery",
        "about": _("organiser teams, coaches and partner members"),
        "user": ("user",),
        "erasure": "delete",
        "export": ("day", "sent_at"),
    },
    # --- past editions and final reports (#10 parts 7–8) ----------------------------------
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
        # published them, with no account nor address to find them by (a request comes by
        # letter; the organiser deletes the edition or imports it again without the name).
        # Like a laureate's application, the name goes RETENTION_LAUREATE_YEARS after the
        # campaigns ended (privacy.retention, rule past_makers); the figures stay.
        "model": "tracking.PastCampaign",
        "about": _("makers of past editions"),
        "erasure": "keep",
        "fields": ("maker",),
        "reason": RESULTS,
        "retention": _("the maker's name: ten years after the campaigns ended (as laureates')"),
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
