"""The daily series of every campaign: its figures at the end of each day (Europe/Paris),
for all channels and for each channel, computed from the contribution and matchfunding rows.

What a day's row says (``DayRow``):

* cumulative at the end of the day: ``raised_cents`` (its counted contributions: confirmed
  by then and not refunded by then), ``contributors`` (their number, the ledger's
  ``contributor_count``), ``matched_cents`` (its matchfunding allocations made by then and
  not released by then);
* during the day: ``new_contributions`` / ``new_cents`` (confirmed that day, even if
  refunded later), ``refunds`` / ``refunded_cents`` (refunded that day);
* ``last_contribution_at``: the most recent confirmation up to the end of the day.

A contribution counts on the day of its ``confirmed_at`` (an offline one on the day the
money was received), a refund on the day of its ``refunded_at``, matched funds on the days
they were allocated and released. Events before the campaign's first day count on its first
day. A contribution without a channel is counted under ``direct``.

``closing.close_days`` (``tremplin tracking-close-day``, run each night) stores the rows of the days
that are over, back-filling the days not yet stored; it is idempotent (running it again
rewrites the same rows) and two workers never close the same campaign at once (the
campaign's ``SeriesCursor`` row is locked, ``skip_locked``). Before adding days it checks the
stored series against the campaign's totals (the figures ``tremplin audit-ledger`` checks):
a contribution recorded later for a past day (a cheque received last week) breaks the
equation, and the campaign's whole series is computed again.

``series_for`` / ``programme_series`` read the stored rows and add the days not stored yet,
today's included, computed live from the few rows since the last stored day (an index on
the contributions' ``confirmed_at``); today's cumulative figures for all channels are the
campaign's totals themselves. Neither scans all contributions."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from tremplin.campaigns.enums import PUBLIC_STATES, CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.dates import PARIS
from tremplin.core.money import ZERO, to_cents
from tremplin.funding.enums import AllocationState, ContributionState
from tremplin.funding.models import Contribution, MatchAllocation
from tremplin.tracking.channels import ALL, NO_CHANNEL
from tremplin.tracking.models import DailyFigure, SeriesCursor

ONE_DAY = datetime.timedelta(days=1)
# Contributions that were counted at some point.
SEEN = (ContributionState.CONFIRMED, ContributionState.REFUNDED)
# The fields of a campaign the series need.
CAMPAIGN_FIELDS = (
    "pk",
    "state",
    "starts_at",
    "launched_at",
    "ends_at",
    "settled_at",
    "raised_amount",
    "matched_amount",
    "contributor_count",
)


# How long the stored rows stay in the cache (a close changes the key before that).
STORED_CACHE_SECONDS = 3600
# What series_for reads of each stored row, in DayRow's order.
STORED_FIELDS = (
    "campaign_id",
    "day",
    "raised",
    "matched",
    "contributors",
    "new_contributions",
    "new_amount",
    "refunds",
    "refunded",
    "last_contribution_at",
)


class DayRow(NamedTuple):
    day: datetime.date
    raised_cents: int
    matched_cents: int
    contributors: int
    new_contributions: int
    new_cents: int
    refunds: int
    refunded_cents: int
    last_contribution_at: datetime.datetime | None
    # Computed live (today, or a past day the nightly task has not stored yet).
    live: bool = False


# --- days ---------------------------------------------------------------------------------


def paris_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, PARIS).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight in Paris at the start of ``day`` (never in a DST gap: France changes at 2 am)."""
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=PARIS)


def today(now: datetime.datetime | None = None) -> datetime.date:
    return paris_day(now or timezone.now())


def first_day(campaign: Campaign) -> datetime.date | None:
    """The first day of a campaign's series: the day it started (None: never started)."""
    start = campaign.starts_at or campaign.launched_at
    return paris_day(start) if start else None


def end_day(campaign: Campaign) -> datetime.date | None:
    return paris_day(campaign.ends_at) if campaign.ends_at else None


def last_day(campaign: Campaign, through: datetime.date) -> datetime.date:
    """The last day of a campaign's series up to ``through``: every day until it is settled
    (refunds and late cheques come after the deadline), then the day it was settled."""
    if campaign.state == CampaignState.SETTLED:
        ends = [d for d in (end_day(campaign),) if d]
        if campaign.settled_at:
            ends.append(paris_day(campaign.settled_at))
        if ends:
            return min(through, max(ends))
    return through


def tracked_campaigns(campaign_ids=None):
    """The campaigns that have a series: public (live or ended) and started."""
    campaigns = Campaign.objects.filter(state__in=PUBLIC_STATES).filter(
        Q(starts_at__isnull=False) | Q(launched_at__isnull=False)
    )
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=list(campaign_ids))
    return campaigns.only(*CAMPAIGN_FIELDS).order_by("pk")


