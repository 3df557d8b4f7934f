"""The tracking app's personal data, declared for the privacy registry (see
docs/privacy.md): plain data, so that tracking never imports privacy (which sits above it).

``DailyFigure``, ``SeriesCursor``, ``ChannelVisit`` and ``TrackingSettings`` hold counts,
sums and thresholds per campaign, day, channel or programme, never a person: nothing in
them looks personal (a visit counter keeps no address, cookie or identifier).
Alerts are about a campaign's figures; what is about a person is who acknowledged one and
the note they wrote, and the daily digest's choices and deliveries of each recipient."""

from django.utils.translation import gettext_lazy as _

PERSONAL_DATA = [
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
]
