"""The daily series: stored by the nightly task, back-filled, idempotent, rebuilt when a
past day changes, read with today's figures live — always equal to a recomputation from
the rows and to the campaign's totals (the ledger)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.tracking.helpers import (
    clock,
    contribute_at,
    expected,
    figures,
    offline_at,
    open_at,
    paris,
    refund_at,
    webhook_at,
)
from tremplin.campaigns.enums import CampaignState
from tremplin.funding.enums import MatchRule
from tremplin.funding.ledger import audit
from tremplin.funding.models import MatchfundingPot
from tremplin.tracking import closing, series
from tremplin.tracking.models import DailyFigure, SeriesCursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


DAY = datetime.timedelta(days=1)


def start_days_ago(campaign, days: int) -> datetime.date:
    """Move ``campaign`` to have started ``days`` days ago (noon, Paris); its first day."""
    first = timezone.localdate(timezone.now(), series.PARIS) - days * DAY
    campaign.starts_at = campaign.launched_at = paris(first, 9)
    campaign.save(update_fields=["starts_at", "launched_at"])
    return first


def check_against_rows(campaign, channel: str = "") -> list:
    campaign.refresh_from_db()
    rows = series.series_for([campaign.pk], channel)[campaign.pk]
    for row in rows:
        assert figures(row) == expected(campaign, row.day, channel), row.day
    return rows


def test_days_are_stored_back_filled_and_read_with_today_live(campaign, capture):
    first = start_days_ago(campaign, 3)
    contribute_at(campaign, paris(first, 10), "20", channel="affiche")
    contribute_at(campaign, paris(first, 23, 30), "30")  # 23:30 Paris is the next day in UTC
    second = contribute_at(campaign, paris(first + DAY, 8), "50", channel="bus")
    refund_at(second, paris(first + 2 * DAY, 15), capture)
    contribute_at(campaign, timezone.now() - datetime.timedelta(minutes=1), "15", "affiche")

    # Nothing stored yet: every day is computed live.
    rows = check_against_rows(campaign)
    assert [r.day for r in rows] == [first + n * DAY for n in range(4)]
    assert all(r.live for r in rows)
    assert [r.raised_cents for r in rows] == [5000, 10000, 5000, 6500]
    assert [r.new_contributions for r in rows] == [2, 1, 0, 1]
    assert [r.refunds for r in rows] == [0, 0, 1, 0]
    assert rows[-1].last_contribution_at is not None

    report = closing.close_days()
    assert report.through == first + 2 * DAY
    assert report.rows == DailyFigure.objects.count() > 0
    rows = check_against_rows(campaign)
    assert [r.live for r in rows] == [False, False, False, True]
    poster = check_against_rows(campaign, "affiche")
    assert [r.raised_cents for r in poster] == [2000, 2000, 2000, 3500]
    direct = check_against_rows(campaign, "direct")
    assert [r.raised_cents for r in direct] == [3000, 3000, 3000, 3000]
    bus = check_against_rows(campaign, "bus")
    assert [(r.day, r.raised_cents) for r in bus] == [
        (first + DAY, 5000),
        (first + 2 * DAY, 0),
        (first + 3 * DAY, 0),
    ]


def test_close_is_idempotent_and_reads_nothing_twice(campaign):
    first = start_days_ago(campaign, 5)
    for n in range(5):
        contribute_at(campaign, paris(first + n * DAY, 11), str(10 + n), channel="presse")
    closing.close_days()
    before = list(
        DailyFigure.objects.order_by("pk").values_list(
            "campaign", "day", "channel", "raised", "contributors", "new_contributions"
        )
    )
    again = closing.close_days()
    assert again.rows == 0 and again.rebuilt == []
    after = list(
        DailyFigure.objects.order_by("pk").values_list(
            "campaign", "day", "channel", "raised", "contributors", "new_contributions"
        )
    )
    assert after == before
    # Closing earlier days again changes nothing either.
    closing.close_days(first + DAY)
    assert (
        list(
            DailyFigure.objects.order_by("pk").values_list(
                "campaign", "day", "channel", "raised", "contributors", "new_contributions"
            )
        )
        == before
    )
    check_against_rows(campaign)


def test_a_cheque_recorded_for_a_closed_day_rebuilds_the_series(campaign):
    first = start_days_ago(campaign, 4)
    contribute_at(campaign, paris(first, 12), "100")
    closing.close_days()
    assert SeriesCursor.objects.get(campaign=campaign).closed_through == first + 3 * DAY
    # Today, the organiser records a cheque received on the first day.
    offline_at(campaign, timezone.now(), first, "40")
    campaign.refresh_from_db()
    # Today's totals are the ledger's at once.
    today_row = series.series_for([campaign.pk])[campaign.pk][-1]
    assert today_row.raised_cents == 14000 == int(campaign.raised_amount * 100)
    report = closing.close_days()
    assert report.rebuilt == [campaign.pk]
    rows = check_against_rows(campaign)
    assert rows[0].raised_cents == 14000 and rows[0].new_contributions == 2
    assert SeriesCursor.objects.get(campaign=campaign).rebuilds == 1


def test_a_late_webhook_counts_on_the_day_it_arrives(campaign):
    first = start_days_ago(campaign, 3)
    payment = open_at(campaign, paris(first, 10), "60")
    closing.close_days(first)
    webhook_at(payment, paris(first + 2 * DAY, 9))
    closing.close_days()
    rows = check_against_rows(campaign)
    assert [r.new_contributions for r in rows[:3]] == [0, 0, 1]


def test_matched_funds_follow_allocations_and_releases(campaign, capture):
    MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="Métropole",
        budget=Decimal("10000"),
        rule=MatchRule.RATIO,
        ratio=Decimal("1"),
    )
    first = start_days_ago(campaign, 2)
    gift = contribute_at(campaign, paris(first, 10), "30", channel="reseaux")
    refund_at(gift, paris(first + DAY, 10), capture)
    contribute_at(campaign, paris(first + DAY, 11), "20", channel="reseaux")
    closing.close_days()
    rows = check_against_rows(campaign)
    assert [r.matched_cents for r in rows] == [3000, 2000, 2000]
    assert [r.matched_cents for r in check_against_rows(campaign, "reseaux")] == [3000, 2000, 2000]


def test_today_figures_are_the_ledger(campaign, capture):
    first = start_days_ago(campaign, 2)
    contribute_at(campaign, paris(first, 10), "30")
    closing.close_days()
    gift = contribute_at(campaign, timezone.now() - datetime.timedelta(minutes=5), "70")
    refund_at(gift, timezone.now() - datetime.timedelta(minutes=1), capture)
    contribute_at(campaign, timezone.now(), "12")
    campaign.refresh_from_db()
    today_row = series.series_for([campaign.pk])[campaign.pk][-1]
    assert today_row.live
    assert today_row.raised_cents == int(campaign.raised_amount * 100) == 4200
    assert today_row.contributors == campaign.contributor_count == 2
    assert (today_row.new_contributions, today_row.refunds) == (2, 1)
    assert audit().clean


def test_campaigns_without_a_series(live_programme):
    draft = CampaignFactory(programme=live_programme, state=CampaignState.DRAFT)
    scheduled = CampaignFactory(
        programme=live_programme,
        state=CampaignState.SCHEDULED,
        starts_at=timezone.now() + 3 * DAY,
    )
    assert series.series_for([draft.pk, scheduled.pk]) == {draft.pk: [], scheduled.pk: []}
    assert closing.close_days().campaigns == 0
    assert series.programme_series(live_programme) == {draft.pk: [], scheduled.pk: []}


def test_a_settled_campaign_stops_on_its_settled_day(campaign):
    first = start_days_ago(campaign, 10)
    contribute_at(campaign, paris(first, 10), "30")
    campaign.ends_at = paris(first + 3 * DAY, 20)
    campaign.settled_at = paris(first + 5 * DAY, 10)
    campaign.state = CampaignState.SETTLED
    campaign.save(update_fields=["ends_at", "settled_at", "state"])  # a fixture, not the flow
    closing.close_days()
    rows = check_against_rows(campaign)
    assert rows[-1].day == first + 5 * DAY and not rows[-1].live


def test_the_paris_day_across_daylight_saving(live_programme):
    # 29 March 2026: clocks go forward at 2 am; 25 October 2026: back at 3 am.
    with clock(datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)):
        campaign = CampaignFactory(
            programme=live_programme,
            starts_at=paris(datetime.date(2026, 10, 24), 9),
            ends_at=paris(datetime.date(2026, 11, 30), 9),
        )
    contribute_at(campaign, datetime.datetime(2026, 10, 24, 22, 30, tzinfo=datetime.UTC), "10")
    contribute_at(campaign, datetime.datetime(2026, 10, 25, 23, 30, tzinfo=datetime.UTC), "20")
    with clock(datetime.datetime(2026, 10, 28, 12, tzinfo=datetime.UTC)):
        closing.close_days()
        rows = series.series_for([campaign.pk])[campaign.pk]
    # 22:30 UTC on the 24th is 00:30 on the 25th in Paris (UTC+2); 23:30 UTC on the 25th
    # is 00:30 on the 26th (UTC+1 after the change).
    assert [(r.day.day, r.new_contributions) for r in rows[:3]] == [(24, 0), (25, 1), (26, 1)]


def test_the_command(campaign, capsys):
    first = start_days_ago(campaign, 2)
    contribute_at(campaign, paris(first, 10), "30")
    call_command("tracking-close-day")
    out = capsys.readouterr().out
    assert "1 campaign(s)" in out and "closed through" in out
    with pytest.raises(CommandError):
        call_command("tracking-close-day", "--through", "31/12/2026")
    with pytest.raises(CommandError):
        call_command("tracking-close-day", "--through", "2026-02-30\x00")
    # A day in the future closes only through yesterday.
    call_command("tracking-close-day", "--through", "2999-01-01")
    assert SeriesCursor.objects.get(campaign=campaign).closed_through == (series.today() - DAY)
