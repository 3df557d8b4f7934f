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
