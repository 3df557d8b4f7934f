"""The domain verbs of campaigns. Every state change goes through one function here: it
checks the change is allowed (who, from which state, with what), saves, writes the audit
log and queues the e-mails that belong to it (after commit).

The life of a campaign::

    draft → in_review → changes_requested → in_review → approved → scheduled → live
          → succeeded | failed (all-or-nothing) | closed (keep-it-all) → settled

``launch`` and ``close`` (run by ``tick``, ``tremplin campaigns-tick``) claim each campaign
with a conditional UPDATE (``... WHERE state = 'scheduled' AND starts_at <= now``), so two
workers never launch or close the same campaign twice. Closing decides the outcome in the
same UPDATE, from the totals as they are at that instant, then hands over to
``funding.services.close_campaign`` (refunds on failure, settlement preparation) in the same
transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.calls.services import TransitionError, change_programme_state
from tremplin.campaigns.enums import CampaignState, CommentState, FundingRule, ReviewKind
from tremplin.campaigns.models import (
    Campaign,
    CampaignImage,
    CampaignSettings,
    CampaignUpdate,
    Comment,
    ReviewNote,
    RewardTier,
)
from tremplin.campaigns.sanitize import sanitize_html
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import OrganiserMembership, OrganiserRole, User
from tremplin.core.money import format_money

logger = logging.getLogger(__name__)

MAX_IMAGES = 8
AUTO_HIDE_REPORTS = 3
MAX_REVIEW_MESSAGE = 5000

PUBLIC_STATES = (
    CampaignState.LIVE,
    CampaignState.SUCCEEDED,
    CampaignState.FAILED,
    CampaignState.CLOSED,
    CampaignState.SETTLED,
)
# The maker builds the page in these states; everything can change.
EDITABLE_STATES = (CampaignState.DRAFT, CampaignState.CHANGES_REQUESTED)
# Once live, the page's content can still change, never its goal nor its dates.
LOCKED_FIELDS = ("goal", "starts_at", "ends_at")
CLOSED_STATES = (CampaignState.SUCCEEDED, CampaignState.FAILED, CampaignState.CLOSED)
PAGE_FIELDS = ("title", "pitch", "description", "video_url", "goal", "starts_at", "ends_at")


# --- who may do what ------------------------------------------------------------------------


def is_maker(user, campaign: Campaign) -> bool:
    return bool(user.is_authenticated and campaign.application.maker_id == user.pk)


def is_assigned_coach(user, campaign: Campaign) -> bool:
    return bool(user.is_authenticated and user.is_coach and campaign.coach_id == user.pk)


def organiser_membership(user, campaign: Campaign) -> OrganiserMembership | None:
    if not user.is_authenticated:
        return None
    return OrganiserMembership.objects.filter(
        organiser_id=campaign.programme.organiser_id, user=user
    ).first()


def is_organiser_editor(user, campaign: Campaign) -> bool:
    membership = organiser_membership(user, campaign)
    return membership is not None and membership.can_edit


def can_preview(user, campaign: Campaign) -> bool:
    """The maker, the assigned coach and the organiser's team see a page before it is public."""
    return (
        is_maker(user, campaign)
        or is_assigned_coach(user, campaign)
        or organiser_membership(user, campaign) is not None
    )


def can_review(user, campaign: Campaign) -> bool:
    return is_assigned_coach(user, campaign) or is_organiser_editor(user, campaign)


def can_moderate(user, campaign: Campaign) -> bool:
    return is_maker(user, campaign) or is_organiser_editor(user, campaign)


def _refuse() -> TransitionError:
    return TransitionError(_("You are not allowed to do this."), code="forbidden")


# --- helpers ---------------------------------------------------------------------------------


def _lock(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("programme", "programme__organiser", "application__maker", "coach")
        .get(pk=campaign.pk)
    )


def _refresh(campaign: Campaign, locked: Campaign) -> Campaign:
    """The caller's object, brought up to date (a later step, e.g. an immediate launch
    after scheduling, may have moved it again)."""
    campaign.refresh_from_db()
    return campaign


