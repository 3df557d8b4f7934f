"""What a payment does to its contribution, the campaign's totals and the reward stock:
confirmation, failure, expiry of the checkout, late confirmation, refund. Through the real
payments services (sandbox provider, in process)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.funding.helpers import GOOD_CARD, checkout, contribute, decline, pay
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.funding.enums import ContributionState
from tremplin.funding.expiry import expire_pending_checkouts
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution
from tremplin.funding.offline import record_offline
from tremplin.funding.receivers import (
    confirm_paid_contribution,
    fail_unpaid_contribution,
    refund_paid_contribution,
)
from tremplin.payments import services as payments
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox import api

pytestmark = pytest.mark.django_db


def _totals(campaign) -> tuple[Decimal, int]:
    campaign.refresh_from_db()
    return campaign.raised_amount, campaign.contributor_count


def test_confirmation_counts_the_contribution_and_mails_the_contributor(
    campaign, reward, django_capture_on_commit_callbacks
):
    contribution = checkout(campaign, "20,00", reward=reward.pk, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        pay(contribution)
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.CONFIRMED
    assert contribution.confirmed_at is not None
    assert contribution.expires_at is None
    assert _totals(campaign) == (Decimal("20.00"), 1)
    reward.refresh_from_db()
    assert reward.claimed == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"]
    assert campaign.title in message.subject
    assert "€20.00" in message.body
    assert "Carte postale" in message.body


def test_confirmation_mail_in_the_contributors_language(
    campaign, django_capture_on_commit_callbacks
):
    contribution = checkout(campaign, "12,50", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        pay(contribution)
    # Rendered in French (the catalogue's sentences come at the end; the number format
    # shows the language).
    assert "12,50\u00a0€" in mail.outbox[0].body


def test_duplicate_confirmation_counts_once(campaign):
    contribution = checkout(campaign, "25")
    payment = pay(contribution)
    payments.confirm_payment(payment.pk)
    confirm_paid_contribution(Payment.objects.get(pk=payment.pk))
    assert _totals(campaign) == (Decimal("25.00"), 1)


def test_failure_releases_the_hold_once(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    reward.refresh_from_db()
    assert reward.claimed == 1
    payment = decline(contribution)
    payments.fail_payment(payment.pk, reason="again")
    fail_unpaid_contribution(Payment.objects.get(pk=payment.pk))
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.FAILED
    assert reward.claimed == 0
    assert _totals(campaign) == (Decimal("0.00"), 0)


def test_failure_of_one_payment_waits_for_another_open_one(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    first = payments.create_payment(contribution)
    payments.create_payment(contribution)
    payments.fail_payment(first.pk, reason="card_declined")
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.PENDING
    assert reward.claimed == 1


def test_expiry_cancels_and_releases_once(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    payment = payments.create_payment(contribution)
    later = timezone.now() + timedelta(minutes=31)
    assert expire_pending_checkouts(later) == 1
    assert expire_pending_checkouts(later) == 0
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.CANCELLED
    assert reward.claimed == 0
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.CANCELLED


def test_expiry_leaves_recent_and_confirmed_checkouts(campaign, reward):
    recent = checkout(campaign, "20", reward=reward.pk)
    paid = contribute(campaign, "20", reward=reward.pk)
    assert expire_pending_checkouts() == 0
    Contribution.objects.filter(pk=paid.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    assert expire_pending_checkouts(timezone.now() + timedelta(minutes=5)) == 0
    recent.refresh_from_db()
    assert recent.state == ContributionState.PENDING
    reward.refresh_from_db()
    assert reward.claimed == 2


def test_failure_after_expiry_does_not_release_twice(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    payment = payments.create_payment(contribution)
    expire_pending_checkouts(timezone.now() + timedelta(minutes=31))
    fail_unpaid_contribution(Payment.objects.get(pk=payment.pk))
    reward.refresh_from_db()
    assert reward.claimed == 0


def test_expire_checkouts_command(campaign, reward):
    from io import StringIO

    contribution = checkout(campaign, "20", reward=reward.pk)
    Contribution.objects.filter(pk=contribution.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("expire-checkouts", stdout=out)
    assert "1 expired checkout" in out.getvalue()
    reward.refresh_from_db()
    assert reward.claimed == 0


def test_late_confirmation_after_expiry_counts_and_reclaims_the_reward(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    payment = payments.create_payment(contribution)
    expire_pending_checkouts(timezone.now() + timedelta(minutes=31))
    payments.confirm_payment(payment.pk)
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.CONFIRMED
    assert not contribution.reward_unavailable
    assert reward.claimed == 1
    assert _totals(campaign) == (Decimal("20.00"), 1)


def test_late_confirmation_when_the_reward_sold_out_is_flagged(campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    payment = payments.create_payment(contribution)
    expire_pending_checkouts(timezone.now() + timedelta(minutes=31))
    RewardTier.objects.filter(pk=reward.pk).update(claimed=10)
    payments.confirm_payment(payment.pk)
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.CONFIRMED
    assert contribution.reward_unavailable
    assert reward.claimed == 10  # never oversold
    assert _totals(campaign) == (Decimal("20.00"), 1)


def test_refund_done_uncounts_and_releases(campaign, reward, django_capture_on_commit_callbacks):
    contribution = contribute(campaign, "20", reward=reward.pk)
    payment = Payment.objects.get(contribution=contribution)
    with django_capture_on_commit_callbacks(execute=True):
        refund = payments.request_refund(payment)
    refund.refresh_from_db()
    assert refund.state == "done"
    contribution.refresh_from_db()
    reward.refresh_from_db()
    assert contribution.state == ContributionState.REFUNDED
    assert contribution.refunded_at is not None
    assert reward.claimed == 0
    assert _totals(campaign) == (Decimal("0.00"), 0)
    # A second "done" changes nothing.
    refund_paid_contribution(refund)
    assert _totals(campaign) == (Decimal("0.00"), 0)


def test_confirmation_after_a_failed_close_is_refunded_at_once(
    campaign, django_capture_on_commit_callbacks
):
    contribution = checkout(campaign, "25")
    payment = payments.create_payment(contribution)
    api.pay(payment.provider_reference, GOOD_CARD)
    Campaign.objects.filter(pk=campaign.pk).update(state="failed")
    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_payment(payment.pk)
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.REFUNDED
    assert _totals(campaign) == (Decimal("0.00"), 0)
    assert not mail.outbox  # no "thank you" for money going straight back


# --- the thank-you page -----------------------------------------------------------------------


def test_thanks_page_pending_then_confirmed(client, campaign):
    contribution = checkout(campaign, "25")
    url = reverse("funding:thanks", args=[contribution.idempotency_key])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "waiting for the payment confirmation" in body
    assert 'hx-trigger="every 3s"' in body
    assert '<meta http-equiv="refresh" content="3">' in body  # inside <noscript>
    assert response["Cache-Control"] == "no-store"
    pay(contribution)
    body = client.get(url).content.decode()
    assert "Thank you for your contribution!" in body
    assert "€25" in body
    assert "hx-trigger" not in body
    assert "camille@example.org" not in body


def test_thanks_page_failed_offers_to_try_again(client, campaign, reward):
    contribution = checkout(campaign, "20", reward=reward.pk)
    decline(contribution)
    response = client.get(reverse("funding:thanks", args=[contribution.idempotency_key]))
    body = response.content.decode()
    assert "did not go through" in body
    assert "Nothing was charged" in body
    retry = reverse("funding:contribute", args=[campaign.slug]) + f"?contrepartie={reward.pk}"
    assert retry in body


def test_thanks_page_shows_no_one_elses_data(client, campaign):
    mine = checkout(campaign, "25", name="Camille Martin")
    other = contribute(campaign, "40", name="Dominique Secret", email="secret@example.org")
    body = client.get(reverse("funding:thanks", args=[mine.idempotency_key])).content.decode()
    assert other.name not in body
    assert other.email not in body


@pytest.mark.parametrize("key", ["nope", "0" * 32, "offline-" + "0" * 32, "A" * 32])
def test_thanks_page_unknown_key_is_404(client, key):
    assert client.get(reverse("funding:thanks", args=[key])).status_code == 404


def test_offline_contribution_has_no_thanks_page(client, campaign, manager):
    row = OfflineRow(
        amount=Decimal("10"), name="Cash", source="cash", received_on=timezone.localdate()
    )
    contribution = record_offline(campaign, row, user=manager)
    assert (
        client.get(reverse("funding:thanks", args=[contribution.idempotency_key])).status_code
        == 404
    )
