"""Where the visits and the contributions came from: breakdowns per channel (a partner's
links apart, partner by partner), per campaign and per partner, for a programme — visits
(``ChannelVisit`` counters), contributions and amount (the confirmed contributions, by
their ``channel`` and ``attribution['ref']``) and the conversion (contributions / visits).

    breakdown(programme)                    # the programme, by channel (and partner)
    breakdown(programme, campaign=c)        # one campaign, by channel (and partner)
    breakdown(programme, partner=p)         # one partner's links, by campaign

A contribution without a channel, and a visit without ``?canal=`` (never counted), are
``direct``: the conversion of ``direct`` is not computed (its visits are not counted)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.fields.json import KeyTextTransform

from tremplin.campaigns.models import Campaign
from tremplin.core.models import Partner
from tremplin.core.money import to_cents
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.tracking import channels
from tremplin.tracking.models import ChannelVisit


@dataclass
class Row:
    key: tuple  # (channel, partner slug) or (campaign pk,)
    label: str
    visits: int = 0
    contributions: int = 0
    amount_cents: int = 0
    counts_visits: bool = True

    @property
    def conversion(self) -> float | None:
        """Contributions per 100 visits (None: no visit counted)."""
        if not self.counts_visits or not self.visits:
            return None
        return round(100 * self.contributions / self.visits, 1)


@dataclass
class Breakdown:
    rows: list[Row]
    total: Row
    by: str  # "channel" or "campaign"
    partners: dict = field(default_factory=dict)
    # Contributions per 100 counted visits, over the tracked channels only.
    conversion: float | None = None


def _partner_names(programme) -> dict[str, str]:
    return dict(
        Partner.objects.filter(organiser_id=programme.organiser_id).values_list("slug", "name")
    )


def _channel_label(channel: str, ref: str, names: dict[str, str]) -> str:
    if channel == channels.PARTNER:
        return f"{channels.label(channel)} — {names.get(ref, ref) if ref else '?'}"
    return channels.label(channel)


def breakdown(programme, campaign: Campaign | None = None, partner: Partner | None = None):
    campaigns = Campaign.objects.filter(programme=programme)
    if campaign is not None:
        campaigns = campaigns.filter(pk=campaign.pk)
    visits = ChannelVisit.objects.filter(campaign__in=campaigns)
    contributions = Contribution.objects.filter(
        campaign__in=campaigns, state=ContributionState.CONFIRMED
    ).annotate(ref=KeyTextTransform("ref", "attribution"))
    names = _partner_names(programme)
    rows: dict[tuple, Row] = {}
    if partner is not None:
        by = "campaign"
        visits = visits.filter(channel=channels.PARTNER, ref=partner.slug)
        contributions = contributions.filter(
            channel=channels.PARTNER, attribution__ref=partner.slug
        )
        titles = dict(campaigns.values_list("pk", "title"))
        for pk, title in sorted(titles.items(), key=lambda item: item[1].lower()):
            rows[(pk,)] = Row((pk,), title)
        for row in visits.values("campaign_id").annotate(n=Sum("count")).order_by():
            rows[(row["campaign_id"],)].visits = row["n"]
        for row in (
            contributions.values("campaign_id")
            .annotate(n=Count("pk"), total=Sum("amount"))
            .order_by()
        ):
            slot = rows[(row["campaign_id"],)]
            slot.contributions, slot.amount_cents = row["n"], to_cents(row["total"])
    else:
        by = "channel"

        def slot(channel: str, ref: str) -> Row:
            channel = channel or channels.NO_CHANNEL
            ref = ref if channel == channels.PARTNER else ""
            key = (channel, ref or "")
            if key not in rows:
                rows[key] = Row(
                    key,
                    _channel_label(channel, ref or "", names),
                    counts_visits=channel != channels.NO_CHANNEL,
                )
            return rows[key]

        for row in visits.values("channel", "ref").annotate(n=Sum("count")).order_by():
            slot(row["channel"], row["ref"]).visits += row["n"]
        for row in (
            contributions.values("channel", "ref")
            .annotate(n=Count("pk"), total=Sum("amount"))
            .order_by()
        ):
            target = slot(row["channel"], row["ref"] or "")
            target.contributions += row["n"]
            target.amount_cents += to_cents(row["total"])
    ordered = list(rows.values())
    if by == "channel":
        order = {c.key: i for i, c in enumerate(channels.CHANNELS)}
        ordered.sort(key=lambda r: (order.get(r.key[0], len(order)), r.label.lower()))
    total = Row(("total",), "")
    for row in ordered:
        total.visits += row.visits
        total.contributions += row.contributions
        total.amount_cents += row.amount_cents
    # The overall conversion only over the channels whose visits are counted.
    counted = [r for r in ordered if r.counts_visits]
    tracked = Row(
        ("tracked",), "", visits=total.visits, contributions=sum(r.contributions for r in counted)
    )
    return Breakdown(
        rows=ordered, total=total, by=by, partners=names, conversion=tracked.conversion
    )
