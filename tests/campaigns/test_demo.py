"""The campaigns of the demo: MEL Makers 2019's ten campaigns ran and closed with the brief's
figures (rows that add up exactly), and the winter edition has campaigns live now."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from tests.campaigns.conftest import english_client
from tests.funding.helpers import contribute
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.demo import data
from tremplin.demo.campaigns import WINTER, WINTER_MAKER_EMAIL
from tremplin.demo.load import load_demo
from tremplin.funding.ledger import audit
from tremplin.funding.models import Contribution
from tremplin.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    cache.clear()


def test_mel_makers_2019_campaigns_match_the_brief(demo):
    programme = Programme.objects.get(slug=data.PROGRAMME_2019["slug"])
    assert programme.state == ProgrammeState.CAMPAIGNS_CLOSED
    campaigns = Campaign.objects.filter(programme=programme)
    assert campaigns.count() == 10
    assert campaigns.filter(raised_amount__gte=F("goal")).count() == 10  # 10 of 10
    totals = campaigns.aggregate(raised=Sum("raised_amount"), people=Sum("contributor_count"))
    assert totals == {"raised": Decimal("100720"), "people": 1272}
    for campaign in campaigns:
        assert campaign.state == CampaignState.SETTLED
        assert campaign.starts_at.date().isoformat() == "2019-09-09"
        assert campaign.ends_at.astimezone(campaign.starts_at.tzinfo).date().isoformat() in (
            "2019-10-18",
        )
    confirmed = Contribution.objects.filter(campaign__programme=programme, state="confirmed")
    assert confirmed.count() == 1272
    assert confirmed.aggregate(total=Sum("amount"))["total"] == Decimal("100720")
    assert Payment.objects.filter(contribution__in=confirmed, state="confirmed").count() == 1272


def test_the_demo_ledger_is_clean_and_rewards_agree(demo):
    report = audit()
    assert report.clean, [str(p) for p in report.problems]
    for reward in RewardTier.objects.annotate(
        n=Count("contributions", filter=Q(contributions__state="confirmed"))
    ):
        assert reward.n == reward.claimed, reward
        assert reward.stock is None or reward.claimed <= reward.stock


def test_the_winter_edition_has_live_campaigns_to_contribute_to(demo):
    programme = Programme.objects.get(slug=WINTER["slug"])
    assert programme.state == ProgrammeState.CAMPAIGNS_LIVE
    live = list(Campaign.objects.filter(programme=programme, state=CampaignState.LIVE))
    assert len(live) == 3
    in_review = Campaign.objects.get(programme=programme, state=CampaignState.IN_REVIEW)
    assert in_review.coach.email == data.COACH.email
    assert Campaign.objects.get(application__maker__email=WINTER_MAKER_EMAIL).is_live
    campaign = live[0]
    html = english_client().get(reverse("campaigns:campaign", args=[campaign.slug]))
    assert html.status_code == 200
    assert reverse("funding:contribute", args=[campaign.slug]) in html.content.decode()
    assert "matched by Métropole Européenne de Lille" in html.content.decode()
    before = campaign.raised_amount
    contribute(campaign, "30")
    campaign.refresh_from_db()
    assert campaign.raised_amount == before + 30
    assert audit().clean


def test_the_demo_pages_open(demo):
    for campaign in Campaign.objects.exclude(state=CampaignState.IN_REVIEW):
        response = english_client().get(reverse("campaigns:campaign", args=[campaign.slug]))
        assert response.status_code == 200, campaign.slug
