"""A small programme with money of every kind, for the report and open-data tests: the
MEL's programme with three campaigns — one reached its goal (online contributions, a
cheque, an offline contribution given back), one missed it (all or nothing: refunded at
the close), one still live — matchfunding of 1 € per euro."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, CampaignSettingsFactory
from tests.factories import ProgrammeFactory
from tests.funding.helpers import checkout_data, key, pay
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.campaigns import clock
from tremplin.campaigns.models import Campaign
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import ContributionSource, MatchRule
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchfundingPot
from tremplin.funding.offline import record_offline, record_offline_refund


def contribute(campaign, amount: str, *, channel: str = "", city: str = ""):
    contribution = start_checkout(
        campaign, checkout_data(amount=amount), idempotency_key=key(), channel=channel
    )
    pay(contribution)
    if city:  # the address of a reward sent by post
        Contribution.objects.filter(pk=contribution.pk).update(city=city, address="1 rue")
    return contribution


def build(organiser, manager, *, slug: str = "mel-makers-2021") -> Programme:
    programme = ProgrammeFactory(
        organiser=organiser, slug=slug, state=ProgrammeState.CAMPAIGNS_LIVE
    )
    CampaignSettingsFactory(programme=programme)
    MatchfundingPot.objects.create(
        programme=programme,
        funder_name="Métropole",
        budget=Decimal("10000"),
        rule=MatchRule.RATIO,
        ratio=Decimal("1"),
        cap_per_contribution=Decimal("50"),
    )
    reached = CampaignFactory(programme=programme, slug=f"{slug}-atelier", goal="100.00")
    missed = CampaignFactory(programme=programme, slug=f"{slug}-serre", goal="5000.00")
    live = CampaignFactory(programme=programme, slug=f"{slug}-lampes", goal="300.00")
    for amount, channel, city in (
        ("40", "affiche-qr", "Roubaix"),
        ("25.50", "", ""),
        ("60", "bus", "roubaix"),
    ):
        contribute(reached, amount, channel=channel, city=city)
    today = timezone.localdate()
    record_offline(
        reached, OfflineRow(Decimal("30"), "Club", ContributionSource.CHEQUE, today), user=manager
    )
    given_back = record_offline(
        reached, OfflineRow(Decimal("15"), "Erreur", ContributionSource.CASH, today), user=manager
    )
    record_offline_refund(given_back, user=manager)
    contribute(missed, "20", channel="bus")
    contribute(live, "35", channel="")
    past = timezone.now() - timedelta(minutes=1)
    for campaign in (reached, missed):
        Campaign.objects.filter(pk=campaign.pk).update(ends_at=past)
        assert clock.close(campaign.pk)
    return programme


def finish(programme: Programme) -> None:
    """Close the last campaign and the programme (results public)."""
    for campaign in programme.campaigns.filter(state="live"):
        Campaign.objects.filter(pk=campaign.pk).update(
            ends_at=timezone.now() - timedelta(minutes=1)
        )
        clock.close(campaign.pk)
    Programme.objects.filter(pk=programme.pk).update(state=ProgrammeState.CAMPAIGNS_CLOSED)
    programme.refresh_from_db()
