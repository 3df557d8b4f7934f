"""The campaign's page: its content, images and rewards, changed by the maker (or the
organiser's team) while it is a draft, sent back for changes, or live (content only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import EDITABLE_STATES, REVIEWED_STATES, CampaignState
from tremplin.campaigns.errors import CampaignError, refuse
from tremplin.campaigns.lifecycle import lock_campaign
from tremplin.campaigns.models import Campaign, CampaignImage, RewardTier
from tremplin.campaigns.rules import is_maker, is_organiser_editor
from tremplin.campaigns.sanitize import sanitize_html
from tremplin.campaigns.signals import page_published
from tremplin.core.audit import log_action
from tremplin.core.money import format_money

MAX_IMAGES = 8
# Once live, the page's content can still change, never its goal nor its dates.
LOCKED_FIELDS = ("goal", "starts_at", "ends_at")
PAGE_FIELDS = ("title", "pitch", "description", "video_url", "goal", "starts_at", "ends_at")


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
        raise CampaignError(
            _("The goal must be between %(min)s and %(max)s.")
            % {"min": format_money(programme.min_goal), "max": format_money(programme.max_goal)},
            code="goal_range",
        )


def _check_dates(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and starts_at >= ends_at:
        raise CampaignError(_("The campaign must end after it starts."), code="dates_order")


def _apply_images(campaign: Campaign, changes: PageChanges) -> list[str]:
    obsolete: list[str] = []
    images = {image.pk: image for image in campaign.images.all()}
    unknown = (changes.removed_images | set(changes.image_alts)) - set(images)
    if unknown:
        raise CampaignError(_("This image does not belong to the campaign."))
    for pk in changes.removed_images:
        obsolete.append(images[pk].image.name)
        images.pop(pk).delete()
    for pk, alt_text in changes.image_alts.items():
        if pk in images and images[pk].alt_text != alt_text:
            images[pk].alt_text = alt_text
            images[pk].save(update_fields=["alt_text"])
    if len(images) + len(changes.new_images) > MAX_IMAGES:
        raise CampaignError(
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
        raise CampaignError(_("This reward does not belong to the campaign."))
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
                raise CampaignError(
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
            raise CampaignError(
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
        raise refuse()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if not page_is_editable(locked):
            if locked.state in REVIEWED_STATES:
                raise CampaignError(
                    _(
                        "The page is under review or approved: it cannot change now. Ask your "
                        "coach or the organiser to request changes."
                    ),
                    code="locked",
                )
            raise CampaignError(
                _("The campaign is over: its page can no longer change."), code="locked"
            )
        fields = dict(changes.fields)
        if "description" in fields:
            fields["description"] = sanitize_html(fields["description"] or "")
        if locked.state == CampaignState.LIVE:
            for name in LOCKED_FIELDS:
                if name in fields and fields[name] != getattr(locked, name):
                    raise CampaignError(
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
            locked.save(update_fields=[*changed, "updated_at"])
        obsolete = _apply_images(locked, changes)
        if changes.removed_images or changes.new_images:
            changed.append("images")
        changed += _apply_rewards(locked, changes.rewards)
        log_action("tremplin.campaign.changed", obj=locked, user=user, data={"changed": changed})
        if changed:
            page_published.send(sender=Campaign, campaign=locked, reason="changed", user=user)
        if obsolete:
            transaction.on_commit(lambda: [default_storage.delete(name) for name in obsolete])
    campaign.refresh_from_db()
    return campaign
