"""News updates and comments on a public campaign, and their moderation (the reports of
comments: ``campaigns.reporting``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns import signals
from tremplin.campaigns.enums import PUBLIC_STATES, CommentState
from tremplin.campaigns.errors import CampaignError, refuse
from tremplin.campaigns.mails import mail_context
from tremplin.campaigns.models import Campaign, CampaignUpdate, Comment
from tremplin.campaigns.rules import can_moderate, is_maker
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit

# --- news updates ---------------------------------------------------------------------------


def post_update(campaign: Campaign, *, user, title: str, body: str) -> CampaignUpdate:
    """The maker posts news; contributors who opted in get it by e-mail once (a task)."""
    from tremplin.campaigns.tasks import send_update_emails

    if not is_maker(user, campaign):
        raise refuse()
    if campaign.state not in PUBLIC_STATES:
        raise CampaignError(_("News can be posted once the campaign is live."), code="state")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise CampaignError(_("Give the news a title and a text."), code="required")
    with transaction.atomic():
        update = CampaignUpdate.objects.create(
            campaign=campaign, title=title, body=body, author=user
        )
        log_action(
            "tremplin.campaign.update_posted", obj=campaign, user=user, data={"title": title}
        )
        update_id = update.pk
        transaction.on_commit(lambda: send_update_emails.enqueue(update_id))
    return update


def news_recipients(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(e-mail, language, name) of the contributors who asked for the news, one per address
    (their latest contribution's language): funding answers ``signals.news_recipients``."""
    return list(signals.ask(signals.news_recipients, campaign=campaign) or [])


def email_update(update_id: int, now: datetime | None = None) -> int:
    """Send a news update to its campaign's opted-in contributors, once: ``emailed_at`` is
    claimed with a conditional UPDATE. Returns the number of e-mails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        if (
            CampaignUpdate.objects.filter(pk=update_id, emailed_at__isnull=True).update(
                emailed_at=now
            )
            != 1
        ):
            return 0
        update = CampaignUpdate.objects.select_related(
            "campaign__programme__organiser", "campaign__application"
        ).get(pk=update_id)
        campaign = update.campaign
        recipients = news_recipients(campaign)
        for email, language, name in recipients:
            send_mail_on_commit(
                "campaigns/email/news_update",
                email,
                mail_context(
                    campaign,
                    contributor_name=name,
                    update_title=update.title,
                    update_body=update.body,
                    updates_path=reverse("campaigns:updates", args=[campaign.slug]),
                ),
                language=language or "fr",
            )
        log_action(
            "tremplin.campaign.update_emailed",
            obj=campaign,
            data={"title": update.title, "emails": len(recipients)},
        )
    return len(recipients)


# --- comments -------------------------------------------------------------------------------


def comment_author_name(user) -> str:
    return (user.full_name or "").strip()[:100]


def post_comment(
    campaign: Campaign, *, user, body: str, author_name: str = "", reply_to: Comment | None = None
) -> Comment:
    """A signed-in visitor comments a public campaign; the maker (or organiser) may answer
    a comment (``reply_to``)."""
    if not user.is_authenticated:
        raise refuse()
    if campaign.state not in PUBLIC_STATES:
        raise CampaignError(_("Comments open when the campaign is live."), code="state")
    body = (body or "").strip()
    if not body:
        raise CampaignError(_("Write a comment."), code="required")
    if reply_to is not None:
        if reply_to.campaign_id != campaign.pk:
            raise CampaignError(_("This comment belongs to another campaign."))
        if not can_moderate(user, campaign):
            raise refuse()
        if reply_to.reply_to_id is not None:
            reply_to = reply_to.reply_to
    name = (author_name or "").strip()[:100] or comment_author_name(user)
    if not name:
        raise CampaignError(_("Give the name to show with your comment."), code="name")
    with transaction.atomic():
        comment = Comment.objects.create(
            campaign=campaign, author=user, author_name=name, body=body, reply_to=reply_to
        )
        if reply_to is not None:
            log_action("tremplin.campaign.comment_answered", obj=campaign, user=user)
    return comment


def hide_comment(comment: Comment, *, user, hidden: bool = True) -> Comment:
    """The maker or the organiser hides (or shows again) a comment."""
    campaign = comment.campaign
    if not can_moderate(user, campaign):
        raise refuse()
    with transaction.atomic():
        state = CommentState.HIDDEN if hidden else CommentState.VISIBLE
        values: dict[str, Any] = {"state": state, "moderated_by": user}
        if not hidden:
            values["report_count"] = 0
        Comment.objects.filter(pk=comment.pk).update(**values)
        log_action(
            "tremplin.campaign.comment_hidden" if hidden else "tremplin.campaign.comment_shown",
            obj=campaign,
            user=user,
            data={"name": comment.author_name},
        )
    comment.refresh_from_db()
    return comment
