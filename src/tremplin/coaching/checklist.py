"""The readiness checklist of a campaign: the programme's template (edited by the
organiser; a default ships), the items computed from the campaign, the manual items ticked
by the maker and confirmed by the coach, and what blocks the submission for review.

Campaigns ask ``blockers`` through ``campaigns.signals.submission_blockers`` (answered in
``receivers.py``) when the maker submits the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.review import missing_for_review
from tremplin.campaigns.rules import is_maker
from tremplin.coaching import actions
from tremplin.coaching.enums import AutoCheck
from tremplin.coaching.errors import CoachingError, refuse
from tremplin.coaching.models import ChecklistItem, ChecklistTick, FirstCircleContact
from tremplin.coaching.rules import can_confirm
from tremplin.core.audit import log_action

MAX_ITEMS = 30
MAX_CONTACTS = 500

# key, French, English, automatic check, N, required
DEFAULT_ITEMS = (
    ("page", "La page est complète", "The page is complete", AutoCheck.PAGE_COMPLETE, 0, True),
    ("rewards", "Au moins 3 contreparties", "At least 3 rewards", AutoCheck.REWARDS, 3, True),
    (
        "video",
        "Une vidéo sous-titrée (ou sa transcription)",
        "A video with captions (or its transcript)",
        AutoCheck.VIDEO_CAPTIONS,
        0,
        True,
    ),
    (
        "images",
        "Chaque image a sa description",
        "Every image has a description",
        AutoCheck.IMAGE_ALTS,
        0,
        True,
    ),
    (
        "launch",
        "Une date de lancement choisie",
        "A launch date chosen",
        AutoCheck.LAUNCH_DATE,
        0,
        True,
    ),
    (
        "first-circle",
        "Un premier cercle d'au moins 20 personnes",
        "A first circle of at least 20 people",
        AutoCheck.FIRST_CIRCLE,
        20,
        True,
    ),
    (
        "plan",
        "Le plan de lancement est écrit",
        "The launch plan is written",
        AutoCheck.MANUAL,
        0,
        True,
    ),
    (
        "day-one",
        "Les premiers contributeurs sont prêts pour le jour J",
        "The first contributors are lined up for day one",
        AutoCheck.MANUAL,
        0,
        True,
    ),
    (
        "news",
        "Les actualités de la campagne sont planifiées",
        "The campaign's news are planned",
        AutoCheck.MANUAL,
        0,
        False,
    ),
)


def default_items(programme) -> list[ChecklistItem]:
    return [
        ChecklistItem(
            programme=programme,
            key=key,
            label_fr=fr,
            label_en=en,
            auto=auto,
            threshold=n,
            required=required,
            position=i,
        )
        for i, (key, fr, en, auto, n, required) in enumerate(DEFAULT_ITEMS)
    ]


def template_for(programme) -> list[ChecklistItem]:
    """The programme's items; the default (unsaved) while the organiser has not adopted one."""
    items = list(ChecklistItem.objects.filter(programme=programme))
    return items or default_items(programme)


def in_force(programme) -> bool:
    """The checklist gates the submission once the organiser has adopted one (the default
    as it is, or edited): a programme whose campaigns were under way before coaching came
    is not blocked overnight; until then the default is shown as guidance."""
    return ChecklistItem.objects.filter(programme=programme).exists()


def label(item: ChecklistItem) -> str:
    return item.label_en if (get_language() or "fr").startswith("en") else item.label_fr


@dataclass
class ItemState:
    item: ChecklistItem
    done: bool
    reason: str  # why it is not done (empty when done)
    tick: ChecklistTick | None = None

    @property
    def label(self) -> str:
        return label(self.item)

    @property
    def manual(self) -> bool:
        return not self.item.auto

    @property
    def awaiting_confirmation(self) -> bool:
        return bool(self.tick and not self.tick.confirmed_at)


