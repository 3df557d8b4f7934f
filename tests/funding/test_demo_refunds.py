"""Failing a live campaign of the demo's winter edition refunds every online contribution:
the demo's payments exist in the sandbox (issue #9: 21 of 22 refunds failed with
"no_such_charge")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tremplin.campaigns import clock
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.demo.campaigns import WINTER
from tremplin.demo.load import load_demo
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.ledger import audit
from tremplin.funding.models import Contribution
from tremplin.funding.settlement import statement
from tremplin.payments.enums import RefundState
from tremplin.payments.models import Payment, Refund
from tremplin.sandbox.models import ChargeState, SandboxCharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    cache.clear()


def test_every_demo_payment_is_a_paid_sandbox_charge(demo):
    references = set(
        Payment.objects.filter(provider="sandbox", state="confirmed").values_list(
            "provider_reference", flat=True
        )
    )
    assert references
    charges = SandboxCharge.objects.filter(public_id__in=references)
    assert charges.count() == len(references)
    assert set(charges.values_list("state", flat=True)) == {ChargeState.SUCCEEDED}


def test_failing_a_live_winter_campaign_refunds_everyone(demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    campaign = (
        Campaign.objects.filter(programme__slug=WINTER["slug"], state=CampaignState.LIVE)
        .exclude(raised_amount__gte=1_000_000)
        .order_by("raised_amount")
        .first()
    )
    assert campaign is not None and campaign.raised_amount < campaign.goal
    online = Contribution.objects.filter(
        campaign=campaign,
        state=ContributionState.CONFIRMED,
        source=ContributionSource.ONLINE,
    ).count()
    assert online > 1
    assert clock.close(campaign.pk, now=campaign.ends_at + timedelta(seconds=1))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.FAILED
    refunds = Refund.objects.filter(payment__contribution__campaign=campaign)
    assert refunds.count() == online
    # The worker takes the queued attempts (here: the sweep of `tremplin reconcile-payments`,
    # the same attempts the tasks make).
    call_command("reconcile-payments", verbosity=0)
    assert set(refunds.values_list("state", flat=True)) == {RefundState.DONE}
    assert not Contribution.objects.filter(
        campaign=campaign, state=ContributionState.CONFIRMED, source=ContributionSource.ONLINE
    ).exists()
    references = Payment.objects.filter(contribution__campaign=campaign).values_list(
        "provider_reference", flat=True
    )
    assert set(
        SandboxCharge.objects.filter(public_id__in=list(references)).values_list("state", flat=True)
    ) == {ChargeState.REFUNDED}
    result = statement(campaign)
    assert result.refunds_failed_count == 0
    assert result.refunds_done_count == online
    report = audit()
    assert report.clean, [str(p) for p in report.problems]
