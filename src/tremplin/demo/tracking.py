"""The tracking part of the demo, loaded after the campaigns (``demo.load``): where the
contributions of MEL Makers 2019 and of the winter edition came from (each tracked channel,
the partners' links), the landing visits those links brought, day by day, and the daily
series of every campaign back-filled by the nightly task itself (``closing.close_days``).
Deterministic: the same data at every load."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

from tremplin.calls.models import Programme
from tremplin.core.models import Partner
from tremplin.demo import data
from tremplin.demo.campaigns import WINTER
from tremplin.funding.models import Contribution
from tremplin.tracking import channels, closing, series
from tremplin.tracking.models import ChannelVisit

# Where the contributions came from, and how many visits a contribution took on each
# channel (a poster's QR code converts better than a post on social networks).
CHANNEL_MIX = (
    ("affiche", 16, (6, 12)),
    ("reseaux", 24, (25, 45)),
    (channels.PARTNER, 14, (10, 20)),
    ("email", 12, (4, 8)),
    ("presse", 6, (20, 40)),
    ("bus", 8, (30, 60)),
    ("magazine", 6, (15, 30)),
    ("", 14, None),  # direct: no tracked link, no visit counted
)


def _assign(rows: list[Contribution], partners: list[str], rng: random.Random) -> None:
    keys = [c[0] for c in CHANNEL_MIX]
    weights = [c[1] for c in CHANNEL_MIX]
    for row in rows:
        channel = rng.choices(keys, weights)[0]
        if row.channel == channels.PARTNER and row.attribution.get("ref"):
            continue  # a partner's relay, attributed by that part of the demo (demo/relay.py)
        row.channel = channel
        row.attribution = {"ref": rng.choice(partners)} if channel == channels.PARTNER else {}


def _visits(rows: list[Contribution], rng: random.Random) -> list[ChannelVisit]:
    per_contribution = {c[0]: c[2] for c in CHANNEL_MIX}
    landed: Counter = Counter()
    for row in rows:
        low_high = per_contribution.get(row.channel)
        if low_high is None:
            continue
        key = (
            row.campaign_id,
            series.paris_day(row.confirmed_at),
            row.channel,
            row.attribution.get("ref", ""),
        )
        landed[key] += rng.randint(*low_high)
    return [
        ChannelVisit(campaign_id=campaign, day=day, channel=channel, ref=ref, count=count)
        for (campaign, day, channel, ref), count in sorted(landed.items())
    ]


def load_tracking_demo(now: datetime) -> dict[str, int]:
    rng = random.Random(2019)
    partners = list(
        Partner.objects.filter(organiser__slug=data.MEL["slug"])
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    programmes = Programme.objects.filter(slug__in=[data.PROGRAMME_2019["slug"], WINTER["slug"]])
    rows = list(
        Contribution.objects.filter(
            campaign__programme__in=programmes, confirmed_at__isnull=False
        ).order_by("pk")
    )
    _assign(rows, partners or ["partenaire"], rng)
    Contribution.objects.bulk_update(rows, ["channel", "attribution"], batch_size=1000)
    visits = _visits(rows, rng)
    ChannelVisit.objects.bulk_create(visits, batch_size=1000)
    report = closing.close_days(now=now)
    return {"contributions": len(rows), "visit_counters": len(visits), "series_rows": report.rows}