def _auto(campaign: Campaign, item: ChecklistItem) -> str:
    """Why the automatic ``item`` is not satisfied ("" when it is)."""
    n = item.threshold
    if item.auto == AutoCheck.PAGE_COMPLETE:
        missing = missing_for_review(campaign)
        return (
            _("still needs: %(missing)s") % {"missing": ", ".join(map(str, missing))}
            if missing
            else ""
        )
    if item.auto == AutoCheck.REWARDS:
        count = campaign.rewards.count()
        if count >= n:
            return ""
        return ngettext(
            "%(count)s reward so far, %(n)s needed",
            "%(count)s rewards so far, %(n)s needed",
            count,
        ) % {"count": count, "n": n}
    if item.auto == AutoCheck.VIDEO_CAPTIONS:
        if not (campaign.video_url or campaign.video_file):
            return _("no video yet")
        if not (campaign.video_captions or (campaign.video_transcript or "").strip()):
            return _("the video has neither captions nor a transcript")
        return ""
    if item.auto == AutoCheck.IMAGE_ALTS:
        images = list(campaign.images.all())
        if not images:
            return _("no image yet")
        bare = sum(1 for image in images if not (image.alt_text or "").strip())
        if not bare:
            return ""
        return ngettext(
            "%(count)s image has no description",
            "%(count)s images have no description",
            bare,
        ) % {"count": bare}
    if item.auto == AutoCheck.LAUNCH_DATE:
        return "" if campaign.starts_at else _("no launch date chosen yet")
    if item.auto == AutoCheck.FIRST_CIRCLE:
        count = FirstCircleContact.objects.filter(campaign=campaign).count()
        if count >= n:
            return ""
        return ngettext(
            "%(count)s person in the first circle so far, %(n)s needed",
            "%(count)s people in the first circle so far, %(n)s needed",
            count,
        ) % {"count": count, "n": n}
    return ""


def evaluate(campaign: Campaign) -> list[ItemState]:
    ticks = {t.key: t for t in ChecklistTick.objects.filter(campaign=campaign)}
    states = []
    for item in template_for(campaign.programme):
        if item.auto:
            reason = _auto(campaign, item)
            states.append(ItemState(item, not reason, reason))
            continue
        tick = ticks.get(item.key)
        if tick is None:
            reason = _("not ticked by the maker yet")
        elif tick.confirmed_at is None:
            reason = _("ticked, waiting for the coach's confirmation")
        else:
            reason = ""
        states.append(ItemState(item, not reason, reason, tick))
    return states


def readiness(states: list[ItemState]) -> tuple[int, int]:
    """(required items done, required items)."""
    required = [s for s in states if s.item.required]
    return sum(1 for s in required if s.done), len(required)


def blockers(campaign: Campaign) -> list[str]:
    """The required items not done, each with why, for the maker (none while the
    programme's checklist is not in force). The page's completeness is campaigns' own
    check (``missing_for_review``), not repeated here."""
    if not in_force(campaign.programme):
        return []
    return [
        _("“%(item)s”: %(reason)s") % {"item": state.label, "reason": state.reason}
        for state in evaluate(campaign)
        if state.item.required and not state.done and state.item.auto != AutoCheck.PAGE_COMPLETE
    ]


# --- the maker's ticks, the coach's confirmations -----------------------------------------


def _manual_item(campaign: Campaign, key: str) -> ChecklistItem:
    for item in template_for(campaign.programme):
        if item.key == key and not item.auto:
            return item
    raise CoachingError(_("This checklist item does not exist."), code="no_item")


def tick(campaign: Campaign, *, user, key: str) -> ChecklistTick:
    if not is_maker(user, campaign):
        raise refuse()
    item = _manual_item(campaign, key)
    with transaction.atomic():
        found, created = ChecklistTick.objects.get_or_create(
            campaign=campaign, key=key, defaults={"ticked_by": user, "ticked_at": timezone.now()}
        )
        if created:
            log_action(
                actions.CHECKLIST_TICKED,
                obj=campaign,
                user=user,
                data={"checklist_item": item.label_fr},
            )
    return found


