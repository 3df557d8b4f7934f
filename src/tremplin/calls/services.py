"""The domain verbs of calls for projects. Every state change goes through one function
here: it checks the change is allowed, saves, writes the audit log and queues the e-mails
that belong to it (after commit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit


class TransitionError(ValidationError):
    """A state change that is not allowed now; the message is shown to the user."""


# --- programmes ---------------------------------------------------------------------------

PROGRAMME_TRANSITIONS: dict[str, set[str]] = {
    ProgrammeState.DRAFT: {ProgrammeState.CALL_OPEN},
    ProgrammeState.CALL_OPEN: {ProgrammeState.CALL_CLOSED},
    ProgrammeState.CALL_CLOSED: {ProgrammeState.CALL_OPEN, ProgrammeState.SCREENING},
    ProgrammeState.SCREENING: {ProgrammeState.JURY},
    ProgrammeState.JURY: {ProgrammeState.DELIBERATION},
    ProgrammeState.DELIBERATION: {ProgrammeState.RESULTS},
    ProgrammeState.RESULTS: {ProgrammeState.CAMPAIGNS_LIVE},
    ProgrammeState.CAMPAIGNS_LIVE: {ProgrammeState.CAMPAIGNS_CLOSED},
    ProgrammeState.CAMPAIGNS_CLOSED: {ProgrammeState.REPORT},
    ProgrammeState.REPORT: set(),
}


def _change_programme_state(
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
        log_action(action, obj=locked, user=user, data={"from": old_state, "to": new_state, **(data or {})})
    programme.state = locked.state
    return locked


def open_call(programme: Programme, *, user) -> Programme:
    """Open the call. The deadline must be in the future and the form must be usable."""
    if programme.call_closes_at <= timezone.now():
        raise TransitionError(_("The application deadline is in the past: change it first."))
    if not programme.category_list:
        raise TransitionError(_("Add at least one category before opening the call."))
    return _change_programme_state(
        programme, ProgrammeState.CALL_OPEN, user=user, action="tremplin.programme.call_opened"
    )


def close_call(programme: Programme, *, user) -> Programme:
    """Close the call (before or after the deadline). Unsubmitted drafts stay drafts."""
    return _change_programme_state(
        programme, ProgrammeState.CALL_CLOSED, user=user, action="tremplin.programme.call_closed"
    )


def start_screening(programme: Programme, *, user) -> Programme:
    return _change_programme_state(
        programme, ProgrammeState.SCREENING, user=user, action="tremplin.programme.screening_started"
    )


def log_programme_change(programme: Programme, *, user, changed: dict[str, Any], created=False):
    log_action(
        "tremplin.programme.created" if created else "tremplin.programme.changed",
        obj=programme,
        user=user,
        data={"changed": changed},
    )


# --- applications -------------------------------------------------------------------------


def _ensure_open(programme: Programme) -> None:
    if not programme.is_accepting_applications():
        raise TransitionError(
            _("The call for projects is closed: applications are no longer accepted.")
        )


def save_draft(application: Application, *, user, created: bool = False) -> Application:
    """Persist a maker's draft (or edits of a submitted application) while the call is open.
    The caller has already validated and assigned the fields."""
    _ensure_open(application.programme)
    if application.state == ApplicationState.WITHDRAWN:
        raise TransitionError(_("This application was withdrawn and can no longer be edited."))
    application.save()
    log_action(
        "tremplin.application.created" if created else "tremplin.application.changed",
        obj=application,
        user=user,
        data={"state": application.state},
    )
    return application


def submit_application(application: Application, *, user) -> Application:
    """Submit before the deadline (Europe/Paris): checks, saves, logs, sends confirmation."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").get(
            pk=application.pk
        )
        _ensure_open(locked.programme)
        if locked.state == ApplicationState.WITHDRAWN:
            raise TransitionError(_("This application was withdrawn."))
        first = locked.state == ApplicationState.DRAFT
        locked.state = ApplicationState.SUBMITTED
        if first:
            locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        log_action(
            "tremplin.application.submitted" if first else "tremplin.application.resubmitted",
            obj=locked,
            user=user,
        )
        send_mail_on_commit(
            "calls/email/application_submitted",
            locked.maker.email,
            {
                "maker_name": locked.maker_name or str(locked.maker),
                "title": locked.title,
                "programme": locked.programme.name,
                "reference": locked.reference,
                "deadline": locked.programme.call_closes_at.isoformat(),
                "path": f"/candidatures/{locked.pk}/",
                "first": first,
            },
            language=locked.maker.language,
        )
    application.refresh_from_db()
    return locked


def withdraw_application(application: Application, *, user) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").get(
            pk=application.pk
        )
        if locked.state == ApplicationState.WITHDRAWN:
            raise TransitionError(_("This application is already withdrawn."))
        if locked.eligibility != Eligibility.PENDING or not (
            locked.programme.state in (ProgrammeState.CALL_OPEN, ProgrammeState.CALL_CLOSED,
                                       ProgrammeState.SCREENING)
        ):
            raise TransitionError(_("This application can no longer be withdrawn."))
        locked.state = ApplicationState.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["state", "withdrawn_at", "updated_at"])
        log_action("tremplin.application.withdrawn", obj=locked, user=user)
        send_mail_on_commit(
            "calls/email/application_withdrawn",
            locked.maker.email,
            {"title": locked.title, "programme": locked.programme.name},
            language=locked.maker.language,
        )
    application.refresh_from_db()
    return locked


def screen_application(
    application: Application, *, user, eligible: bool, reason: str
) -> Application:
    """Mark a submitted application eligible or ineligible. Ineligibility needs a reason."""
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise TransitionError(_("Give the reason why the application is ineligible."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").get(
            pk=application.pk
        )
        if locked.state != ApplicationState.SUBMITTED:
            raise TransitionError(_("Only submitted applications can be screened."))
        if locked.programme.state not in (ProgrammeState.CALL_CLOSED, ProgrammeState.SCREENING):
            raise TransitionError(_("Screening starts once the call is closed."))
        previous = locked.eligibility
        locked.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
        locked.eligibility_reason = reason
        locked.screened_at = timezone.now()
        locked.screened_by = user
        locked.save(
            update_fields=[
                "eligibility", "eligibility_reason", "screened_at", "screened_by", "updated_at"
            ]
        )
        log_action(
            "tremplin.application.screened",
            obj=locked,
            user=user,
            data={"from": previous, "to": locked.eligibility, "reason": reason},
        )
    application.refresh_from_db()
    return locked
