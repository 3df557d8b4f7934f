"""Completing a kit version: the items the registry plans today that a proof or a released
version lacks, made and added beside its items (``complete_version``, the ``complete_kit``
task). Typically the teaser video, when ``KIT_TEASER`` was off while the version was made
(the demo's load) or has been turned on since.

The version keeps its items, its state and its release: a released version that gains an
item shows it to the maker, the organiser's team and the partners like the others. A
version whose campaign's content changed since it was made is left alone (its new items
would not match the others; the change makes a new version anyway), and so is a version
still being generated, failed or superseded.

One worker at a time: the first claims the version (``completing_until``, a lease taken by
a conditional UPDATE, so that a killed worker's claim runs out), and an item is saved under
the version's row lock, only if it is still missing (unique per version, kind, variant and
language): running it again, or twice at once, adds nothing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from tremplin.core.audit import log_action
from tremplin.kit import actions, registry
from tremplin.kit.content import content_of, fingerprint
from tremplin.kit.enums import KitState
from tremplin.kit.generation import save_item
from tremplin.kit.models import KitVersion
from tremplin.kit.release import lock_version

logger = logging.getLogger(__name__)

# The versions a completion adds to: made, whether released yet or not.
COMPLETED_STATES = (KitState.PROOF, KitState.RELEASED)
# How long a claim holds without being renewed (it is renewed before each item). Shorter
# than the task's recovery (TASK_RUNNING_TIMEOUT), so that a task queued again after its
# worker was killed finds the claim run out.
CLAIM_LEASE = timedelta(minutes=5)

# What ``complete_version`` did.
COMPLETED = "completed"  # items were added
COMPLETE = "complete"  # nothing was missing
BUSY = "busy"  # another worker is completing it
NOT_READY = "not_ready"  # generating, failed, superseded or gone: left alone
CHANGED = "changed"  # the campaign's content changed since the version was made


def complete_version(version_id: int) -> str:
    """Make and add the items that version ``version_id`` lacks (see the module). Returns
    what it did (``COMPLETED``, ``COMPLETE``, ``BUSY``, ``NOT_READY`` or ``CHANGED``).
    Labels are written in the site's language (French first), as by the generation."""
    with translation.override(settings.LANGUAGE_CODE):
        return _complete(version_id)


def _lease() -> timedelta:
    return min(CLAIM_LEASE, timedelta(seconds=settings.TASK_RUNNING_TIMEOUT / 2))


def _missing(version: KitVersion, units: list[registry.Unit]) -> list[tuple[int, registry.Unit]]:
    """(position, unit) of each planned unit the version has no item for; the position is
    the unit's place in today's plan, as the generation gives it."""
    made = set(version.items.values_list("kind", "variant", "language"))
    return [
        (position, unit)
        for position, unit in enumerate(units)
        if (unit.kind, unit.variant, unit.language) not in made
    ]


def _complete(version_id: int) -> str:
    version = KitVersion.objects.select_related("campaign").filter(pk=version_id).first()
    if version is None or version.state not in COMPLETED_STATES:
        return NOT_READY
    content = content_of(version.campaign)
    if fingerprint(content) != version.fingerprint:
        return CHANGED
    units = registry.plan(content)
    if not _missing(version, units):
        return COMPLETE
    claim = _claim(version_id)
    if claim is None:
        return BUSY
    added: list[str] = []
    try:
        # Read again under the claim: a worker that held it before may have added them.
        for position, unit in _missing(version, units):
            claim = _renew(version_id, claim)
            if claim is None:
                break  # the claim ran out and another worker took it: it goes on
            made = registry.kind(unit.kind).make(content, unit)
            saved = _save(version_id, unit, made, position)
            if saved is None:
                break  # released → superseded meanwhile: nothing more to add
            if saved:
                added.append(unit.label)
    finally:
        if claim is not None:
            KitVersion.objects.filter(pk=version_id, completing_until=claim).update(
                completing_until=None
            )
        if added:
            _log(version_id, added)
    return COMPLETED if added else COMPLETE


def _claim(version_id: int) -> datetime | None:
    """Take the version for this worker, unless another one holds it: one conditional
    UPDATE. Returns the end of the lease (the claim's token), or None."""
    now = timezone.now()
    until = now + _lease()
    taken = (
        KitVersion.objects.filter(pk=version_id, state__in=COMPLETED_STATES)
        .filter(Q(completing_until__isnull=True) | Q(completing_until__lte=now))
        .update(completing_until=until)
    )
    return until if taken else None


def _renew(version_id: int, claim: datetime) -> datetime | None:
    """Extend this worker's claim (still its own: same token); None when it was lost."""
    until = timezone.now() + _lease()
    renewed = KitVersion.objects.filter(pk=version_id, completing_until=claim).update(
        completing_until=until
    )
    return until if renewed else None


def _save(version_id: int, unit: registry.Unit, made: registry.Made, position: int) -> bool | None:
    """Save one made item under the version's row lock: True when saved, False when the
    version already has it, None when the version is no longer completed."""
    try:
        with transaction.atomic():
            locked = lock_version(version_id)
            if locked.state not in COMPLETED_STATES:
                return None
            if locked.items.filter(
                kind=unit.kind, variant=unit.variant, language=unit.language
            ).exists():
                return False
            save_item(locked, unit, made, position)
            KitVersion.objects.filter(pk=version_id).update(
                items_done=F("items_done") + 1, items_total=F("items_total") + 1
            )
    except IntegrityError:
        logger.info("kit item %s of version %s made twice: kept the first", unit, version_id)
        return False
    return True


def _log(version_id: int, added: list[str]) -> None:
    version = KitVersion.objects.select_related("campaign__programme").get(pk=version_id)
    log_action(
        actions.KIT_COMPLETED,
        obj=version,
        data={"number": version.number, "added": added, "items": version.items.count()},
    )
