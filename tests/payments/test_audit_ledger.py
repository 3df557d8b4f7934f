"""`tremplin audit-ledger`: clean after real flows; non-zero, naming the campaign, on any
difference."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from tests.campaigns.factories import CampaignFactory
from tests.payments.helpers import contribution, payment_for, webhook
from tremplin.campaigns.models import Campaign
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.payments import services
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox import api

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("audit-ledger", stdout=out)
    return out.getvalue()


def run_failing() -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("audit-ledger", stderr=err)
    assert info.value.returncode == 1
    return str(info.value), err.getvalue()


@pytest.fixture
def busy_campaign(campaign, django_capture_on_commit_callbacks):
    """Three confirmed payments, one declined, one pending, one refunded."""
    for amount in ("10.00", "25.50", "100.00"):
        payment = payment_for(campaign, amount)
        api.pay(payment.provider_reference, "4242424242424242")
        webhook(payment)
    webhook(payment_for(campaign, "7.00"), "charge.declined")
    payment_for(campaign, "9.00")
    refunded = payment_for(campaign, "30.00")
    api.pay(refunded.provider_reference, "4242424242424242")
    webhook(refunded)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_refund(Payment.objects.get(pk=refunded.pk))
    campaign.refresh_from_db()
    assert campaign.raised_amount == Decimal("135.50")
    assert campaign.contributor_count == 3
    return campaign


def test_clean_ledger_prints_one_line(busy_campaign):
    CampaignFactory()  # a campaign with nothing yet
    output = run()
    assert output.count("\n") == 1
    assert output.startswith("Ledger clean: 2 campaign(s), 3 confirmed contribution(s)")
    assert "135.50" in output


def test_the_command_name_with_an_underscore_works_too(busy_campaign):
    out = StringIO()
    call_command("audit_ledger", stdout=out)
    assert out.getvalue().startswith("Ledger clean")


def test_a_tampered_total_is_named(busy_campaign):
    Campaign.objects.filter(pk=busy_campaign.pk).update(raised_amount=F("raised_amount") + 5)
    message, errors = run_failing()
    assert "1 difference" in message
    assert f"campaign {busy_campaign.slug}" in errors
    assert "raised_amount is 140.50 but its confirmed contributions total 135.50" in errors
    assert "difference +5.00" in errors


def test_a_tampered_count_and_match_are_named(busy_campaign):
    Campaign.objects.filter(pk=busy_campaign.pk).update(
        contributor_count=2, matched_amount=Decimal("12.00")
    )
    _, errors = run_failing()
    assert "contributor_count is 2 but it has 3 confirmed contribution(s) (difference -1)" in errors
    assert "matched_amount is 12.00 but its confirmed allocations total 0.00" in errors


def test_a_confirmed_contribution_without_its_payment(busy_campaign):
    extra = contribution(busy_campaign, "5.00", state=ContributionState.CONFIRMED)
    Campaign.objects.filter(pk=busy_campaign.pk).update(
        raised_amount=F("raised_amount") + 5, contributor_count=F("contributor_count") + 1
    )
    _, errors = run_failing()
    assert f"confirmed online contribution {extra.pk} of 5.00 has 0 confirmed payment" in errors


def test_money_taken_but_not_counted(busy_campaign):
    pending = Payment.objects.get(state=PaymentState.PENDING)
    Payment.objects.filter(pk=pending.pk).update(state=PaymentState.CONFIRMED)
    _, errors = run_failing()
    assert (
        f"contribution {pending.contribution_id} is pending but has a confirmed payment" in errors
    )


def test_a_refunded_contribution_without_a_done_refund(busy_campaign):
    refunded = Contribution.objects.get(state=ContributionState.REFUNDED)
    Payment.objects.get(contribution=refunded).refund.__class__.objects.update(state="created")
    _, errors = run_failing()
    assert f"refunded contribution {refunded.pk} has 0 done refund(s)" in errors


def test_an_overspent_pot_is_named(busy_campaign):
    from tremplin.funding.models import MatchfundingPot

    MatchfundingPot.objects.create(
        programme=busy_campaign.programme,
        funder_name="Métropole",
        budget=Decimal("1000.00"),
        rule="ratio",
        allocated=Decimal("50.00"),
    )
    _, errors = run_failing()
    assert (
        f"matchfunding pot of programme {busy_campaign.programme.slug}: allocated is 50.00"
        in errors
    )
