"""Donors' receivers, connected in ``DonorsConfig.ready`` (after funding's, so a close's
money side has run when the receipts are issued).

- ``campaigns.signals.campaign_closed``: a campaign that kept its gifts (SUCCEEDED, or
  CLOSED keep-it-all) issues its receipts in the close's transaction
  (``receipts.issue_campaign_receipts``); a FAILED one issues none (everyone is refunded).
- ``post_save`` of ``funding.Contribution`` — the one place where both an online refund
  (``payments.signals.refund_done`` → funding) and an offline refund recorded by the
  organiser end (``funding.contributions.refund_contribution`` saves ``state``):
  a contribution that becomes REFUNDED cancels its receipt in the refund's own transaction,
  under the contribution's row lock; a contribution that becomes CONFIRMED (a late payment
  or an offline gift recorded after the close) gets its receipt right after that
  transaction commits, when its campaign has kept its gifts (``issue_receipt`` checks)."""

from __future__ import annotations

from django.db import transaction

from tremplin.campaigns.enums import CampaignState
from tremplin.donors.receipts import cancel_receipt_of, issue_campaign_receipts, issue_receipt
from tremplin.funding.enums import ContributionState


def campaign_closed_receiver(sender, campaign, now=None, **kwargs) -> None:
    if campaign.state in (CampaignState.SUCCEEDED, CampaignState.CLOSED):
        issue_campaign_receipts(campaign, now=now)


def contribution_saved_receiver(sender, instance, created, update_fields=None, **kwargs) -> None:
    state_written = created or update_fields is None or "state" in update_fields
    if not state_written:
        return
    if instance.state == ContributionState.REFUNDED:
        cancel_receipt_of(instance)
    elif instance.state == ContributionState.CONFIRMED:
        pk = instance.pk
        transaction.on_commit(lambda: issue_receipt(pk))