# --- the events of a period, from the rows --------------------------------------------------


@dataclass
class _Day:
    new: int = 0
    new_amount: Decimal = ZERO
    last_at: datetime.datetime | None = None
    refunds: int = 0
    refunded: Decimal = ZERO
    matched_in: Decimal = ZERO
    matched_out: Decimal = ZERO


@dataclass
class _Total:
    raised: Decimal = ZERO
    matched: Decimal = ZERO
    contributors: int = 0
    last_at: datetime.datetime | None = None


# events[campaign_id][channel][day]
Events = dict[int, dict[str, dict[datetime.date, _Day]]]


def _later(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _events(
    campaign_ids: list[int],
    since: datetime.datetime | None,
    until: datetime.datetime | None,
) -> Events:
    """The events of ``campaign_ids`` in [since, until) (None: unbounded) by campaign,
    channel (and ``ALL``) and Paris day, in a few grouped queries."""
    events: Events = defaultdict(lambda: defaultdict(lambda: defaultdict(_Day)))

    def period(name: str) -> Q:
        q = Q()
        if since is not None:
            q &= Q(**{f"{name}__gte": since})
        if until is not None:
            q &= Q(**{f"{name}__lt": until})
        return q

    def add(campaign_id, channel, day, **values):
        keys = (ALL,) if channel is None else (ALL, channel or NO_CHANNEL)
        for key in keys:
            slot = events[campaign_id][key][day]
            for name, value in values.items():
                if name == "last_at":
                    slot.last_at = _later(slot.last_at, value)
                else:
                    setattr(slot, name, getattr(slot, name) + (value or 0))

    contributions = Contribution.objects.filter(campaign_id__in=campaign_ids)
    confirmed = (
        contributions.filter(period("confirmed_at"), state__in=SEEN, confirmed_at__isnull=False)
        .annotate(day=TruncDate("confirmed_at", tzinfo=PARIS))
        .values("campaign_id", "channel", "day")
        .annotate(n=Count("pk"), total=Sum("amount"), last=Max("confirmed_at"))
        .order_by()
    )
    for row in confirmed:
        add(
            row["campaign_id"],
            row["channel"],
            row["day"],
            new=row["n"],
            new_amount=row["total"],
            last_at=row["last"],
        )
    refunded = (
        contributions.filter(
            period("refunded_at"), state=ContributionState.REFUNDED, refunded_at__isnull=False
        )
        .annotate(day=TruncDate("refunded_at", tzinfo=PARIS))
        .values("campaign_id", "channel", "day")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    for row in refunded:
        add(
            row["campaign_id"],
            row["channel"],
            row["day"],
            refunds=row["n"],
            refunded=row["total"],
        )
    allocations = MatchAllocation.objects.filter(campaign_id__in=campaign_ids)
    made = (
        allocations.filter(period("created_at"))
        .annotate(day=TruncDate("created_at", tzinfo=PARIS))
        .values("campaign_id", "contribution__channel", "day")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in made:
        add(row["campaign_id"], row["contribution__channel"], row["day"], matched_in=row["total"])
    released = (
        allocations.filter(
            period("released_at"), state=AllocationState.RELEASED, released_at__isnull=False
        )
        .annotate(day=TruncDate("released_at", tzinfo=PARIS))
        .values("campaign_id", "contribution__channel", "day")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in released:
        add(row["campaign_id"], row["contribution__channel"], row["day"], matched_out=row["total"])
    return events


# --- building the rows ----------------------------------------------------------------------


def _build(
    campaign_id: int,
    first: datetime.date,
    from_day: datetime.date,
    to_day: datetime.date,
    base: dict[str, _Total],
    events: dict[str, dict[datetime.date, _Day]],
    channels: set[str] | None = None,
) -> dict[str, list[DayRow]]:
    """The rows of ``from_day``..``to_day`` by channel, from the totals at the end of the
    day before (``base``) and the events; events before ``first`` count on ``first``. A
    channel has a row every day from its first event on. ``channels``: only these."""
    totals = {key: replace(total) for key, total in base.items()}
    totals.setdefault(ALL, _Total())
    by_channel: dict[str, dict[datetime.date, _Day]] = {}
    for key, days in events.items():
        if channels is not None and key not in channels:
            continue
        merged: dict[datetime.date, _Day] = {}
        for day, slot in days.items():
            day = max(day, first)
            if day in merged:
                into = merged[day]
                into.new += slot.new
                into.new_amount += slot.new_amount
                into.last_at = _later(into.last_at, slot.last_at)
                into.refunds += slot.refunds
                into.refunded += slot.refunded
                into.matched_in += slot.matched_in
                into.matched_out += slot.matched_out
            else:
                merged[day] = replace(slot)
        by_channel[key] = merged
    keys = set(totals) | set(by_channel)
    if channels is not None:
        keys &= channels
    rows: dict[str, list[DayRow]] = {key: [] for key in keys}
    day = from_day
    empty = _Day()
    while day <= to_day:
        for key in keys:
            slot = by_channel.get(key, {}).get(day)
            total = totals.get(key)
            if total is None:
                if slot is None:
                    continue
                total = totals[key] = _Total()
            slot = slot or empty
            total.raised += slot.new_amount - slot.refunded
            total.contributors += slot.new - slot.refunds
            total.matched += slot.matched_in - slot.matched_out
            total.last_at = _later(total.last_at, slot.last_at)
            rows[key].append(
                DayRow(
                    day=day,
                    raised_cents=to_cents(total.raised),
                    matched_cents=to_cents(total.matched),
                    contributors=total.contributors,
                    new_contributions=slot.new,
                    new_cents=to_cents(slot.new_amount),
                    refunds=slot.refunds,
                    refunded_cents=to_cents(slot.refunded),
                    last_contribution_at=total.last_at,
                )
            )
        day += ONE_DAY
    return {key: value for key, value in rows.items() if value}


def _base(campaign_ids: list[int], day: datetime.date, channels=None) -> dict[int, dict]:
    """The stored totals at the end of ``day`` by campaign and channel."""
    rows = DailyFigure.objects.filter(campaign_id__in=campaign_ids, day=day)
    if channels is not None:
        rows = rows.filter(channel__in=list(channels))
    base: dict[int, dict[str, _Total]] = defaultdict(dict)
    for row in rows:
        base[row.campaign_id][row.channel] = _Total(
            raised=row.raised,
            matched=row.matched,
            contributors=row.contributors,
            last_at=row.last_contribution_at,
        )
    return base


def _cents(value) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _figure(campaign_id: int, channel: str, row: DayRow, now) -> DailyFigure:
    return DailyFigure(
        campaign_id=campaign_id,
        channel=channel,
        day=row.day,
        raised=_cents(row.raised_cents),
        matched=_cents(row.matched_cents),
        contributors=row.contributors,
        new_contributions=row.new_contributions,
        new_amount=_cents(row.new_cents),
        refunds=row.refunds,
        refunded=_cents(row.refunded_cents),
        last_contribution_at=row.last_contribution_at,
        computed_at=now,
    )


# --- reading the series (stored rows + live days) -------------------------------------------


def _live_rows(
    campaigns: list[Campaign],
    stored_last: dict[int, datetime.date],
    channel: str,
    now: datetime.datetime,
) -> dict[int, list[DayRow]]:
    """The days after each campaign's last stored day, up to today, from the rows."""
    current = today(now)
    groups: dict[datetime.date | None, list[Campaign]] = defaultdict(list)
    spans = {}
    for campaign in campaigns:
        first = first_day(campaign)
        last = last_day(campaign, current)
        stored = stored_last.get(campaign.pk)
        from_day = first if stored is None else stored + ONE_DAY
        if first is None or from_day > last:
            continue
        spans[campaign.pk] = (first, from_day, last)
        groups[None if from_day == first else from_day].append(campaign)
    live: dict[int, list[DayRow]] = {}
    wanted = {channel}
    for from_day, group in groups.items():
        ids = [c.pk for c in group]
        since = None if from_day is None else day_start(from_day)
        events = _events(ids, since, None)
        bases = _base(ids, from_day - ONE_DAY, wanted) if from_day else {}
        for campaign in group:
            first, start, last = spans[campaign.pk]
            rows = _build(
                campaign.pk,
                first,
                start,
                last,
                bases.get(campaign.pk, {}),
                events.get(campaign.pk, {}),
                wanted,
            ).get(channel, [])
            rows = [row._replace(live=True) for row in rows]
            if channel == ALL and rows and rows[-1].day == current:
                # Today's totals are the campaign's own (the ledger's).
                rows[-1] = rows[-1]._replace(
                    raised_cents=to_cents(campaign.raised_amount),
                    matched_cents=to_cents(campaign.matched_amount),
                    contributors=campaign.contributor_count,
                )
            live[campaign.pk] = rows
    return live


# The cursors' state of some campaigns (a table name and placeholders are put in).
STORED_STATE_SQL = (
    "SELECT CAST(MAX(closed_at) AS TEXT), CAST(MAX(closed_through) AS TEXT), SUM(rebuilds),"
    " COUNT(*) FROM {table} WHERE campaign_id IN ({marks})"
)


def stored_key(ids: list[int], channel: str, current: datetime.date) -> str:
    """A cache key that changes whenever the stored rows of ``ids`` may have changed (a
    close, a rebuild, a back-fill: the cursors' state) or the day turns. One aggregate, in
    SQL written here (the cockpit asks for it at each request; the ORM took longer to
    compile it than the database to run it)."""
    state = None
    if ids:
        sql = STORED_STATE_SQL.format(
            table=SeriesCursor._meta.db_table, marks=", ".join(["%s"] * len(ids))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(ids))
            state = cursor.fetchone()
    fingerprint = repr((sorted(ids), channel, current, state))
    return "tracking:series:" + hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()


def _stored(
    ids: list[int], channel: str, current: datetime.date, key: str | None = None
) -> dict[int, list[tuple]]:
    """The stored rows of ``ids`` for ``channel`` up to ``current``, as DayRow tuples, kept
    in the shared cache until the next close (the key holds the cursors' state: a close, a
    rebuild or a back-fill changes it) — the cockpit does not read 9,000 rows each time."""
    if not ids:
        return {}
    key = key or stored_key(ids, channel, current)
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows: dict[int, list[tuple]] = defaultdict(list)
    hundred = Decimal(100)
    stored = DailyFigure.objects.filter(campaign_id__in=ids, channel=channel, day__lte=current)
    for (
        pk,
        day,
        raised,
        matched,
        contributors,
        new,
        new_amount,
        refunds,
        refunded,
        last,
    ) in stored.order_by("campaign_id", "day").values_list(*STORED_FIELDS):
        rows[pk].append(
            (
                day,
                int(raised * hundred),
                int(matched * hundred),
                contributors,
                new,
                int(new_amount * hundred),
                refunds,
                int(refunded * hundred),
                last,
            )
        )
    rows = dict(rows)
    cache.set(key, rows, timeout=STORED_CACHE_SECONDS)
    return rows


def series_for(
    campaign_ids,
    channel: str = ALL,
    *,
    now: datetime.datetime | None = None,
    tail_only: bool = False,
    campaigns=None,
    key: str | None = None,
) -> dict[int, list[DayRow]]:
    """Each tracked campaign's rows for ``channel`` ("" = all channels), oldest first, from
    its first day to today (or its last day), the days not stored yet computed live.
    Campaigns without a series (not started, drafts) map to an empty list. ``tail_only``:
    of the stored days, only the last one (the cockpit, when it has drawn the others).
    ``campaigns``: the campaigns of ``campaign_ids`` already loaded (with
    ``CAMPAIGN_FIELDS``), not read again; ``key``: their ``stored_key`` for ``channel`` and
    today, when the caller has it."""
    now = now or timezone.now()
    ids = [int(pk) for pk in campaign_ids]
    result: dict[int, list[DayRow]] = {pk: [] for pk in ids}
    if campaigns is None:
        campaigns = list(tracked_campaigns(ids))
    else:
        wanted = set(ids)
        campaigns = sorted(
            (
                c
                for c in campaigns
                if c.pk in wanted
                and c.state in PUBLIC_STATES
                and (c.starts_at is not None or c.launched_at is not None)
            ),
            key=lambda c: c.pk,
        )
        key = key if {c.pk for c in campaigns} == wanted else None
    current = today(now)
    stored_last: dict[int, datetime.date] = {}
    for pk, rows in _stored([c.pk for c in campaigns], channel, current, key).items():
        result[pk] = [DayRow(*row) for row in (rows[-1:] if tail_only else rows)]
        stored_last[pk] = rows[-1][0]
    # A channel's rows start with its first event: its last stored day is the campaign's.
    if channel != ALL:
        cursors = SeriesCursor.objects.filter(
            campaign_id__in=[c.pk for c in campaigns], closed_through__isnull=False
        )
        for pk, closed in cursors.values_list("campaign_id", "closed_through"):
            stored_last[pk] = max(closed, stored_last.get(pk, closed))
    for pk, rows in _live_rows(campaigns, stored_last, channel, now).items():
        result[pk].extend(rows)
    return result


def programme_series(programme, channel: str = ALL, *, now=None) -> dict[int, list[DayRow]]:
    """``series_for`` every tracked campaign of ``programme``."""
    ids = Campaign.objects.filter(programme=programme).values_list("pk", flat=True)
    return series_for(list(ids), channel, now=now)
