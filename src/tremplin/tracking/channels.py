"""The channels of a programme's communication: the vocabulary of ``?canal=`` in tracked
links (``core.attribution`` reads it, a contribution keeps it in ``channel``), its labels in
French and English, and the links themselves.

A partner's link is ``?canal=partenaire&ref=<partner slug>``: its contributions are counted
under ``partenaire`` in the daily series and split by partner (``ref``) in the attribution
breakdowns (``tracking.attribution``). Any other well-formed ``canal`` value is kept as it
is and shown as it is (an organiser may invent one); a contribution without a channel is
counted as ``direct``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core import attribution

# The key of the all-channels rows of the daily series.
ALL = ""
# The channel of a contribution or a visit that came without a tracked link.
NO_CHANNEL = "direct"
PARTNER = "partenaire"


@dataclass(frozen=True)
class Channel:
    key: str
    label: Promise
    description: Promise


CHANNELS: tuple[Channel, ...] = (
    Channel("affiche", _("Posters"), _("The QR code of the printed posters and flyers.")),
    Channel("bus", _("Bus and tram"), _("The advertising on buses, trams and their shelters.")),
    Channel("magazine", _("Magazine"), _("The authority's magazine, printed or online.")),
    Channel("reseaux", _("Social networks"), _("Posts on social networks.")),
    Channel("email", pgettext_lazy("channel", "E-mail"), _("Newsletters and e-mails.")),
    Channel("presse", _("Press"), _("Articles and interviews in the press.")),
    Channel("widget", _("Embedded widget"), _("The campaign's widget on another site.")),
    Channel(PARTNER, _("Partner links"), _("Each partner organisation's own link.")),
    Channel(NO_CHANNEL, _("Direct"), _("Visits and contributions without a tracked link.")),
)
BY_KEY = {channel.key: channel for channel in CHANNELS}
# The channels a kit may generate links for (``direct`` is the absence of a link).
LINK_CHANNELS = tuple(c.key for c in CHANNELS if c.key != NO_CHANNEL)


def normalise(value: object) -> str:
    """A ``canal`` value as the series key it is counted under (``direct`` when none)."""
    return attribution.clean_value("canal", value) or NO_CHANNEL


def label(key: str) -> str:
    """The label of a channel key; an unknown (invented) channel is shown as it is."""
    if key == ALL:
        return str(_("All channels"))
    channel = BY_KEY.get(key)
    return str(channel.label) if channel else key


def choices() -> list[tuple[str, str]]:
    return [(c.key, str(c.label)) for c in CHANNELS]


def tracked_query(channel: str, partner_slug: str = "") -> str:
    """The query string of a tracked link: ``canal=…`` (and ``ref=…`` for a partner)."""
    key = attribution.clean_value("canal", channel)
    if not key:
        raise ValueError(f"not a channel: {channel!r}")
    params = {"canal": key}
    if key == PARTNER:
        ref = attribution.clean_value("ref", partner_slug)
        if not ref:
            raise ValueError("a partner link needs the partner's slug")
        params["ref"] = ref
    return urlencode(params)


def tracked_url(url: str, channel: str, partner_slug: str = "") -> str:
    """``url`` (absolute or a path) with the tracked query of ``channel`` added to its own."""
    parts = urlsplit(url)
    query = tracked_query(channel, partner_slug)
    if parts.query:
        query = f"{parts.query}&{query}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def partner_link(url: str, partner_slug: str) -> str:
    return tracked_url(url, PARTNER, partner_slug)
