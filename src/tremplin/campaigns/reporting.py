"""Reports of public comments: who reported (one report per signed-in visitor, one per
address for anonymous ones), rate limits per address and per account, the automatic hiding
(only on the reports of distinct signed-in visitors) and the moderators told once.

Issue #9: three anonymous reports from three cookie jars used to hide any comment. Now an
anonymous report only flags the comment for the maker and the organiser, who decide."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tremplin.campaigns import actions
from tremplin.campaigns.enums import CommentState
from tremplin.campaigns.mails import mail_moderators
from tremplin.campaigns.models import Comment, CommentReport
from tremplin.core import ratelimit
from tremplin.core.audit import log_action

# Distinct signed-in visitors whose reports hide a comment until a moderator looks at it.
AUTO_HIDE_REPORTERS = 3
# Reports one address, or one account, may send per window (whatever the comment).
REPORTS_PER_ADDRESS = 10
REPORTS_PER_ACCOUNT = 10
REPORT_WINDOW = 3600


def address_hash(address: str) -> str:
    """A keyed hash of the visitor's address: reports from one address are recognised
    without keeping the address."""
    key = hashlib.sha256(f"campaigns.report:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def may_report(*, user, address: str) -> bool:
    """Count one report attempt against the address and the account (if signed in);
    False when either is over its limit (nothing is recorded then)."""
    allowed = ratelimit.allow(
        "report-address", address_hash(address), limit=REPORTS_PER_ADDRESS, window=REPORT_WINDOW
    )
    if user is not None and getattr(user, "is_authenticated", False):
        allowed = (
            ratelimit.allow(
                "report-account", str(user.pk), limit=REPORTS_PER_ACCOUNT, window=REPORT_WINDOW
            )
            and allowed
        )
    return allowed


def report_comment(comment: Comment, *, user=None, address: str = "") -> bool:
    """Record a report of ``comment`` by ``user`` (None: anonymous, recognised by
    ``address``). Returns False when this visitor had reported it already (nothing
    changes). The comment is flagged for the moderators (``report_count``); it is hidden
    at ``AUTO_HIDE_REPORTERS`` distinct signed-in reporters, unless a moderator has shown
    it again (they decided). The maker and the organiser are told once per comment."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    report = CommentReport(
        comment=comment, user=user if signed_in else None, address_hash=address_hash(address)
    )
    with transaction.atomic():
        # The comment's row is locked first: concurrent reports of one comment count one
        # after the other, so that the last of the reporters needed always hides it.
        Comment.objects.select_for_update().filter(pk=comment.pk).first()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return False
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        hidden = 0
        if signed_in:
            reporters = (
                CommentReport.objects.filter(comment=comment, user__isnull=False)
                .values("user")
                .distinct()
                .count()
            )
            if reporters >= AUTO_HIDE_REPORTERS:
                hidden = Comment.objects.filter(
                    Q(pk=comment.pk) & Q(state=CommentState.VISIBLE) & Q(moderated_by__isnull=True)
                ).update(state=CommentState.HIDDEN)
        campaign = comment.campaign
        if hidden:
            log_action(
                actions.CAMPAIGN_COMMENT_AUTO_HIDDEN,
                obj=campaign,
                data={"name": comment.author_name, "count": AUTO_HIDE_REPORTERS},
            )
        else:
            # Who reported stays in ``CommentReport``: the history names nobody.
            log_action(
                actions.CAMPAIGN_COMMENT_REPORTED,
                obj=campaign,
                data={"name": comment.author_name},
            )
        told = Comment.objects.filter(pk=comment.pk, moderators_told_at__isnull=True).update(
            moderators_told_at=timezone.now()
        )
        if told:
            org = campaign.programme.organiser.slug
            mail_moderators(
                campaign,
                "comment_reported",
                comment_author=comment.author_name,
                comment_body=comment.body[:500],
                hidden=bool(hidden),
                auto_hide_reporters=AUTO_HIDE_REPORTERS,
                moderation_path=reverse("campaigns_manage:detail", args=[org, campaign.slug])
                + "#moderation",
            )
    comment.refresh_from_db()
    return True
