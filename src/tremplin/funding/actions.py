"""Audit actions of contributions, matchfunding and settlement:
constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.funding.enums import ContributionSource

CONTRIBUTION_OFFLINE_RECORDED = "tremplin.contribution.offline_recorded"
CONTRIBUTION_OFFLINE_REFUNDED = "tremplin.contribution.offline_refunded"
CONTRIBUTION_REWARD_UNAVAILABLE = "tremplin.contribution.reward_unavailable"
CONTRIBUTIONS_IMPORTED = "tremplin.contributions.imported"
CONTRIBUTIONS_EXPORTED = "tremplin.contributions.exported"
MATCHFUNDING_CREATED = "tremplin.matchfunding.created"
MATCHFUNDING_CHANGED = "tremplin.matchfunding.changed"
CAMPAIGN_FUNDING_CLOSED = "tremplin.campaign.funding_closed"
CAMPAIGN_SETTLEMENT = "tremplin.campaign.settlement"
CAMPAIGN_STATEMENT_EXPORTED = "tremplin.campaign.statement_exported"

LABELS = {
    CONTRIBUTION_OFFLINE_RECORDED: _("Offline contribution recorded"),
    CONTRIBUTION_OFFLINE_REFUNDED: _("Offline contribution marked as refunded"),
    CONTRIBUTION_REWARD_UNAVAILABLE: _("Late payment: the reward had sold out in the meantime"),
    CONTRIBUTIONS_IMPORTED: _("Offline contributions imported from a CSV file"),
    CONTRIBUTIONS_EXPORTED: _("Contributions exported"),
    MATCHFUNDING_CREATED: _("Matchfunding pot set up"),
    MATCHFUNDING_CHANGED: _("Matchfunding pot changed"),
    CAMPAIGN_FUNDING_CLOSED: _("Contributions closed (refunds requested on a failure)"),
    CAMPAIGN_SETTLEMENT: _("Settlement statement recorded"),
    CAMPAIGN_STATEMENT_EXPORTED: _("Settlement statement exported"),
}

DATA_LABELS = {
    "source": _("paid by"),
    "funder": _("funder"),
    "reward": _("reward"),
    "refunds_requested": _("refunds requested"),
    "offline_to_refund": _("offline contributions to refund by hand"),
    "matched_released": _("matched funds given back (€)"),
    "online": _("raised online (€)"),
    "offline": _("raised offline (€)"),
    "refunded": _("refunded (€)"),
    "fees": _("fees (€)"),
    "net_payout": _("net payout (€)"),
}

VALUE_CHOICES = (ContributionSource,)
