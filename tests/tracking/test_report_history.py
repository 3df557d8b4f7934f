"""The report's figures against an independent recomputation, over random histories of
contributions confirmed and refunded on random days (hypothesis): the totals, the refunds,
the median, the channels and the day-by-day cumulative series (Europe/Paris days)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.campaigns.factories import CampaignFactory
from tests.factories import ProgrammeFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.models import Campaign
from tremplin.core.dates import PARIS
from tremplin.funding.models import Contribution
from tremplin.tracking.report_figures import median, report_figures

pytestmark = pytest.mark.django_db

START = datetime.datetime(2024, 3, 20, 10, 0, tzinfo=PARIS)  # across the change to summer time
DAYS = 20

history = st.lists(
    st.tuples(
        st.integers(0, 1),  # campaign
        st.integers(1, 50_000).map(lambda cents: Decimal(cents) / 100),  # amount
        st.integers(0, DAYS * 24 - 1),  # hour of the confirmation
        st.one_of(st.none(), st.integers(0, DAYS * 24)),  # hours until a refund, if any
        st.sampled_from(["", "bus", "affiche-qr"]),
    ),
    max_size=40,
)


@pytest.fixture
def campaigns(organiser):
    programme = ProgrammeFactory(
        organiser=organiser, slug="mel-hist", state=ProgrammeState.CAMPAIGNS_CLOSED
    )
    return [
        CampaignFactory(
            programme=programme,
            slug=f"hist-{i}",
            goal="1000.00",
            starts_at=START,
            ends_at=START + datetime.timedelta(days=DAYS),
            launched_at=START,
            state="succeeded",
        )
        for i in range(2)
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=history)
def test_the_figures_equal_a_recomputation(campaigns, events):
    Contribution.objects.filter(campaign__in=campaigns).delete()
    rows = []
    for i, (c, amount, hour, refund_after, channel) in enumerate(events):
        confirmed = START + datetime.timedelta(hours=hour)
        refunded = confirmed + datetime.timedelta(hours=refund_after) if refund_after else None
        rows.append(
            Contribution(
                campaign=campaigns[c],
                amount=amount,
                state="refunded" if refunded else "confirmed",
                name=f"C{i}",
                channel=channel,
                idempotency_key=f"hist-{i}",
                confirmed_at=confirmed,
                refunded_at=refunded,
            )
        )
    Contribution.objects.bulk_create(rows)
    for campaign in campaigns:  # the cached totals, as the ledger keeps them
        kept = [r for r in rows if r.campaign_id == campaign.pk and r.state == "confirmed"]
        Campaign.objects.filter(pk=campaign.pk).update(
            raised_amount=sum((r.amount for r in kept), Decimal("0.00")),
            contributor_count=len(kept),
        )
    figures = report_figures(campaigns[0].programme)

    kept = [r for r in rows if r.state == "confirmed"]
    totals = figures["totals"]
    assert Decimal(totals["raised"]) == sum((r.amount for r in kept), Decimal("0.00"))
    assert totals["contributions"] == len(kept)
    gone = [r for r in rows if r.state == "refunded"]
    assert Decimal(totals["refunds"]) == sum((r.amount for r in gone), Decimal("0.00"))
    assert totals["median_gift"] == str(
        median([r.amount for r in kept]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )
    channels = defaultdict(Decimal)
    for r in kept:
        channels[r.channel or "direct"] += r.amount
    assert {c["channel"]: Decimal(c["amount"]) for c in figures["channels"]} == dict(channels)
    # each day's cumulative figure, recomputed from the rows
    for day in figures["days"]:
        end_of_day = datetime.datetime.combine(
            datetime.date.fromisoformat(day["day"]) + datetime.timedelta(days=1),
            datetime.time(0),
            tzinfo=PARIS,
        )
        counted = [
            r
            for r in rows
            if r.confirmed_at < end_of_day
            and (r.refunded_at is None or r.refunded_at >= end_of_day)
        ]
        assert Decimal(day["raised"]) == sum((r.amount for r in counted), Decimal("0.00")), day
        assert day["contributions"] == len(counted), day
    assert figures["days"][0]["day"] == "2024-03-20"
    assert Decimal(figures["days"][-1]["raised"]) == Decimal(totals["raised"])
