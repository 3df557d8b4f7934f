"""Matchfunding: the ratio rule with its caps, the threshold grant (once), the pot never
overspent, matched funds given back on refund."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.campaigns.factories import CampaignFactory
from tests.funding.helpers import contribute
from tremplin.funding.enums import AllocationState, MatchRule
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.matchfunding import ratio_match
from tremplin.funding.models import MatchAllocation, MatchfundingPot
from tremplin.funding.offline import record_offline
from tremplin.payments import services as payments
from tremplin.payments.models import Payment

pytestmark = pytest.mark.django_db

D = Decimal


def _pot(programme, **values) -> MatchfundingPot:
    defaults = {
        "funder_name": "Métropole Européenne de Lille",
        "budget": D("1000.00"),
        "rule": MatchRule.RATIO,
        "ratio": D("1.00"),
    }
    return MatchfundingPot.objects.create(programme=programme, **{**defaults, **values})


def _matched(campaign) -> Decimal:
    campaign.refresh_from_db()
    return campaign.matched_amount


def test_ratio_one_euro_per_euro(campaign, live_programme):
    pot = _pot(live_programme)
    contribution = contribute(campaign, "25")
    assert contribution.matched_amount == D("25.00")
    assert _matched(campaign) == D("25.00")
    pot.refresh_from_db()
    assert pot.allocated == D("25.00")


def test_ratio_is_rounded_to_the_cent(campaign, live_programme):
    _pot(live_programme, ratio=D("0.33"))
    contribution = contribute(campaign, "12,50")
    assert contribution.matched_amount == D("4.13")  # 4.125 rounded half up


def test_ratio_cap_per_contribution(campaign, live_programme):
    _pot(live_programme, ratio=D("2.00"), cap_per_contribution=D("30.00"))
    assert contribute(campaign, "10").matched_amount == D("20.00")
    assert contribute(campaign, "100").matched_amount == D("30.00")
    assert _matched(campaign) == D("50.00")


def test_ratio_cap_per_campaign(campaign, live_programme):
    _pot(live_programme, cap_per_campaign=D("60.00"))
    contribute(campaign, "50")
    assert contribute(campaign, "50").matched_amount == D("10.00")
    third = contribute(campaign, "50")
    assert third.matched_amount == D("0.00")
    assert not MatchAllocation.objects.filter(contribution=third).exists()
    assert _matched(campaign) == D("60.00")
    other = CampaignFactory(programme=live_programme)
    assert contribute(other, "50").matched_amount == D("50.00")  # the cap is per campaign


def test_pot_is_never_overspent(campaign, live_programme):
    pot = _pot(live_programme, budget=D("70.00"))
    contribute(campaign, "50")
    assert contribute(campaign, "50").matched_amount == D("20.00")
    assert contribute(campaign, "50").matched_amount == D("0.00")
    pot.refresh_from_db()
    assert pot.allocated == pot.budget == D("70.00")
    assert _matched(campaign) == D("70.00")


def test_the_database_refuses_an_overspent_pot(live_programme):
    pot = _pot(live_programme, budget=D("10.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=D("10.01"))


def test_threshold_grant_given_once(campaign, live_programme):
    pot = _pot(
        live_programme,
        rule=MatchRule.THRESHOLD_GRANT,
        grant_amount=D("1000.00"),
        grant_threshold_percent=50,
        budget=D("5000.00"),
    )
    contribute(campaign, "2000")
    assert _matched(campaign) == D("0.00")
    contribute(campaign, "500")  # 2 500 € = 50 % of 5 000 €
    assert _matched(campaign) == D("1000.00")
    contribute(campaign, "1000")
    assert _matched(campaign) == D("1000.00")
    assert MatchAllocation.objects.filter(campaign=campaign).count() == 1
    grant = MatchAllocation.objects.get(campaign=campaign)
    assert grant.contribution is None
    pot.refresh_from_db()
    assert pot.allocated == D("1000.00")


def test_one_grant_per_campaign_is_a_database_rule(campaign, live_programme):
    pot = _pot(live_programme, rule=MatchRule.THRESHOLD_GRANT, grant_amount=D("10"))
    MatchAllocation.objects.create(pot=pot, campaign=campaign, amount=D("10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchAllocation.objects.create(pot=pot, campaign=campaign, amount=D("10"))


def test_threshold_grant_limited_to_what_is_left(campaign, live_programme):
    _pot(
        live_programme,
        rule=MatchRule.THRESHOLD_GRANT,
        grant_amount=D("1000.00"),
        grant_threshold_percent=10,
        budget=D("300.00"),
    )
    contribute(campaign, "500")
    assert _matched(campaign) == D("300.00")


def test_offline_contributions_are_matched_too(campaign, live_programme, manager):
    from django.utils import timezone

    _pot(live_programme, ratio=D("0.5"))
    row = OfflineRow(
        amount=D("40"), name="Chèque", source="cheque", received_on=timezone.localdate()
    )
    contribution = record_offline(campaign, row, user=manager)
    contribution.refresh_from_db()
    assert contribution.matched_amount == D("20.00")


def test_refund_gives_the_match_back(campaign, live_programme, django_capture_on_commit_callbacks):
    pot = _pot(live_programme)
    contribution = contribute(campaign, "25")
    payment = Payment.objects.get(contribution=contribution)
    with django_capture_on_commit_callbacks(execute=True):
        payments.request_refund(payment)
    pot.refresh_from_db()
    allocation = MatchAllocation.objects.get(contribution=contribution)
    assert allocation.state == AllocationState.RELEASED
    assert pot.allocated == D("0.00")
    assert _matched(campaign) == D("0.00")
    contribution.refresh_from_db()
    assert contribution.matched_amount == D("0.00")


def test_no_pot_no_match(campaign):
    assert contribute(campaign, "25").matched_amount == D("0.00")
    assert _matched(campaign) == D("0.00")


def test_ratio_match_arithmetic():
    pot = MatchfundingPot(
        budget=D("100"),
        allocated=D("90"),
        ratio=D("3"),
        cap_per_contribution=D("50"),
        cap_per_campaign=D("40"),
    )
    assert ratio_match(D("10"), pot, D("35")) == D("5")  # campaign cap leaves 5
    assert ratio_match(D("10"), pot, D("0")) == D("10")  # the pot leaves 10
    pot.allocated = D("0")
    assert ratio_match(D("10"), pot, D("0")) == D("30")
    assert ratio_match(D("100"), pot, D("0")) == D("40")
    assert ratio_match(D("10"), pot, D("45")) == D("0")  # never negative
