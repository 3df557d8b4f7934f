"""What people do with a proof: the organiser edits a text before releasing it, or asks for
the kit again; and what the proof page reads (the current versions of a campaign)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.kit import actions, registry
from tremplin.kit.content import content_of
from tremplin.kit.enums import KitState
from tremplin.kit.errors import KitError, refuse, wrong_state
from tremplin.kit.generation import request_kit
from tremplin.kit.models import KitItem, KitVersion
from tremplin.kit.release import lock_version
from tremplin.kit.rules import can_edit_texts, can_regenerate

MAX_TEXT = 10000


def clean_text(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise KitError(_("The text cannot be empty."), code="empty")
    if "\x00" in body:
        raise KitError(_("The text contains a forbidden character."), code="nul")
    if len(body) > MAX_TEXT:
        raise KitError(
            _("The text is too long (%(max)s characters at most).") % {"max": MAX_TEXT},
            code="too_long",
        )
    return body


def edit_text(item: KitItem, *, user, body: str) -> KitItem:
    """The organiser rewrites a text of a proof (a post, the e-mail, the press release…);
    the press release's PDF is made again from the new text."""
    campaign = item.version.campaign
    if not can_edit_texts(user, campaign):
        raise refuse()
    body = clean_text(body)
    item_kind = registry.kind(item.kind)
    if item_kind is None or not item_kind.editable:
        raise KitError(_("This item is not a text."), code="not_text")
    with transaction.atomic():
        version = lock_version(item.version_id)
        if version.state != KitState.PROOF:
            raise wrong_state(version.state, _("edited"))
        item = KitItem.objects.select_for_update().get(pk=item.pk, version=version)
        if item.body == body:
            return item
        if item_kind.rerender is not None:
            unit = registry.Unit(item.kind, item.variant, item.language, item.label)
            made = item_kind.rerender(content_of(campaign), unit, body)
            if made.data is not None:
                old_name = item.file.name
                item.file.save(old_name.rsplit("/", 1)[-1], _content(made.data), save=False)
                if old_name and old_name != item.file.name:
                    storage = item.file.storage
                    transaction.on_commit(lambda: storage.delete(old_name))
        item.body = body
        item.edited_at = timezone.now()
        item.edited_by = user
        item.details = {**item.details, "characters": len(body)}
        item.save()
        log_action(
            actions.KIT_TEXT_EDITED,
            obj=version,
            user=user,
            data={"number": version.number, "item": f"{item.kind}:{item.variant}:{item.language}"},
        )
    return item


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def regenerate(campaign: Campaign, *, user) -> KitVersion | None:
    """The organiser asks for the kit again (after adding a format, changing the logo…)."""
    if not can_regenerate(user, campaign):
        raise refuse()
    return request_kit(campaign, reason="manual", user=user, force=True)


def versions_of(campaign: Campaign) -> list[KitVersion]:
    return list(
        KitVersion.objects.filter(campaign=campaign)
        .select_related("released_by")
        .order_by("-number")
    )


def released_version(campaign_id: int) -> KitVersion | None:
    return (
        KitVersion.objects.filter(campaign_id=campaign_id, state=KitState.RELEASED)
        .order_by("-number")
        .first()
    )