def _state_label(state: str) -> str:
    return str(CampaignState(state).label)


def _wrong_state(campaign: Campaign, action: str) -> TransitionError:
    return TransitionError(
        _("A campaign in state “%(state)s” cannot be %(action)s.")
        % {"state": _state_label(campaign.state), "action": action},
        code="state",
    )


# The derived totals only move by F() expressions in funding's transactions: a save here
# never writes them back.
TOTAL_FIELDS = {"raised_amount", "matched_amount", "contributor_count"}


def _save(campaign: Campaign) -> None:
    campaign.save(
        update_fields=[
            f.name
            for f in Campaign._meta.concrete_fields
            if not f.primary_key and f.name not in TOTAL_FIELDS
        ]
    )


def _set_state(locked: Campaign, new_state: str, *, user, action: str, **data: Any) -> None:
    old_state = locked.state
    locked.state = new_state
    _save(locked)
    log_action(action, obj=locked, user=user, data={"from": old_state, "to": new_state, **data})


def paths(campaign: Campaign) -> dict[str, str]:
    return {
        "path": reverse("campaigns:campaign", args=[campaign.slug]),
        "backstage_path": reverse("campaigns:backstage", args=[campaign.slug]),
        "coach_path": reverse("campaigns:coach_review", args=[campaign.slug]),
        "manage_path": reverse(
            "campaigns_manage:detail", args=[campaign.programme.organiser.slug, campaign.slug]
        ),
    }


def _mail_context(campaign: Campaign, **extra: Any) -> dict[str, Any]:
    return {
        "title": campaign.title,
        "programme": campaign.programme.name,
        "organiser": campaign.programme.organiser.name,
        "maker_name": campaign.application.maker_name or str(campaign.maker),
        **paths(campaign),
        **extra,
    }


def _mail_maker(campaign: Campaign, template: str, **extra: Any) -> None:
    maker = campaign.maker
    send_mail_on_commit(
        f"campaigns/email/{template}",
        maker.email,
        _mail_context(campaign, **extra),
        language=maker.language,
    )


def _mail_coach(campaign: Campaign, template: str, **extra: Any) -> None:
    coach = campaign.coach
    if coach is not None:
        send_mail_on_commit(
            f"campaigns/email/{template}",
            coach.email,
            _mail_context(campaign, for_coach=True, **extra),
            language=coach.language,
        )


def _mail_reviewers(campaign: Campaign, template: str, **extra: Any) -> None:
    """The assigned coach, or else the organiser's administrators and managers."""
    if campaign.coach is not None:
        _mail_coach(campaign, template, **extra)
        return
    editors = User.objects.filter(
        organiser_memberships__organiser_id=campaign.programme.organiser_id,
        organiser_memberships__role__in=(OrganiserRole.ADMIN, OrganiserRole.MANAGER),
    ).order_by("pk")
    for editor in editors:
        send_mail_on_commit(
            f"campaigns/email/{template}",
            editor.email,
            _mail_context(campaign, for_organiser=True, **extra),
            language=editor.language,
        )


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def unique_slug(title: str) -> str:
    base = (slugify(title) or "campagne")[:70].strip("-") or "campagne"
    slug, number = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


# --- creation and settings -------------------------------------------------------------------


def settings_for(programme: Programme) -> CampaignSettings:
    """The programme's crowdfunding rules, created with the defaults when missing."""
    settings, _created = CampaignSettings.objects.get_or_create(programme=programme)
    return settings


CREATION_STATES = (
    ProgrammeState.CALL_CLOSED,
    ProgrammeState.SCREENING,
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
    ProgrammeState.RESULTS,
    ProgrammeState.CAMPAIGNS_LIVE,
)


def _copy_images(application: Application, campaign: Campaign) -> None:
    """The application's images (already cleaned at upload) start the campaign's gallery."""
    for position, image in enumerate(application.images.all()[:MAX_IMAGES], start=1):
        try:
            with image.image.open("rb") as handle:
                content = ContentFile(handle.read(), name=image.image.name.rsplit("/", 1)[-1])
        except (FileNotFoundError, ValueError, OSError):
            continue
        copy = CampaignImage(campaign=campaign, alt_text=image.alt_text, position=position)
        copy.image.save(content.name, content, save=False)
        copy.save()