def untick(campaign: Campaign, *, user, key: str) -> None:
    """The maker takes a tick back (and its confirmation with it)."""
    if not is_maker(user, campaign):
        raise refuse()
    item = _manual_item(campaign, key)
    with transaction.atomic():
        deleted, _rows = ChecklistTick.objects.filter(campaign=campaign, key=key).delete()
        if deleted:
            log_action(
                actions.CHECKLIST_UNTICKED,
                obj=campaign,
                user=user,
                data={"checklist_item": item.label_fr},
            )


def confirm(campaign: Campaign, *, user, key: str) -> None:
    if not can_confirm(user, campaign):
        raise refuse()
    item = _manual_item(campaign, key)
    with transaction.atomic():
        updated = ChecklistTick.objects.filter(
            campaign=campaign, key=key, confirmed_at__isnull=True
        ).update(confirmed_by=user, confirmed_at=timezone.now())
        if not updated:
            raise CoachingError(
                _("The maker has not ticked this item, or it is already confirmed."),
                code="not_ticked",
            )
        log_action(
            actions.CHECKLIST_CONFIRMED,
            obj=campaign,
            user=user,
            data={"checklist_item": item.label_fr},
        )


# --- the first circle ---------------------------------------------------------------------


def add_contact(campaign: Campaign, *, user, name: str, relation: str = "", email: str = ""):
    if not is_maker(user, campaign):
        raise refuse()
    with transaction.atomic():
        if FirstCircleContact.objects.filter(campaign=campaign).count() >= MAX_CONTACTS:
            raise CoachingError(
                _("The first circle holds %(max)s people at most.") % {"max": MAX_CONTACTS},
                code="too_many",
            )
        contact = FirstCircleContact.objects.create(
            campaign=campaign, name=name, relation=relation, email=email
        )
        log_action(actions.FIRST_CIRCLE_CHANGED, obj=campaign, user=user)
    return contact


def remove_contact(campaign: Campaign, *, user, pk: int) -> None:
    if not is_maker(user, campaign):
        raise refuse()
    with transaction.atomic():
        deleted, _rows = FirstCircleContact.objects.filter(campaign=campaign, pk=pk).delete()
        if not deleted:
            raise CoachingError(_("This person is not in your first circle."), code="no_contact")
        log_action(actions.FIRST_CIRCLE_CHANGED, obj=campaign, user=user)


# --- the organiser's template ---------------------------------------------------------------


def save_template(programme, *, user, rows: list[dict]) -> list[ChecklistItem]:
    """Replace the programme's template by ``rows`` (``key`` empty for a new item; keys of
    removed items lose their ticks' meaning but the ticks stay, harmless)."""
    if len(rows) > MAX_ITEMS:
        raise CoachingError(
            _("A checklist holds %(max)s items at most.") % {"max": MAX_ITEMS}, code="too_many"
        )
    with transaction.atomic():
        ChecklistItem.objects.filter(programme=programme).delete()
        used: set[str] = set()
        items = []
        for position, row in enumerate(rows):
            key = row.get("key") or ""
            if not key or key in used:
                key = _new_key(used)
            used.add(key)
            items.append(
                ChecklistItem(
                    programme=programme,
                    key=key,
                    label_fr=row["label_fr"],
                    label_en=row["label_en"],
                    auto=row["auto"],
                    threshold=row.get("threshold") or 0,
                    required=row["required"],
                    position=position,
                )
            )
        ChecklistItem.objects.bulk_create(items)
        log_action(actions.CHECKLIST_CHANGED, obj=programme, user=user)
    return items


def _new_key(used: set[str]) -> str:
    n = 1
    while f"item-{n}" in used or any(key == f"item-{n}" for key, *_r in DEFAULT_ITEMS):
        n += 1
    return f"item-{n}"
