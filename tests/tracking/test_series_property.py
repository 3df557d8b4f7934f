"""Random histories — online contributions on several channels, refunds, webhooks arriving
days late, cheques recorded days after they were received, nightly closes run, skipped or
run twice — and the series always equal a recomputation from the rows, and today's figures
the campaign's totals, with a clean ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from tremplin.funding.enums import ContributionState, MatchRule
from tremplin.funding.ledger import audit
from tremplin.funding.models import Contribution, MatchfundingPot
from tremplin.tracking import closing, series

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
START = datetime.date(2026, 3, 20)  # across the change to summer time (29 March)
DAYS = 14

step = st.one_of(
    st.tuples(
        st.just("give"),
        st.integers(5, 500),
        st.sampled_from(["", "affiche", "bus", "partenaire"]),
    ),
    st.tuples(st.just("open"), st.integers(5, 300), st.sampled_from(["", "reseaux"])),
    st.tuples(st.just("webhook"), st.integers(0, 10), st.just("")),
    st.tuples(st.just("refund"), st.integers(0, 10), st.just("")),
    st.tuples(st.just("cheque"), st.integers(1, 200), st.integers(0, 5)),
    st.tuples(st.just("close"), st.just(0), st.just("")),
)
history = st.lists(st.tuples(st.integers(0, DAYS - 1), st.integers(0, 23), step), max_size=25)


def check(campaign, now) -> None:
    campaign.refresh_from_db()
    with clock(now):
        for channel in ("", "affiche", "direct"):
            rows = series.series_for([campaign.pk], channel)[campaign.pk]
            assert [r.day for r in rows if channel == ""] == (
                [START + n * DAY for n in range((series.paris_day(now) - START).days + 1)]
                if channel == ""
                else []
            )
            for row in rows:
                assert figures(row) == expected(campaign, row.day, channel), (channel, row)
        today_row = series.series_for([campaign.pk])[campaign.pk][-1]
    assert today_row.raised_cents == int(campaign.raised_amount * 100)
    assert today_row.contributors == campaign.contributor_count
    assert today_row.matched_cents == int(campaign.matched_amount * 100)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=history, ratio=st.booleans())
def test_series_equal_the_rows(db, django_capture_on_commit_callbacks, steps, ratio):
    # A new programme each example (the database is not rolled back between examples).
    with clock(paris(START, 8)):
        campaign = CampaignFactory(
            starts_at=paris(START, 9),
            ends_at=paris(START + 40 * DAY, 9),
        )
    if ratio:
        MatchfundingPot.objects.create(
            programme=campaign.programme,
            funder_name="Métropole",
            budget=Decimal("3000"),
            rule=MatchRule.RATIO,
            ratio=Decimal("0.5"),
        )
    waiting: list = []
    now = paris(START, 9)
    for offset, hour, (kind, number, extra) in sorted(steps, key=lambda s: (s[0], s[1])):
        moment = max(now, paris(START + offset * DAY, hour, 7))
        now = moment + datetime.timedelta(minutes=1)
        if kind == "give":
            contribute_at(campaign, moment, str(number), extra)
        elif kind == "open":
            waiting.append(open_at(campaign, moment, str(number), extra))
        elif kind == "webhook" and waiting:
            webhook_at(waiting.pop(number % len(waiting)), moment)
        elif kind == "refund":
            counted = list(
                Contribution.objects.filter(
                    campaign=campaign, state=ContributionState.CONFIRMED
                ).order_by("pk")
            )
            if counted:
                gift = counted[number % len(counted)]
                refund_at(gift, moment, django_capture_on_commit_callbacks)
        elif kind == "cheque":
            received = max(START, series.paris_day(moment) - extra * DAY)
            offline_at(campaign, moment, received, str(number))
        elif kind == "close":
            with clock(moment):
                closing.close_days()
                closing.close_days()  # twice: the same rows
            check(campaign, moment)
    end = now + DAY
    # A cheque recorded for a closed day leaves that day stale until the next close; today's
    # figures are the ledger's at once.
    campaign.refresh_from_db()
    with clock(end):
        today_row = series.series_for([campaign.pk])[campaign.pk][-1]
    assert today_row.raised_cents == int(campaign.raised_amount * 100)
    assert today_row.contributors == campaign.contributor_count
    with clock(end):
        closing.close_days()
    check(campaign, end)
    with clock(end):
        assert closing.close_days().rebuilt == []
    assert audit().clean
