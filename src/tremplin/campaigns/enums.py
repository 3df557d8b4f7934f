from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingRule(models.TextChoices):
    ALL_OR_NOTHING = (
        "all_or_nothing",
        _("All or nothing (everyone is refunded if the goal is missed)"),
    )
    KEEP_IT_ALL = "keep_it_all", _("Keep it all")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CLOSED = "closed", _("Closed")
    SETTLED = "settled", _("Settled")


class CommentState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")


class ReviewKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


# --- state groups and the transition table (the one writer: campaigns.lifecycle) -----------

# A campaign's outcome at its deadline.
CLOSED_OUTCOMES = (CampaignState.SUCCEEDED, CampaignState.FAILED, CampaignState.CLOSED)
# Public but no longer taking contributions.
ENDED_STATES = (*CLOSED_OUTCOMES, CampaignState.SETTLED)
# The page is public (and open to news and comments).
PUBLIC_STATES = (CampaignState.LIVE, *ENDED_STATES)
# The maker builds the page in these states; everything can change.
EDITABLE_STATES = (CampaignState.DRAFT, CampaignState.CHANGES_REQUESTED)
# Reviewed or approved: the page is frozen until changes are requested.
REVIEWED_STATES = (CampaignState.IN_REVIEW, CampaignState.APPROVED, CampaignState.SCHEDULED)
# Once a campaign of the programme is in one of these, its funding rule is fixed.
RULE_LOCKING_STATES = (CampaignState.SCHEDULED, *PUBLIC_STATES)

CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    CampaignState.DRAFT: {CampaignState.IN_REVIEW},
    CampaignState.IN_REVIEW: {CampaignState.CHANGES_REQUESTED, CampaignState.APPROVED},
    CampaignState.CHANGES_REQUESTED: {CampaignState.IN_REVIEW},
    CampaignState.APPROVED: {CampaignState.CHANGES_REQUESTED, CampaignState.SCHEDULED},
    # A scheduled campaign can be rescheduled (new dates), sent back, or go live.
    CampaignState.SCHEDULED: {
        CampaignState.SCHEDULED,
        CampaignState.CHANGES_REQUESTED,
        CampaignState.LIVE,
    },
    CampaignState.LIVE: set(CLOSED_OUTCOMES),
    CampaignState.SUCCEEDED: {CampaignState.SETTLED},
    CampaignState.FAILED: {CampaignState.SETTLED},
    CampaignState.CLOSED: {CampaignState.SETTLED},
    CampaignState.SETTLED: set(),
}