def create_campaign(application: Application, *, user) -> Campaign:
    """A draft campaign for a laureate (or any submitted, eligible application the organiser
    selects), pre-filled from the application: title, pitch (its summary), description, goal
    (its funding goal), video, images, and the programme's campaign dates."""
    programme = application.programme
    membership = OrganiserMembership.objects.filter(
        organiser_id=programme.organiser_id, user=user
    ).first()
    if membership is None or not membership.can_edit:
        raise _refuse()
    if application.state != ApplicationState.SUBMITTED:
        raise TransitionError(_("Only a submitted application can become a campaign."))
    if application.eligibility == Eligibility.INELIGIBLE:
        raise TransitionError(_("An ineligible application cannot become a campaign."))
    if programme.state not in CREATION_STATES:
        raise TransitionError(_("Campaigns can be created once the call for projects is closed."))
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        if Campaign.objects.filter(application=application).exists():
            raise TransitionError(_("This application already has a campaign."), code="duplicate")
        settings_for(programme)
        goal = application.funding_goal or programme.min_goal
        campaign = Campaign(
            programme=programme,
            application=application,
            slug=unique_slug(application.title),
            title=application.title[:120],
            pitch=(application.summary or "")[:300],
            description=sanitize_html(linebreaks(application.description or "", autoescape=True)),
            video_url=application.video_url,
            goal=goal,
            starts_at=programme.campaigns_start_at,
            ends_at=programme.campaigns_end_at,
            state=CampaignState.DRAFT,
        )
        try:
            with transaction.atomic():
                campaign.save()
        except IntegrityError:
            raise TransitionError(
                _("This application already has a campaign."), code="duplicate"
            ) from None
        _copy_images(application, campaign)
        log_action(
            "tremplin.campaign.created",
            obj=campaign,
            user=user,
            data={"application": application.reference, "title": campaign.title},
        )
        _mail_maker(campaign, "created")
    return campaign


def save_settings(settings: CampaignSettings, *, user, changed: list[str]) -> CampaignSettings:
    """Save a programme's crowdfunding rules. The funding rule cannot change once one of its
    campaigns is live: contributors gave under the rule they were shown."""
    membership = OrganiserMembership.objects.filter(
        organiser_id=settings.programme.organiser_id, user=user
    ).first()
    if membership is None or not membership.can_edit:
        raise _refuse()
    if settings.min_contribution > settings.max_contribution:
        raise TransitionError(_("The minimum contribution cannot exceed the maximum."))
    with transaction.atomic():
        if settings.pk and "funding_rule" in changed and rule_is_locked(settings.programme):
            raise TransitionError(
                _("The funding rule cannot change once a campaign of the programme is live."),
                code="rule_locked",
            )
        created = settings.pk is None
        settings.save()
        log_action(
            "tremplin.campaign_settings.changed",
            obj=settings.programme,
            user=user,
            data={"changed": changed, "created": created},
        )
    return settings


def rule_is_locked(programme: Programme) -> bool:
    return Campaign.objects.filter(
        programme=programme, state__in=(*PUBLIC_STATES, CampaignState.SCHEDULED)
    ).exists()


def assign_coach(campaign: Campaign, *, user, coach: User | None) -> Campaign:
    if not is_organiser_editor(user, campaign):
        raise _refuse()
    if coach is not None and not coach.is_coach:
        raise TransitionError(_("This person is not a coach."))
    with transaction.atomic():
        locked = _lock(campaign)
        previous = locked.coach
        if previous == coach:
            return _refresh(campaign, locked)
        locked.coach = coach
        locked.save(update_fields=["coach", "updated_at"])
        log_action(
            "tremplin.campaign.coach_assigned",
            obj=locked,
            user=user,
            data={"member": str(coach) if coach else "", "previous": str(previous or "")},
        )
        if coach is not None:
            _mail_coach(locked, "coach_assigned", state=locked.state)
    return _refresh(campaign, locked)


