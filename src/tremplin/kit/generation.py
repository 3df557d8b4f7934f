"""Making a kit: a new version when the campaign page is approved or its content changes
(``request_kit``), then its items one by one in the background (``generate_version``, the
``generate_kit`` task), counted for the progress bar. The version ends as a proof for the
maker and the organiser (or failed, with its error); a newer version replaces the
unreleased ones at once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import translation

from tremplin.campaigns.lifecycle import lock_campaign
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.kit import actions, registry
from tremplin.kit.content import content_of, fingerprint
from tremplin.kit.enums import REPLACED_ON_NEW_VERSION, KitState
from tremplin.kit.mails import mail_proof_ready
from tremplin.kit.models import KitItem, KitVersion
from tremplin.kit.release import set_kit_state

logger = logging.getLogger(__name__)
MAX_ERROR = 2000


def latest_version(campaign: Campaign) -> KitVersion | None:
    return KitVersion.objects.filter(campaign=campaign).order_by("-number").first()


def request_kit(
    campaign: Campaign,
    *,
    reason: str,
    user=None,
    force: bool = False,
    run: str = "task",
    notify: bool = True,
) -> KitVersion | None:
    """A new version of the campaign's kit, made from its content now, unless the latest
    version was made from the same content (None then; ``force`` makes one anyway).
    ``run``: "task" queues the generation after commit, "now" makes it here (the demo),
    "later" leaves it to the caller. ``notify``: e-mail the maker and the organiser's team
    when the proof is ready."""
    content = content_of(campaign)
    digest = fingerprint(content)
    with transaction.atomic():
        lock_campaign(campaign)
        latest = latest_version(campaign)
        if (
            not force
            and latest is not None
            and latest.fingerprint == digest
            and latest.state != KitState.FAILED
        ):
            return None
        for pk in KitVersion.objects.filter(
            campaign=campaign, state__in=REPLACED_ON_NEW_VERSION
        ).values_list("pk", flat=True):
            set_kit_state(pk, KitState.SUPERSEDED, user=user, action=actions.KIT_SUPERSEDED)
        number = (
            KitVersion.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        version = KitVersion.objects.create(
            campaign=campaign,
            number=number,
            reason=reason,
            fingerprint=digest,
            items_total=len(registry.plan(content)),
        )
        log_action(
            actions.KIT_VERSION_CREATED,
            obj=version,
            user=user,
            data={"number": number, "reason": reason},
        )
        if run == "task":
            from tremplin.kit.tasks import generate_kit

            transaction.on_commit(lambda: generate_kit.enqueue(version.pk, notify))
    if run == "now":
        generate_version(version.pk, notify=notify)
        version.refresh_from_db()
    return version


def _file_name(version: KitVersion, unit: registry.Unit, extension: str) -> str:
    language = f"-{unit.language}" if unit.language else ""
    slug = version.campaign.slug
    return f"{slug}-v{version.number}-{unit.kind}-{unit.variant}{language}.{extension}"


def save_item(version: KitVersion, unit: registry.Unit, made: registry.Made, position: int):
    item_kind = registry.kind(unit.kind)
    item = KitItem(
        version=version,
        kind=unit.kind,
        group=item_kind.group if item_kind else "",
        variant=unit.variant,
        language=unit.language,
        label=unit.label,
        media_type=made.media_type,
        body=made.body,
        alt_text=made.alt_text[:500],
        tracked_url=made.tracked_url,
        warnings=made.warnings,
        details=made.details,
        position=position,
    )
    if made.data is not None:
        item.file.save(
            f"{version.campaign_id}/{_file_name(version, unit, made.extension)}",
            ContentFile(made.data),
            save=False,
        )
    item.save()
    return item


def generate_version(version_id: int, *, notify: bool = False) -> str:
    """Make every item of a version still being generated, one by one (an item already
    made, by a run that was interrupted, is kept). Stops when a newer version superseded
    this one. Returns the version's final state. Labels are written in the site's language
    (French first)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(version_id, notify)


def _generate(version_id: int, notify: bool) -> str:
    version = KitVersion.objects.select_related("campaign").get(pk=version_id)
    if version.state != KitState.GENERATING:
        return version.state
    content = content_of(version.campaign)
    units = registry.plan(content)
    done = set(version.items.values_list("kind", "variant", "language"))
    try:
        for position, unit in enumerate(units):
            if (unit.kind, unit.variant, unit.language) in done:
                continue
            if not KitVersion.objects.filter(pk=version_id, state=KitState.GENERATING).exists():
                return KitVersion.objects.get(pk=version_id).state
            item_kind = registry.kind(unit.kind)
            made = item_kind.make(content, unit)
            try:
                with transaction.atomic():
                    save_item(version, unit, made, position)
                    KitVersion.objects.filter(pk=version_id).update(
                        items_done=F("items_done") + 1, items_total=len(units)
                    )
            except IntegrityError:
                continue  # another run made it meanwhile
    except Exception as error:  # a generator failed: the version says so, the proof waits
        logger.exception("kit generation failed for version %s", version_id)
        _fail(version_id, f"{type(error).__name__}: {error}"[:MAX_ERROR])
        return KitState.FAILED
    with transaction.atomic():
        locked = KitVersion.objects.select_for_update().get(pk=version_id)
        if locked.state != KitState.GENERATING:
            return locked.state
        set_kit_state(
            locked,
            KitState.PROOF,
            action=actions.KIT_GENERATED,
            data={"items": locked.items.count()},
        )
        if notify:
            mail_proof_ready(locked)
    return KitState.PROOF


def _fail(version_id: int, message: str) -> None:
    with transaction.atomic():
        locked = KitVersion.objects.select_for_update().get(pk=version_id)
        if locked.state == KitState.GENERATING:
            set_kit_state(
                locked,
                KitState.FAILED,
                action=actions.KIT_GENERATION_FAILED,
                fields={"error": message},
            )
