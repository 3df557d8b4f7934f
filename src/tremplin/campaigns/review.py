"""The review before launch: the maker submits the page, the coach (or the organiser)
requests changes or approves it, the organiser schedules it. Each state change goes through
``campaigns.lifecycle.set_campaign_state``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns import signals
from tremplin.campaigns.clock import launch
from tremplin.campaigns.enums import EDITABLE_STATES, REVIEWED_STATES, CampaignState, ReviewKind
from tremplin.campaigns.errors import CampaignError, refuse, wrong_state
from tremplin.campaigns.lifecycle import lock_campaign, set_campaign_state
from tremplin.campaigns.mails import iso, mail_coach, mail_maker, mail_reviewers
from tremplin.campaigns.models import Campaign, ReviewNote
from tremplin.campaigns.rules import can_review, is_maker, is_organiser_editor
from tremplin.campaigns.sanitize import sanitize_html
from tremplin.campaigns.signals import page_published
from tremplin.core.audit import log_action
from tremplin.core.money import format_money

MAX_REVIEW_MESSAGE = 5000


def missing_for_review(campaign: Campaign) -> list[str]:
    """What the page still lacks before it can be reviewed, as sentences for the maker."""
    missing = []
    if not (campaign.pitch or "").strip():
        missing.append(_("a pitch"))
    if not sanitize_html(campaign.description or "").strip():
        missing.append(_("a description"))
    if not campaign.images.exists():
        missing.append(_("at least one image"))
    if not campaign.goal:
        missing.append(_("a goal"))
    if not (campaign.starts_at and campaign.ends_at):
        missing.append(_("start and end dates"))
    elif campaign.starts_at >= campaign.ends_at:
        missing.append(_("an end date after the start date"))
    return missing


def checklist_blockers(campaign: Campaign) -> list[str]:
    """What the apps above (coaching's readiness checklist) still require, with why."""
    return list(signals.ask(signals.submission_blockers, campaign=campaign) or [])


def submit_for_review(campaign: Campaign, *, user) -> Campaign:
    if not is_maker(user, campaign):
        raise refuse()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.state not in EDITABLE_STATES:
            raise wrong_state(locked.state, _("submitted for review"))
        missing = missing_for_review(locked)
        if missing:
            raise CampaignError(
                _("The page is not complete. It still needs: %(missing)s.")
                % {"missing": ", ".join(str(item) for item in missing)},
                code="incomplete",
            )
        blockers = checklist_blockers(locked)
        if blockers:
            raise CampaignError(
                _("The readiness checklist is not complete: %(missing)s.")
                % {"missing": "; ".join(blockers)},
                code="checklist",
            )
        locked.submitted_at = timezone.now()
        set_campaign_state(
            locked, CampaignState.IN_REVIEW, user=user, action="tremplin.campaign.submitted"
        )
        mail_reviewers(locked, "submitted")
    campaign.refresh_from_db()
    return campaign


def _clean_message(message: str, *, required: bool) -> str:
    message = (message or "").strip()
    if required and not message:
        raise CampaignError(_("Write what should change."), code="message_required")
    if len(message) > MAX_REVIEW_MESSAGE:
        raise CampaignError(
            _("The message is too long (%(max)s characters at most).")
            % {"max": MAX_REVIEW_MESSAGE},
            code="message_too_long",
        )
    return message


def request_changes(campaign: Campaign, *, user, message: str) -> Campaign:
    """The coach or the organiser sends the page back to the maker with what to change."""
    if not can_review(user, campaign):
        raise refuse()
    message = _clean_message(message, required=True)
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.state not in REVIEWED_STATES:
            raise wrong_state(locked.state, _("sent back for changes"))
        ReviewNote.objects.create(
            campaign=locked, author=user, kind=ReviewKind.CHANGES_REQUESTED, body=message
        )
        locked.approved_at = None
        set_campaign_state(
            locked,
            CampaignState.CHANGES_REQUESTED,
            user=user,
            action="tremplin.campaign.changes_requested",
        )
        mail_maker(locked, "changes_requested", message=message, reviewer=str(user))
    campaign.refresh_from_db()
    return campaign


def approval_problems(campaign: Campaign, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    problems = []
    if not (campaign.starts_at and campaign.ends_at):
        problems.append(_("The campaign has no start or end date."))
    else:
        if campaign.starts_at >= campaign.ends_at:
            problems.append(_("The campaign must end after it starts."))
        if campaign.ends_at <= now:
            problems.append(_("The campaign's deadline is in the past."))
    programme = campaign.programme
    if not (programme.min_goal <= campaign.goal <= programme.max_goal):
        problems.append(
            _("The goal must be between %(min)s and %(max)s.")
            % {"min": format_money(programme.min_goal), "max": format_money(programme.max_goal)}
        )
    return problems


def approve(campaign: Campaign, *, user, message: str = "") -> Campaign:
    if not can_review(user, campaign):
        raise refuse()
    message = _clean_message(message, required=False)
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.state != CampaignState.IN_REVIEW:
            raise wrong_state(locked.state, _("approved"))
        problems = approval_problems(locked)
        if problems:
            raise CampaignError(" ".join(str(p) for p in problems), code="not_approvable")
        ReviewNote.objects.create(
            campaign=locked, author=user, kind=ReviewKind.APPROVED, body=message
        )
        locked.approved_at = timezone.now()
        set_campaign_state(
            locked, CampaignState.APPROVED, user=user, action="tremplin.campaign.approved"
        )
        page_published.send(sender=Campaign, campaign=locked, reason="approved", user=user)
        mail_maker(locked, "approved", message=message, reviewer=str(user))
    campaign.refresh_from_db()
    return campaign


def add_review_comment(campaign: Campaign, *, user, message: str) -> ReviewNote:
    """A note in the review conversation (maker, coach or organiser), without a transition."""
    if not (can_review(user, campaign) or is_maker(user, campaign)):
        raise refuse()
    message = _clean_message(message, required=True)
    with transaction.atomic():
        note = ReviewNote.objects.create(
            campaign=campaign, author=user, kind=ReviewKind.COMMENT, body=message
        )
        log_action("tremplin.campaign.review_comment", obj=campaign, user=user)
    return note


def schedule(
    campaign: Campaign,
    *,
    user,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Campaign:
    """The organiser fixes the dates of an approved campaign; it goes live at ``starts_at``
    (at once if that moment is already past). A scheduled campaign can be rescheduled."""
    if not is_organiser_editor(user, campaign):
        raise refuse()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.state not in (CampaignState.APPROVED, CampaignState.SCHEDULED):
            raise wrong_state(locked.state, _("scheduled"))
        locked.starts_at = starts_at or locked.starts_at
        locked.ends_at = ends_at or locked.ends_at
        problems = approval_problems(locked)
        if problems:
            raise CampaignError(" ".join(str(p) for p in problems), code="dates")
        set_campaign_state(
            locked,
            CampaignState.SCHEDULED,
            user=user,
            action="tremplin.campaign.scheduled",
            data={"starts_at": iso(locked.starts_at), "ends_at": iso(locked.ends_at)},
        )
        extra = {"starts_at": iso(locked.starts_at), "ends_at": iso(locked.ends_at)}
        mail_maker(locked, "scheduled", **extra)
        mail_coach(locked, "scheduled", **extra)
    if locked.starts_at <= timezone.now():
        launch(locked.pk)
    campaign.refresh_from_db()
    return campaign
