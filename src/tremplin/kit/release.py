"""The states of a kit version: the one writer (``set_kit_state``, checked against
``KIT_TRANSITIONS``) and the organiser's release ("bon à tirer")."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import log_action
from tremplin.kit import actions
from tremplin.kit.enums import KIT_TRANSITIONS, KitState
from tremplin.kit.errors import KitError, refuse, wrong_state
from tremplin.kit.models import KitVersion
from tremplin.kit.rules import can_release


def lock_version(version_or_id: KitVersion | int) -> KitVersion:
    pk = version_or_id.pk if isinstance(version_or_id, KitVersion) else version_or_id
    return (
        KitVersion.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__programme")
        .get(pk=pk)
    )


def set_kit_state(
    version_or_id: KitVersion | int,
    new_state: str,
    *,
    user=None,
    action: str,
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> KitVersion:
    """Move a version to ``new_state`` (from the state in the database, row locked), stamp
    its moment, save ``fields`` with it and log ``action``. Raises ``KitError`` (code
    ``state``) if the table does not allow the change."""
    with transaction.atomic():
        version = lock_version(version_or_id)
        if new_state not in KIT_TRANSITIONS.get(version.state, set()):
            raise wrong_state(version.state, KitState(new_state).label.lower())
        old_state = version.state
        version.state = new_state
        now = timezone.now()
        if new_state == KitState.PROOF:
            version.generated_at = now
        elif new_state == KitState.RELEASED:
            version.released_at = now
            version.released_by = user if getattr(user, "is_authenticated", False) else None
        elif new_state == KitState.SUPERSEDED:
            version.superseded_at = now
        for name, value in (fields or {}).items():
            setattr(version, name, value)
        version.save()
        log_action(
            action,
            obj=version,
            user=user,
            data={"from": old_state, "to": new_state, "number": version.number, **(data or {})},
        )
    return version


def release(version: KitVersion, *, user) -> KitVersion:
    """The organiser releases the proof ("bon à tirer"): printers may download it and
    partners relay it; the version it replaces is kept, labelled superseded."""
    if not can_release(user, version.campaign):
        raise refuse()
    with transaction.atomic():
        locked = lock_version(version)
        if locked.state != KitState.PROOF:
            raise wrong_state(locked.state, _("released"))
        newer = KitVersion.objects.filter(campaign_id=locked.campaign_id, number__gt=locked.number)
        if newer.exists():
            raise KitError(
                _("A newer version of this kit exists: release that one."), code="not_latest"
            )
        released = set_kit_state(locked, KitState.RELEASED, user=user, action=actions.KIT_RELEASED)
        previous = KitVersion.objects.filter(
            campaign_id=locked.campaign_id, state=KitState.RELEASED, number__lt=locked.number
        ).values_list("pk", flat=True)
        for pk in list(previous):
            set_kit_state(
                pk,
                KitState.SUPERSEDED,
                user=user,
                action=actions.KIT_SUPERSEDED,
                data={"by": released.number},
            )
    version.refresh_from_db()
    return version
