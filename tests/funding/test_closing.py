"""Closing a campaign and its settlement statement: refunds exactly once at an
all-or-nothing failure (with provider errors and retries), matched funds released,
offline contributions listed for a manual refund, e-mails, fees and net payout."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests.funding.helpers import checkout, contribute
from tremplin.campaigns import clock
from tremplin.campaigns.enums import CampaignState, FundingRule
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.models import AuditLog
from tremplin.funding import settlement
from tremplin.funding.enums import AllocationState, ContributionState, MatchRule
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot
from tremplin.funding.offline import record_offline, record_offline_refund
from tremplin.payments import services as payments
from tremplin.payments.enums import RefundState
from tremplin.payments.models import Refund
from tremplin.sandbox.models import SandboxCharge

pytestmark = pytest.mark.django_db

D = Decimal


def _offline(campaign, user, amount="30", source="cheque", **extra) -> Contribution:
    row = OfflineRow(
        amount=D(amount),
        name=extra.pop("name", "Dominique"),
        source=source,
        received_on=timezone.localdate(),
        **extra,
    )
    return record_offline(campaign, row, user=user)


def _past_deadline(campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))


def _close(campaign, capture) -> Campaign:
    """The deadline's close as the campaigns' clock does it (campaigns.clock.close)."""
    _past_deadline(campaign)
    with capture(execute=True):
        assert clock.close(campaign.pk)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def failing(campaign, manager):
    """A campaign that will miss its 5 000 € goal: three online contributions (one
    address twice), one offline cheque, a ratio pot."""
    MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="MEL",
        budget=D("1000"),
        rule=MatchRule.RATIO,
        ratio=D("1"),
    )
    contribute(campaign, "100", email="a@example.org")
    contribute(campaign, "50", email="b@example.org", language="en")
    contribute(campaign, "20", email="a@example.org")
    _offline(campaign, manager, "30", email="c@example.org")
    checkout(campaign, "10")  # a checkout still open at the deadline
    return campaign


def test_failure_refunds_every_online_payment_once(failing, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    campaign = _close(failing, django_capture_on_commit_callbacks)
    assert campaign.state == CampaignState.FAILED
    refunds = Refund.objects.filter(payment__contribution__campaign=campaign)
    assert refunds.count() == 3
    assert set(refunds.values_list("state", flat=True)) == {RefundState.DONE}
    online = Contribution.objects.filter(campaign=campaign, source="online")
    assert set(online.exclude(state="pending").values_list("state", flat=True)) == {
        ContributionState.REFUNDED
    }
    # The offline cheque is left for a manual refund; the matched funds went back.
    assert campaign.raised_amount == D("30.00")
    assert campaign.contributor_count == 1
    assert campaign.matched_amount == D("0.00")
    pot = MatchfundingPot.objects.get(programme=campaign.programme)
    assert pot.allocated == D("0.00")
    assert set(MatchAllocation.objects.values_list("state", flat=True)) == {
        AllocationState.RELEASED
    }
    # Each sandbox charge was refunded once.
    assert SandboxCharge.objects.filter(state="refunded").count() == 3
    assert all(len(c.refund_keys) == 1 for c in SandboxCharge.objects.filter(state="refunded"))
    # Closing again does nothing.
    result = settlement.close_funds(campaign)
    assert result.already_done
    assert Refund.objects.count() == 3


def test_failure_mails_each_contributor_once_in_their_language(
    failing, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    campaign = _close(failing, django_capture_on_commit_callbacks)
    to_contributors = [
        m for m in mail.outbox if m.to[0] in ("a@example.org", "b@example.org", "c@example.org")
    ]
    by_address = {m.to[0]: m for m in to_contributors}
    assert len(to_contributors) == 3 == len(by_address)
    assert "refunded" in by_address["b@example.org"].body  # English
    assert campaign.title in by_address["b@example.org"].subject
    assert "€5,000" in by_address["b@example.org"].body
    assert "5\u00a0000\u00a0€" in by_address["a@example.org"].body  # French numbers


def test_refunds_survive_provider_errors_and_happen_once(
    failing, settings, django_capture_on_commit_callbacks
):
    settings.SANDBOX_REFUND_FAILURES = 2  # every refund fails twice with a 503 first
    campaign = _close(failing, django_capture_on_commit_callbacks)
    refunds = list(Refund.objects.filter(payment__contribution__campaign=campaign))
    assert len(refunds) == 3
    assert {r.state for r in refunds} == {RefundState.CREATED}  # retries are scheduled
    later = timezone.now() + timedelta(hours=1)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            payments.retry_due_refunds(now=later)
        later += timedelta(hours=7)
    assert set(Refund.objects.values_list("state", flat=True)) == {RefundState.DONE}
    assert all(len(c.refund_keys) == 1 for c in SandboxCharge.objects.filter(state="refunded"))
    campaign.refresh_from_db()
    assert campaign.raised_amount == D("30.00")
    # Retrying again never refunds twice.
    with django_capture_on_commit_callbacks(execute=True):
        payments.retry_due_refunds(now=later + timedelta(days=1))
        for refund in refunds:
            payments.attempt_refund(refund.pk, now=later + timedelta(days=2))
    assert Refund.objects.filter(state=RefundState.DONE).count() == 3
    campaign.refresh_from_db()
    assert campaign.raised_amount == D("30.00")


def test_statement_of_a_failed_campaign_and_its_settlement(
    failing, manager, client_for, django_capture_on_commit_callbacks
):
    campaign = _close(failing, django_capture_on_commit_callbacks)
    result = settlement.statement(campaign)
    assert result.online_amount == D("0.00")
    assert result.refunds_done_count == 3
    assert result.refunds_done_amount == D("170.00")
    assert [c.amount for c in result.offline_to_refund] == [D("30.00")]
    assert result.net_payout == D("0.00")
    assert result.totals_match
    assert not result.can_settle
    with pytest.raises(FundingError):
        settlement.settle(campaign, user=manager)
    record_offline_refund(result.offline_to_refund[0], user=manager)
    campaign.refresh_from_db()
    assert campaign.raised_amount == D("0.00")
    assert settlement.statement(campaign).can_settle
    settlement.settle(campaign, user=manager)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SETTLED


def test_success_refunds_nothing_and_thanks_everyone(
    campaign, manager, django_capture_on_commit_callbacks
):
    campaign.programme.campaign_settings.fee_percent = D("2.50")
    campaign.programme.campaign_settings.save()
    contribute(campaign, "4999,99", email="big@example.org")
    _offline(campaign, manager, "0.01", source="cash")
    mail.outbox.clear()
    campaign = _close(campaign, django_capture_on_commit_callbacks)
    assert campaign.state == CampaignState.SUCCEEDED
    assert not Refund.objects.exists()
    result = settlement.statement(campaign)
    assert result.online_amount == D("4999.99")
    assert result.offline_amount == D("0.01")
    assert result.fees == D("125.00")  # 124.99975 rounded half up
    assert result.net_payout == D("4874.99")
    assert result.can_settle
    thanks = [m for m in mail.outbox if m.to == ["big@example.org"]]
    assert len(thanks) == 1
    settlement.settle(campaign, user=manager)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SETTLED


def test_keep_it_all_closes_without_refunds(campaign, django_capture_on_commit_callbacks):
    rules = campaign.programme.campaign_settings
    rules.funding_rule = FundingRule.KEEP_IT_ALL
    rules.save()
    contribute(campaign, "50")
    campaign = _close(campaign, django_capture_on_commit_callbacks)
    assert campaign.state == CampaignState.CLOSED
    assert not Refund.objects.exists()
    assert settlement.statement(campaign).net_payout == D("50.00")


def test_matched_funds_count_toward_the_goal_when_the_pot_says_so(
    campaign, django_capture_on_commit_callbacks
):
    MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="MEL",
        budget=D("5000"),
        rule=MatchRule.RATIO,
        ratio=D("1"),
    )
    CampaignSettings.objects.filter(programme=campaign.programme).update(
        matched_counts_toward_goal=True
    )
    contribute(campaign, "2500")
    campaign.refresh_from_db()
    assert clock.goal_reached(campaign)
    campaign = _close(campaign, django_capture_on_commit_callbacks)
    assert campaign.state == CampaignState.SUCCEEDED


def test_the_money_close_answers_the_clock_once_and_never_moves_the_state(
    campaign, django_capture_on_commit_callbacks
):
    """funding never writes the state: a live campaign is refused; the clock's close moves
    it and funding's receiver refunds, records ``funds_closed_at`` and logs, once."""
    contribute(campaign, "25")
    with pytest.raises(FundingError):
        settlement.close_funds(campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.LIVE
    assert campaign.funds_closed_at is None
    campaign = _close(campaign, django_capture_on_commit_callbacks)
    assert campaign.state == CampaignState.FAILED
    assert campaign.raised_amount == D("0.00")
    assert campaign.funds_closed_at is not None
    row = AuditLog.objects.get(action="tremplin.campaign.funding_closed")
    assert row.data["refunds_requested"] == 1
    again = settlement.close_funds(campaign)
    assert again.already_done and again.outcome == CampaignState.FAILED
    assert AuditLog.objects.filter(action="tremplin.campaign.funding_closed").count() == 1


def test_close_funds_refuses_a_draft(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.DRAFT)
    campaign.refresh_from_db()
    with pytest.raises(FundingError):
        settlement.close_funds(campaign)


def test_statement_is_computed_from_the_rows(campaign):
    contribute(campaign, "25")
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=D("999"))
    campaign.refresh_from_db()
    result = settlement.statement(campaign)
    assert result.online_amount == D("25.00")
    assert not result.totals_match
