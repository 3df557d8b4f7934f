"""The programme's verbs: its state changes (checked against ``PROGRAMME_TRANSITIONS``) and
its settings, and ``TransitionError``, the refusal of every calls verb. Every state change
goes through one function: it checks the change is allowed, saves and writes the audit log.
The application form's verbs are in ``calls.questions``, the applications' in
``calls.applications``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.calls.enums import (
    PROGRAMME_TRANSITIONS,
    ProgrammeState,
)
from tremplin.calls.models import Programme
from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError


class TransitionError(DomainError):
    """A state change that is not allowed now; the message is shown to the user."""


# --- programmes ---------------------------------------------------------------------------


def change_programme_state(
    programme: Programme, new_state: str, *, user, action: str, data: dict | None = None
) -> Programme:
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if new_state not in PROGRAMME_TRANSITIONS[locked.state]:
            raise TransitionError(
                _("A programme in state “%(from)s” cannot go to “%(to)s”.")
                % {
                    "from": ProgrammeState(locked.state).label,
                    "to": ProgrammeState(new_state).label,
                }
            )
        old_state = locked.state
        locked.state = new_state
        locked.save(update_fields=["state", "updated_at"])
        log_action(
            action,
            obj=locked,
            user=user,
            data={"from": old_state, "to": new_state, **(data or {})},
        )
    programme.state = locked.state
    return locked


def open_call(programme: Programme, *, user) -> Programme:
    """Open the call. The deadline must be in the future and the form must be usable."""
    if programme.call_closes_at <= timezone.now():
        raise TransitionError(_("The application deadline is in the past: change it first."))
    if not programme.category_list:
        raise TransitionError(_("Add at least one category before opening the call."))
    return change_programme_state(
        programme, ProgrammeState.CALL_OPEN, user=user, action="tremplin.programme.call_opened"
    )


def close_call(programme: Programme, *, user) -> Programme:
    """Close the call (before or after the deadline). Unsubmitted drafts stay drafts."""
    return change_programme_state(
        programme, ProgrammeState.CALL_CLOSED, user=user, action="tremplin.programme.call_closed"
    )


def start_screening(programme: Programme, *, user) -> Programme:
    return change_programme_state(
        programme,
        ProgrammeState.SCREENING,
        user=user,
        action="tremplin.programme.screening_started",
    )


def log_programme_change(programme: Programme, *, user, changed: dict[str, Any], created=False):
    log_action(
        "tremplin.programme.created" if created else "tremplin.programme.changed",
        obj=programme,
        user=user,
        data={"changed": changed},
    )


def save_programme(
    programme: Programme,
    *,
    user,
    changed: dict[str, Any],
    created: bool = False,
    partners=None,
) -> Programme:
    """Create or change a programme's settings (never its state: transitions do that).
    Saves, sets the partners, logs the changed fields. The deadline cannot move into the
    past while the call is open."""
    with transaction.atomic():
        if not created:
            # The state may have changed since the form was loaded: keep the current one.
            programme.state = (
                Programme.objects.select_for_update()
                .values_list("state", flat=True)
                .get(pk=programme.pk)
            )
            if (
                programme.state == ProgrammeState.CALL_OPEN
                and "call_closes_at" in changed
                and programme.call_closes_at <= timezone.now()
            ):
                raise TransitionError(
                    _("The call is open: its deadline cannot be moved into the past.")
                )
        programme.save()
        if partners is not None:
            programme.partners.set(partners)
        log_programme_change(programme, user=user, changed=changed, created=created)
    return programme
