"""Funding's receivers of the signals of the apps below it, connected in
``FundingConfig.ready``; each runs in the sender's transaction.

Payments. What a payment means for its contribution. ``tremplin.payments`` sends its signals
(``payments.signals``) inside its own transaction, the payment row locked; the receivers
below run there too (Django signals are synchronous), so the campaign's totals move exactly
when the payment does.

- ``payment_confirmed`` → ``confirm_paid_contribution``: PENDING, FAILED or CANCELLED →
  CONFIRMED, campaign totals with F(), matchfunding;
- ``payment_failed`` → ``fail_unpaid_contribution``: PENDING → FAILED, the reward hold
  released once;
- ``refund_done`` → ``refund_paid_contribution``: CONFIRMED → REFUNDED, totals and
  matchfunding given back.

Locks are always taken in the same order (payment → contribution → campaign → matchfunding
pot), so two transactions never wait on each other in a cycle.

A *late* confirmation (the checkout expired or failed, then the provider confirms the
payment anyway) is still counted, because the money was taken: the reward is claimed again
if stock remains, otherwise the contribution is flagged ``reward_unavailable`` for the
organiser. If the campaign has already failed (all-or-nothing), the late payment is
refunded at once; if it has closed otherwise, it counts but is not matched.

Campaigns. The money side of a close (``campaign_closed``) and what the campaign pages and
the news e-mails need from the contributions (``contributors_page``, ``matched_funder``,
``contributors_export``, ``news_recipients``)."""

from __future__ import annotations

from django.utils import timezone

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.funding import contributors, settlement
from tremplin.funding.contributions import (
    confirm_contribution,
    fail_contribution,
    lock_contribution,
    mail_confirmed,
    organiser_of,
    refund_contribution,
)
from tremplin.funding.enums import ContributionState
from tremplin.funding.matchfunding import allocate_match
from tremplin.funding.rewards import hold_reward
from tremplin.payments import services as payments
from tremplin.payments.enums import PAYMENT_OPEN

# --- the receivers (connected in FundingConfig.ready) ---------------------------------------


def payment_confirmed_receiver(sender, payment, **kwargs) -> None:
    confirm_paid_contribution(payment)


def payment_failed_receiver(sender, payment, **kwargs) -> None:
    fail_unpaid_contribution(payment)


def refund_done_receiver(sender, refund, **kwargs) -> None:
    refund_paid_contribution(refund)


# --- the payment effects ----------------------------------------------------------------------


def confirm_paid_contribution(payment) -> None:
    """The provider confirmed ``payment`` (inside payments' transaction, the payment row
    locked). PENDING, FAILED or CANCELLED → CONFIRMED; a contribution already CONFIRMED or
    REFUNDED is left alone."""
    contribution = lock_contribution(payment.contribution_id)
    if contribution.state in (ContributionState.CONFIRMED, ContributionState.REFUNDED):
        return
    late = contribution.state != ContributionState.PENDING
    # A late confirmation: the hold was released when the checkout expired or failed.
    reclaim = late and contribution.reward_id and not contribution.reward_unavailable
    if reclaim and not hold_reward(contribution.reward_id):
        contribution.reward_unavailable = True
        log_action(
            "tremplin.contribution.reward_unavailable",
            obj=contribution,
            data={"reward": contribution.reward_id},
            organiser=organiser_of(contribution.campaign_id),
        )
    confirm_contribution(contribution, timezone.now())
    campaign = Campaign.objects.only("pk", "state", "programme_id").get(pk=contribution.campaign_id)
    if campaign.state == CampaignState.LIVE:
        allocate_match(contribution, programme_id=campaign.programme_id)
    elif campaign.state == CampaignState.FAILED:
        # Money taken after an all-or-nothing failure goes straight back.
        payments.request_refund(payment)
        return
    mail_confirmed(contribution)


def fail_unpaid_contribution(payment) -> None:
    """The payment failed or was declined (inside payments' transaction). The contribution
    becomes FAILED and its reward hold is released — once: only while it is still PENDING
    and no other payment of it is still open."""
    contribution = lock_contribution(payment.contribution_id)
    if contribution.state != ContributionState.PENDING:
        return
    still_open = (
        contribution.payments.filter(state__in=PAYMENT_OPEN).exclude(pk=payment.pk).exists()
    )
    if still_open:
        return
    fail_contribution(contribution)


def refund_paid_contribution(refund) -> None:
    """The provider has refunded ``refund.payment`` (inside payments' transaction).
    CONFIRMED → REFUNDED, campaign totals decreased, the contribution's matched funds given
    back to the pot, its reward unit released."""
    contribution = lock_contribution(refund.payment.contribution_id)
    if contribution.state != ContributionState.CONFIRMED:
        return
    refund_contribution(contribution, timezone.now())


# --- campaigns' signals ------------------------------------------------------------------


def campaign_closed_receiver(sender, campaign, **kwargs):
    """The money side of the close (refunds, matched funds, contributors' e-mails), once."""
    return settlement.close_funds(campaign)


def contributors_page_receiver(sender, campaign, number, size, **kwargs):
    return contributors.contributors_page(campaign, number, size)


def matched_funder_receiver(sender, campaign, **kwargs):
    return contributors.funder_name(campaign)


def contributors_export_receiver(sender, campaign, **kwargs):
    return contributors.maker_export(campaign)


def news_recipients_receiver(sender, campaign, **kwargs):
    return contributors.news_recipients(campaign)
