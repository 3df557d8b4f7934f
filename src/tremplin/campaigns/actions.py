"""Audit actions of the campaigns: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.enums import CampaignState

PROGRAMME_CAMPAIGNS_STARTED = "tremplin.programme.campaigns_started"
PROGRAMME_CAMPAIGNS_CLOSED = "tremplin.programme.campaigns_closed"
CAMPAIGN_SETTINGS_CHANGED = "tremplin.campaign_settings.changed"
CAMPAIGN_CREATED = "tremplin.campaign.created"
CAMPAIGN_CHANGED = "tremplin.campaign.changed"
CAMPAIGN_COACH_ASSIGNED = "tremplin.campaign.coach_assigned"
CAMPAIGN_SUBMITTED = "tremplin.campaign.submitted"
CAMPAIGN_CHANGES_REQUESTED = "tremplin.campaign.changes_requested"
CAMPAIGN_APPROVED = "tremplin.campaign.approved"
CAMPAIGN_REVIEW_COMMENT = "tremplin.campaign.review_comment"
CAMPAIGN_SCHEDULED = "tremplin.campaign.scheduled"
CAMPAIGN_LAUNCHED = "tremplin.campaign.launched"
CAMPAIGN_CLOSED = "tremplin.campaign.closed"
CAMPAIGN_SETTLED = "tremplin.campaign.settled"
CAMPAIGN_UPDATE_POSTED = "tremplin.campaign.update_posted"
CAMPAIGN_UPDATE_EMAILED = "tremplin.campaign.update_emailed"
CAMPAIGN_COMMENT_ANSWERED = "tremplin.campaign.comment_answered"
CAMPAIGN_COMMENT_HIDDEN = "tremplin.campaign.comment_hidden"
CAMPAIGN_COMMENT_SHOWN = "tremplin.campaign.comment_shown"
CAMPAIGN_COMMENT_AUTO_HIDDEN = "tremplin.campaign.comment_auto_hidden"
CAMPAIGN_COMMENT_REPORTED = "tremplin.campaign.comment_reported"

LABELS = {
    PROGRAMME_CAMPAIGNS_STARTED: _("Campaigns started"),
    PROGRAMME_CAMPAIGNS_CLOSED: _("Every campaign is over"),
    CAMPAIGN_SETTINGS_CHANGED: _("Crowdfunding settings changed"),
    CAMPAIGN_CREATED: _("Campaign created"),
    CAMPAIGN_CHANGED: _("Campaign page changed"),
    CAMPAIGN_COACH_ASSIGNED: _("Coach assigned"),
    CAMPAIGN_SUBMITTED: _("Campaign page submitted for review"),
    CAMPAIGN_CHANGES_REQUESTED: _("Changes requested on the campaign page"),
    CAMPAIGN_APPROVED: _("Campaign page approved"),
    CAMPAIGN_REVIEW_COMMENT: _("Review comment added"),
    CAMPAIGN_SCHEDULED: _("Campaign scheduled"),
    CAMPAIGN_LAUNCHED: _("Campaign launched"),
    CAMPAIGN_CLOSED: _("Campaign closed at its deadline"),
    CAMPAIGN_SETTLED: _("Campaign settled"),
    CAMPAIGN_UPDATE_POSTED: _("News posted"),
    CAMPAIGN_UPDATE_EMAILED: _("News e-mailed to the contributors"),
    CAMPAIGN_COMMENT_ANSWERED: _("Comment answered"),
    CAMPAIGN_COMMENT_HIDDEN: _("Comment hidden"),
    CAMPAIGN_COMMENT_SHOWN: _("Comment shown again"),
    CAMPAIGN_COMMENT_AUTO_HIDDEN: _("Comment hidden after reports"),
    CAMPAIGN_COMMENT_REPORTED: _("Comment reported"),
}

DATA_LABELS = {
    "starts_at": _("start"),
    "ends_at": _("deadline"),
    "raised": _("raised (€)"),
    "matched": _("matched (€)"),
    "contributors": _("contributors"),
}

VALUE_CHOICES = (CampaignState,)
