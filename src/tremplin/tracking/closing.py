"""Closing days, the nightly task (``tremplin tracking-close-day``): each campaign's days
that are over are stored from the rows by ``series``' builders, missing days back-filled,
and a campaign whose stored days drifted from its totals recomputed whole. Campaigns are
claimed through their ``SeriesCursor`` rows with ``SKIP LOCKED``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tremplin.campaigns.models import Campaign
from tremplin.tracking.channels import ALL
from tremplin.tracking.models import DailyFigure, SeriesCursor
from tremplin.tracking.series import (
    ONE_DAY,
    _base,
    _build,
    _events,
    _figure,
    day_start,
    first_day,
    last_day,
    today,
    tracked_campaigns,
)


@dataclass
class CloseReport:
    through: datetime.date | None = None
    campaigns: int = 0
    rows: int = 0
    rebuilt: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Daily series closed through {self.through}: {self.campaigns} campaign(s), "
            f"{self.rows} row(s) written, {len(self.rebuilt)} rebuilt from their first day, "
            f"{len(self.skipped)} left to another worker."
        )


def drifted(campaigns: list[Campaign], closed: dict[int, datetime.date]) -> set[int]:
    """The campaigns whose stored series, plus what happened since their last stored day,
    no longer gives their totals (a contribution recorded afterwards for a day already
    closed, or a lost row). ``closed``: each campaign's last stored day. A few grouped
    queries per distinct last day (usually one)."""
    groups: dict[datetime.date, list[int]] = defaultdict(list)
    for campaign in campaigns:
        if campaign.pk in closed:
            groups[closed[campaign.pk]].append(campaign.pk)
    expected: dict[int, tuple] = {}
    for day, ids in groups.items():
        stored = {
            row.campaign_id: row
            for row in DailyFigure.objects.filter(campaign_id__in=ids, channel=ALL, day=day)
        }
        events = _events(ids, day_start(day + ONE_DAY), None)
        for pk in ids:
            row = stored.get(pk)
            if row is None:
                continue
            raised, matched, contributors = row.raised, row.matched, row.contributors
            for slot in events.get(pk, {}).get(ALL, {}).values():
                raised += slot.new_amount - slot.refunded
                contributors += slot.new - slot.refunds
                matched += slot.matched_in - slot.matched_out
            expected[pk] = (raised, matched, contributors)
    fresh = Campaign.objects.filter(pk__in=[c.pk for c in campaigns if c.pk in closed])
    return {
        pk
        for pk, *totals in fresh.values_list(
            "pk", "raised_amount", "matched_amount", "contributor_count"
        )
        if expected.get(pk) != tuple(totals)
    }


def _claim(campaign_pks: list[int]) -> list[SeriesCursor]:
    """The campaigns' cursors, locked until the end of the transaction; those another
    worker holds are left out (it is closing them: nothing left to do here)."""
    return list(
        SeriesCursor.objects.select_for_update(skip_locked=True)
        .filter(campaign_id__in=campaign_pks)
        .order_by("campaign_id")
    )


def _close(campaigns: list[Campaign], through: datetime.date, now, report: CloseReport) -> None:
    """Close ``campaigns`` through ``through`` in one transaction and a few queries per
    distinct first day to compute (usually one: the day after the last closed day)."""
    SeriesCursor.objects.bulk_create(
        [SeriesCursor(campaign_id=c.pk) for c in campaigns], ignore_conflicts=True
    )
    by_pk = {c.pk: c for c in campaigns}
    yesterday = today(now) - ONE_DAY
    with transaction.atomic():
        cursors = _claim(list(by_pk))
        claimed = {cursor.campaign_id for cursor in cursors}
        report.skipped += [pk for pk in by_pk if pk not in claimed]
        report.campaigns += len(cursors)
        closed = {c.campaign_id: c.closed_through for c in cursors if c.closed_through}
        rebuild = drifted([by_pk[pk] for pk in closed], closed)
        plans: dict[tuple, list[tuple]] = defaultdict(list)
        for cursor in cursors:
            campaign = by_pk[cursor.campaign_id]
            first = first_day(campaign)
            bound = last_day(campaign, yesterday)  # the series never goes past it
            target = min(bound, through)
            last = cursor.closed_through
            from_day, to_day = (first, target) if last is None else (last + ONE_DAY, target)
            if last is not None and (last > bound or campaign.pk in rebuild):
                from_day, to_day = first, max(min(last, bound), target)
                cursor.rebuilds += 1
                report.rebuilt.append(campaign.pk)
            if from_day > to_day:
                continue
            plans[(from_day == first, from_day, to_day)].append((campaign, cursor, first))
        for (from_first, from_day, to_day), group in plans.items():
            ids = [campaign.pk for campaign, _, _ in group]
            bases = {} if from_first else _base(ids, from_day - ONE_DAY)
            since = None if from_first else day_start(from_day)
            events = _events(ids, since, day_start(to_day + ONE_DAY))
            figures = []
            for campaign, cursor, first in group:
                rows = _build(
                    campaign.pk,
                    first,
                    from_day,
                    to_day,
                    bases.get(campaign.pk, {}),
                    events.get(campaign.pk, {}),
                )
                figures += [
                    _figure(campaign.pk, key, row, now)
                    for key, day_rows in rows.items()
                    for row in day_rows
                ]
                cursor.closed_through = to_day
                cursor.closed_at = now
            DailyFigure.objects.filter(campaign_id__in=ids, day__gte=from_day).delete()
            DailyFigure.objects.bulk_create(figures, batch_size=2000)
            report.rows += len(figures)
        SeriesCursor.objects.bulk_update(cursors, ["closed_through", "closed_at", "rebuilds"])


def close_days(
    through: datetime.date | None = None,
    *,
    campaign_ids=None,
    now: datetime.datetime | None = None,
) -> CloseReport:
    """Store every tracked campaign's rows up to ``through`` (default and at most:
    yesterday), back-filling the missing days; rebuild a series that drifted."""
    now = now or timezone.now()
    yesterday = today(now) - ONE_DAY
    through = min(through or yesterday, yesterday)
    report = CloseReport(through=through)
    campaigns = [
        campaign
        for campaign in tracked_campaigns(campaign_ids)
        if first_day(campaign) is not None and first_day(campaign) <= through
    ]
    if campaigns:
        _close(campaigns, through, now, report)
    return report