# --- the page -----------------------------------------------------------------------------


@dataclass
class RewardChange:
    """A reward to add (``pk`` None), change, or remove (``delete``)."""

    pk: int | None
    title: str = ""
    description: str = ""
    min_amount: Decimal | None = None
    stock: int | None = None
    estimated_delivery: Any = None
    requires_shipping: bool = False
    delete: bool = False


@dataclass
class PageChanges:
    fields: dict[str, Any] = field(default_factory=dict)
    image_alts: dict[int, str] = field(default_factory=dict)
    removed_images: set[int] = field(default_factory=set)
    new_images: list[tuple[File, str]] = field(default_factory=list)
    rewards: list[RewardChange] = field(default_factory=list)


def page_is_editable(campaign: Campaign) -> bool:
    return campaign.state in EDITABLE_STATES or campaign.state == CampaignState.LIVE


def _check_goal(programme: Programme, goal: Decimal | None) -> None:
    if goal is None:
        return
    if not (programme.min_goal <= goal <= programme.max_goal):
        raise TransitionError(
            _("The goal must be between %(min)s and %(max)s.")
            % {"min": format_money(programme.min_goal), "max": format_money(programme.max_goal)},
            code="goal_range",
        )


def _check_dates(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and starts_at >= ends_at:
        raise TransitionError(_("The campaign must end after it starts."), code="dates_order")


def _apply_images(campaign: Campaign, changes: PageChanges) -> list[str]:
    obsolete: list[str] = []
    images = {image.pk: image for image in campaign.images.all()}
    unknown = (changes.removed_images | set(changes.image_alts)) - set(images)
    if unknown:
        raise TransitionError(_("This image does not belong to the campaign."))
    for pk in changes.removed_images:
        obsolete.append(images[pk].image.name)
        images.pop(pk).delete()
    for pk, alt_text in changes.image_alts.items():
        if pk in images and images[pk].alt_text != alt_text:
            images[pk].alt_text = alt_text
            images[pk].save(update_fields=["alt_text"])
    if len(images) + len(changes.new_images) > MAX_IMAGES:
        raise TransitionError(
            _("A campaign can have at most %(max)s images.") % {"max": MAX_IMAGES},
            code="too_many_images",
        )
    position = max((image.position for image in images.values()), default=0)
    for content, alt_text in changes.new_images:
        position += 1
        image = CampaignImage(campaign=campaign, alt_text=alt_text, position=position)
        image.image.save(content.name, content, save=False)
        image.save()
    return obsolete


def _apply_rewards(campaign: Campaign, rewards: list[RewardChange]) -> list[str]:
    """Rewards change by UPDATE, never by saving a stale row: ``claimed`` moves under our
    feet (checkouts hold stock by conditional UPDATE). A stock can never go below what is
    already claimed; a reward someone chose cannot be removed."""
    changed: list[str] = []
    existing = {reward.pk: reward for reward in campaign.rewards.all()}
    if {change.pk for change in rewards if change.pk is not None} - set(existing):
        raise TransitionError(_("This reward does not belong to the campaign."))
    position = max((reward.position for reward in existing.values()), default=0)
    for change in rewards:
        if change.pk is None:
            if change.delete:
                continue
            position += 1
            RewardTier.objects.create(
                campaign=campaign,
                title=change.title,
                description=change.description,
                min_amount=change.min_amount,
                stock=change.stock,
                estimated_delivery=change.estimated_delivery,
                requires_shipping=change.requires_shipping,
                position=position,
            )
            changed.append(f"reward:{change.title}")
            continue
        reward = existing[change.pk]
        if change.delete:
            if reward.claimed or reward.contributions.exists():
                raise TransitionError(
                    _(
                        "The reward “%(title)s” was already chosen by contributors: it cannot "
                        "be removed. Set its stock to the number already claimed instead."
                    )
                    % {"title": reward.title},
                    code="reward_claimed",
                )
            RewardTier.objects.filter(pk=reward.pk, claimed=0).delete()
            changed.append(f"reward:{reward.title}")
            continue
        values = {
            "title": change.title,
            "description": change.description,
            "min_amount": change.min_amount,
            "stock": change.stock,
            "estimated_delivery": change.estimated_delivery,
            "requires_shipping": change.requires_shipping,
        }
        if all(getattr(reward, name) == value for name, value in values.items()):
            continue
        query = RewardTier.objects.filter(pk=reward.pk)
        if change.stock is not None:
            query = query.filter(claimed__lte=change.stock)
        if query.update(**values) != 1:
            claimed = RewardTier.objects.filter(pk=reward.pk).values_list("claimed", flat=True)
            raise TransitionError(
                _("The stock of “%(title)s” cannot go below the %(claimed)s already claimed.")
                % {"title": reward.title, "claimed": claimed.first()},
                code="stock_below_claimed",
            )
        changed.append(f"reward:{change.title}")
    return changed


def update_campaign_page(campaign: Campaign, *, user, changes: PageChanges) -> Campaign:
    """The maker (or the organiser's team) changes the page: everything while it is a draft
    or changes were requested; once live, the content only (goal and dates are locked)."""
    if not (is_maker(user, campaign) or is_organiser_editor(user, campaign)):
        raise _refuse()
    with transaction.atomic():
        locked = _lock(campaign)
        if not page_is_editable(locked):
            if locked.state in (
                CampaignState.IN_REVIEW,
                CampaignState.APPROVED,
                CampaignState.SCHEDULED,
            ):
                raise TransitionError(
                    _(
                        "The page is under review or approved: it cannot change now. Ask your "
                        "coach or the organiser to request changes."
                    ),
                    code="locked",
                )
            raise TransitionError(
                _("The campaign is over: its page can no longer change."), code="locked"
            )
        fields = dict(changes.fields)
        if "description" in fields:
            fields["description"] = sanitize_html(fields["description"] or "")
        if locked.state == CampaignState.LIVE:
            for name in LOCKED_FIELDS:
                if name in fields and fields[name] != getattr(locked, name):
                    raise TransitionError(
                        _("The goal and the dates of a live campaign cannot change."),
                        code="locked_field",
                    )
        changed = [
            name
            for name, value in fields.items()
            if name in PAGE_FIELDS and getattr(locked, name) != value
        ]
        for name in changed:
            setattr(locked, name, fields[name])
        if "goal" in changed:
            _check_goal(locked.programme, locked.goal)
        _check_dates(locked.starts_at, locked.ends_at)
        if changed:
            _save(locked)
        obsolete = _apply_images(locked, changes)
        if changes.removed_images or changes.new_images:
            changed.append("images")
        changed += _apply_rewards(locked, changes.rewards)
        log_action("tremplin.campaign.changed", obj=locked, user=user, data={"changed": changed})
        if obsolete:
            transaction.on_commit(lambda: [default_storage.delete(name) for name in obsolete])
    return _refresh(campaign, locked)


# --- review -------------------------------------------------------------------------------


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


def submit_for_review(campaign: Campaign, *, user) -> Campaign:
    if not is_maker(user, campaign):
        raise _refuse()
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.state not in EDITABLE_STATES:
            raise _wrong_state(locked, _("submitted for review"))
        missing = missing_for_review(locked)
        if missing:
            raise TransitionError(
                _("The page is not complete. It still needs: %(missing)s.")
                % {"missing": ", ".join(str(item) for item in missing)},
                code="incomplete",
            )
        locked.submitted_at = timezone.now()
        _set_state(locked, CampaignState.IN_REVIEW, user=user, action="tremplin.campaign.submitted")
        _mail_reviewers(locked, "submitted")
    return _refresh(campaign, locked)


def _clean_message(message: str, *, required: bool) -> str:
    message = (message or "").strip()
    if required and not message:
        raise TransitionError(_("Write what should change."), code="message_required")
    if len(message) > MAX_REVIEW_MESSAGE:
        raise TransitionError(
            _("The message is too long (%(max)s characters at most).")
            % {"max": MAX_REVIEW_MESSAGE},
            code="message_too_long",
        )
    return message


def request_changes(campaign: Campaign, *, user, message: str) -> Campaign:
    """The coach or the organiser sends the page back to the maker with what to change."""
    if not can_review(user, campaign):
        raise _refuse()
    message = _clean_message(message, required=True)
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.state not in (
            CampaignState.IN_REVIEW,
            CampaignState.APPROVED,
            CampaignState.SCHEDULED,
        ):
            raise _wrong_state(locked, _("sent back for changes"))
        ReviewNote.objects.create(
            campaign=locked, author=user, kind=ReviewKind.CHANGES_REQUESTED, body=message
        )
        locked.approved_at = None
        _set_state(
            locked,
            CampaignState.CHANGES_REQUESTED,
            user=user,
            action="tremplin.campaign.changes_requested",
        )
        _mail_maker(locked, "changes_requested", message=message, reviewer=str(user))
    return _refresh(campaign, locked)


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
        raise _refuse()
    message = _clean_message(message, required=False)
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.state != CampaignState.IN_REVIEW:
            raise _wrong_state(locked, _("approved"))
        problems = approval_problems(locked)
        if problems:
            raise TransitionError(" ".join(str(p) for p in problems), code="not_approvable")
        ReviewNote.objects.create(
            campaign=locked, author=user, kind=ReviewKind.APPROVED, body=message
        )
        locked.approved_at = timezone.now()
        _set_state(locked, CampaignState.APPROVED, user=user, action="tremplin.campaign.approved")
        _mail_maker(locked, "approved", message=message, reviewer=str(user))
    return _refresh(campaign, locked)


def add_review_comment(campaign: Campaign, *, user, message: str) -> ReviewNote:
    """A note in the review conversation (maker, coach or organiser), without a transition."""
    if not (can_review(user, campaign) or is_maker(user, campaign)):
        raise _refuse()
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
        raise _refuse()
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.state not in (CampaignState.APPROVED, CampaignState.SCHEDULED):
            raise _wrong_state(locked, _("scheduled"))
        locked.starts_at = starts_at or locked.starts_at
        locked.ends_at = ends_at or locked.ends_at
        problems = approval_problems(locked)
        if problems:
            raise TransitionError(" ".join(str(p) for p in problems), code="dates")
        _set_state(
            locked,
            CampaignState.SCHEDULED,
            user=user,
            action="tremplin.campaign.scheduled",
            starts_at=_iso(locked.starts_at),
            ends_at=_iso(locked.ends_at),
        )
        extra = {"starts_at": _iso(locked.starts_at), "ends_at": _iso(locked.ends_at)}
        _mail_maker(locked, "scheduled", **extra)
        _mail_coach(locked, "scheduled", **extra)
    if locked.starts_at <= timezone.now():
        launch(locked.pk)
    return _refresh(campaign, locked)


# --- launch, close, settle (the clock) -------------------------------------------------------


def launch(campaign_id: int, now: datetime | None = None) -> bool:
    """SCHEDULED → LIVE once ``starts_at`` is reached. The conditional UPDATE is the claim:
    True only for the one caller that launched it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(
            pk=campaign_id,
            state=CampaignState.SCHEDULED,
            starts_at__lte=now,
            ends_at__gt=now,
        ).update(state=CampaignState.LIVE, launched_at=now, updated_at=now)
        if claimed != 1:
            return False
        campaign = Campaign.objects.select_related(
            "programme__organiser", "application__maker", "coach"
        ).get(pk=campaign_id)
        log_action(
            "tremplin.campaign.launched",
            obj=campaign,
            data={"from": CampaignState.SCHEDULED, "to": CampaignState.LIVE},
        )
        programme = campaign.programme
        if programme.state == ProgrammeState.RESULTS:
            change_programme_state(
                programme,
                ProgrammeState.CAMPAIGNS_LIVE,
                user=None,
                action="tremplin.programme.campaigns_started",
            )
        extra = {"ends_at": _iso(campaign.ends_at), "goal": str(campaign.goal)}
        _mail_maker(campaign, "launched", **extra)
        _mail_coach(campaign, "launched", **extra)
    return True


def matched_counts_toward_goal(programme_id: int) -> bool:
    from tremplin.funding.models import MatchfundingPot

    return MatchfundingPot.objects.filter(
        programme_id=programme_id, counts_toward_goal=True
    ).exists()


def _outcome_expression(campaign: Campaign):
    settings = settings_for(campaign.programme)
    if settings.funding_rule == FundingRule.KEEP_IT_ALL:
        return Value(CampaignState.CLOSED)
    total = F("raised_amount")
    if matched_counts_toward_goal(campaign.programme_id):
        total = F("raised_amount") + F("matched_amount")
    return Case(
        When(GreaterThanOrEqual(total, F("goal")), then=Value(CampaignState.SUCCEEDED)),
        default=Value(CampaignState.FAILED),
    )


def close(campaign_id: int, now: datetime | None = None) -> bool:
    """LIVE → SUCCEEDED / FAILED (all-or-nothing, by the goal) or CLOSED (keep-it-all) once
    the deadline has passed. The outcome is decided in the claiming UPDATE itself, from the
    totals at that instant; then ``funding.services.close_campaign`` refunds a failed
    campaign's contributions and prepares the settlement, in the same transaction."""
    from tremplin.funding import services as funding_services

    now = now or timezone.now()
    campaign = Campaign.objects.select_related("programme").filter(pk=campaign_id).first()
    if campaign is None:
        return False
    with transaction.atomic():
        claimed = Campaign.objects.filter(
            pk=campaign_id, state=CampaignState.LIVE, ends_at__lte=now
        ).update(state=_outcome_expression(campaign), closed_at=now, updated_at=now)
        if claimed != 1:
            return False
        campaign = Campaign.objects.select_related(
            "programme__organiser", "application__maker", "coach"
        ).get(pk=campaign_id)
        log_action(
            "tremplin.campaign.closed",
            obj=campaign,
            data={
                "from": CampaignState.LIVE,
                "to": campaign.state,
                "raised": str(campaign.raised_amount),
                "matched": str(campaign.matched_amount),
                "contributors": campaign.contributor_count,
            },
        )
        funding_services.close_campaign(campaign)
        extra = {
            "outcome": campaign.state,
            "goal": str(campaign.goal),
            "raised": str(campaign.raised_amount),
            "matched": str(campaign.matched_amount),
            "contributors": campaign.contributor_count,
        }
        _mail_maker(campaign, "closed", **extra)
        _mail_coach(campaign, "closed", **extra)
    return True


def close_finished_programmes() -> int:
    """A programme whose campaigns are all over goes from CAMPAIGNS_LIVE to
    CAMPAIGNS_CLOSED (checked under the programme's lock, so it happens once)."""
    count = 0
    for programme_id in Programme.objects.filter(state=ProgrammeState.CAMPAIGNS_LIVE).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            programme = Programme.objects.select_for_update().get(pk=programme_id)
            if programme.state != ProgrammeState.CAMPAIGNS_LIVE:
                continue
            campaigns = Campaign.objects.filter(programme=programme)
            if not campaigns.filter(state__in=CLOSED_STATES + (CampaignState.SETTLED,)).exists():
                continue
            if campaigns.filter(state__in=(CampaignState.LIVE, CampaignState.SCHEDULED)).exists():
                continue
            change_programme_state(
                programme,
                ProgrammeState.CAMPAIGNS_CLOSED,
                user=None,
                action="tremplin.programme.campaigns_closed",
            )
            count += 1
    return count


def tick(now: datetime | None = None) -> dict[str, int]:
    """Launch the scheduled campaigns that are due and close the live ones past their
    deadline. Safe to run often and in several workers at once."""
    now = now or timezone.now()
    launched = closed = 0
    due = Campaign.objects.filter(
        state=CampaignState.SCHEDULED, starts_at__lte=now, ends_at__gt=now
    ).values_list("pk", flat=True)
    for campaign_id in list(due.order_by("starts_at", "pk")):
        launched += launch(campaign_id, now)
    over = Campaign.objects.filter(state=CampaignState.LIVE, ends_at__lte=now).values_list(
        "pk", flat=True
    )
    for campaign_id in list(over.order_by("ends_at", "pk")):
        try:
            closed += close(campaign_id, now)
        except Exception:  # one campaign's failure must not stop the others; retried next tick
            logger.exception(
                "Closing campaign %s failed; it stays live until the next tick.", campaign_id
            )
    programmes = close_finished_programmes()
    return {"launched": launched, "closed": closed, "programmes_closed": programmes}


def settle(campaign: Campaign, *, user) -> Campaign:
    """SUCCEEDED / FAILED / CLOSED → SETTLED once the money is paid out or refunded:
    ``funding.services.settle`` checks that (every refund done, the statement final)."""
    from tremplin.funding import services as funding_services

    if not is_organiser_editor(user, campaign):
        raise _refuse()
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.state not in CLOSED_STATES:
            raise _wrong_state(locked, _("settled"))
        try:
            funding_services.settle(locked, user=user)
        except ValidationError as error:
            raise TransitionError(error.messages, code="not_settleable") from None
        locked.refresh_from_db()
        if locked.state == CampaignState.SETTLED:  # funding.settle may already have moved it
            return _refresh(campaign, locked)
        outcome = locked.state
        locked.settled_at = locked.settled_at or timezone.now()
        _set_state(locked, CampaignState.SETTLED, user=user, action="tremplin.campaign.settled")
        _mail_maker(locked, "settled", outcome=outcome, raised=str(locked.raised_amount))
    return _refresh(campaign, locked)


# --- news updates ---------------------------------------------------------------------------


def post_update(campaign: Campaign, *, user, title: str, body: str) -> CampaignUpdate:
    """The maker posts news; contributors who opted in get it by e-mail once (a task)."""
    from tremplin.campaigns.tasks import send_update_emails

    if not is_maker(user, campaign):
        raise _refuse()
    if campaign.state not in PUBLIC_STATES:
        raise TransitionError(_("News can be posted once the campaign is live."), code="state")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise TransitionError(_("Give the news a title and a text."), code="required")
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
    (their latest contribution's language)."""
    from tremplin.funding.enums import ContributionState
    from tremplin.funding.models import Contribution

    rows = (
        Contribution.objects.filter(
            campaign=campaign, state=ContributionState.CONFIRMED, news_consent=True
        )
        .exclude(email="")
        .order_by("-created_at", "-pk")
        .values_list("email", "language", "name")
    )
    seen: dict[str, tuple[str, str, str]] = {}
    for email, language, name in rows:
        seen.setdefault(email.lower(), (email, language, name))
    return list(seen.values())


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
                _mail_context(
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
        raise _refuse()
    if campaign.state not in PUBLIC_STATES:
        raise TransitionError(_("Comments open when the campaign is live."), code="state")
    body = (body or "").strip()
    if not body:
        raise TransitionError(_("Write a comment."), code="required")
    if reply_to is not None:
        if reply_to.campaign_id != campaign.pk:
            raise TransitionError(_("This comment belongs to another campaign."))
        if not can_moderate(user, campaign):
            raise _refuse()
        if reply_to.reply_to_id is not None:
            reply_to = reply_to.reply_to
    name = (author_name or "").strip()[:100] or comment_author_name(user)
    if not name:
        raise TransitionError(_("Give the name to show with your comment."), code="name")
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
        raise _refuse()
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


def report_comment(comment: Comment) -> Comment:
    """Anyone may report a comment (the view keeps one report per visitor's session); at
    ``AUTO_HIDE_REPORTS`` reports it is hidden until a moderator looks at it. A comment a
    moderator has shown again is not hidden automatically any more: they decided."""
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        hidden = Comment.objects.filter(
            Q(pk=comment.pk)
            & Q(state=CommentState.VISIBLE)
            & Q(report_count__gte=AUTO_HIDE_REPORTS)
            & Q(moderated_by__isnull=True)
        ).update(state=CommentState.HIDDEN)
        if hidden:
            log_action(
                "tremplin.campaign.comment_auto_hidden",
                obj=comment.campaign,
                data={"name": comment.author_name, "count": AUTO_HIDE_REPORTS},
            )
    comment.refresh_from_db()
    return comment
