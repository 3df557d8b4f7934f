"""Funding's answers to campaigns' signals (``tremplin.campaigns.signals``), connected in
``FundingConfig.ready``. Each runs in the sender's transaction."""

from __future__ import annotations

from django.dispatch import receiver

from tremplin.campaigns import signals
from tremplin.funding import contributors, settlement


@receiver(signals.campaign_closed, dispatch_uid="funding.close_funds")
def close_funds(sender, campaign, **kwargs):
    """The money side of the close (refunds, matched funds, contributors' e-mails), once."""
    return settlement.close_funds(campaign)


@receiver(signals.contributors_page, dispatch_uid="funding.contributors_page")
def contributors_page(sender, campaign, number, size, **kwargs):
    return contributors.contributors_page(campaign, number, size)


@receiver(signals.matched_funder, dispatch_uid="funding.matched_funder")
def matched_funder(sender, campaign, **kwargs):
    return contributors.funder_name(campaign)


@receiver(signals.contributors_export, dispatch_uid="funding.contributors_export")
def contributors_export(sender, campaign, **kwargs):
    return contributors.maker_export(campaign)


@receiver(signals.news_recipients, dispatch_uid="funding.news_recipients")
def news_recipients(sender, campaign, **kwargs):
    return contributors.news_recipients(campaign)
