"""Workshops: scheduling, registration with a waiting list, cancellation with automatic
promotion, reminders the day before, attendance, materials.

Capacity: ``register`` and ``cancel_registration`` lock the workshop's row
(``select_for_update``) before counting its confirmed registrations, so two registrations
never both take the last place (``LOCK_WORKSHOP`` exists only so the concurrency test can
show the race without the lock)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.coaching import actions, mails
from tremplin.coaching.enums import (
    ACTIVE_REGISTRATION_STATES,
    REGISTRATION_TRANSITIONS,
    RegistrationState,
)
from tremplin.coaching.errors import CoachingError, refuse
from tremplin.coaching.models import Workshop, WorkshopMaterial, WorkshopRegistration
from tremplin.coaching.rules import can_manage_workshops, in_audience
from tremplin.core.audit import log_action
from tremplin.core.fields import parse_id

LOCK_WORKSHOP = True
TOKEN_SALT = "tremplin.coaching.registration"  # noqa: S105 (a signing salt)
WORKSHOP_FIELDS = (
    "title",
    "description",
    "place",
    "address",
    "online_url",
    "starts_at",
    "duration_minutes",
    "capacity",
    "audience",
)


# --- tokens (the link in the confirmation e-mail) ---------------------------------------------


def registration_token(registration: WorkshopRegistration) -> str:
    return signing.dumps(registration.pk, salt=TOKEN_SALT, compress=True)


def registration_from_token(token: str) -> WorkshopRegistration | None:
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or parse_id(pk) is None:
        return None
    return (
        WorkshopRegistration.objects.select_related("workshop__programme__organiser")
        .filter(pk=pk)
        .first()
    )


def registration_path(registration: WorkshopRegistration) -> str:
    return reverse("coaching:registration", args=[registration_token(registration)])


def _context(registration: WorkshopRegistration) -> dict:
    workshop = registration.workshop
    return {
        "name": registration.name,
        "title": workshop.title,
        "starts_at": workshop.starts_at.isoformat(),
        "place": ", ".join(p for p in (workshop.place, workshop.address) if p),
        "online_url": workshop.online_url,
        "registration_path": registration_path(registration),
    }


# --- scheduling --------------------------------------------------------------------------------


def schedule_workshop(programme, *, user, fields: dict) -> Workshop:
    if not can_manage_workshops(user, programme):
        raise refuse()
    _check_fields(fields)
    with transaction.atomic():
        workshop = Workshop.objects.create(programme=programme, created_by=user, **fields)
        log_action(actions.WORKSHOP_SCHEDULED, obj=workshop, user=user)
    return workshop


def _check_fields(fields: dict) -> None:
    if not (fields.get("online_url") or fields.get("address") or fields.get("place")):
        raise CoachingError(_("Give a place with its address, or an online link."), code="no_place")
    if fields["starts_at"] <= timezone.now():
        raise CoachingError(_("A workshop is scheduled in the future."), code="past")


def update_workshop(workshop: Workshop, *, user, fields: dict) -> Workshop:
    """Change a workshop; more places promote the waiting list, fewer than the people
    already registered is refused."""
    if not can_manage_workshops(user, workshop.programme):
        raise refuse()
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if locked.starts_at <= timezone.now():
            raise CoachingError(_("This workshop has already started."), code="started")
        _check_fields(fields)
        confirmed = _confirmed_count(locked.pk)
        if fields["capacity"] < confirmed:
            raise CoachingError(
                _("%(count)s people are already registered: the capacity cannot be lower.")
                % {"count": confirmed},
                code="capacity",
            )
        changed = {k: str(v) for k, v in fields.items() if getattr(locked, k) != v}
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        log_action(actions.WORKSHOP_CHANGED, obj=locked, user=user, data={"changed": changed})
        _promote(locked, places=locked.capacity - confirmed)
    return locked


def cancel_workshop(workshop: Workshop, *, user) -> int:
    """Cancel a workshop that has not started: everyone registered or waiting is told (with
    the cancelled invitation). Returns the number of people told."""
    if not can_manage_workshops(user, workshop.programme):
        raise refuse()
    with transaction.atomic():
        locked = _lock(workshop.pk)
        if locked.cancelled_at is not None:
            raise CoachingError(_("This workshop is cancelled."), code="cancelled")
        if locked.starts_at <= timezone.now():
            raise CoachingError(_("This workshop has already started."), code="started")
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "updated_at"])
        people = list(
            WorkshopRegistration.objects.filter(
                workshop=locked, state__in=ACTIVE_REGISTRATION_STATES
            )
        )
        for registration in people:
            mails.notify_with_calendar(
                "workshop_cancelled",
                registration.email,
                registration.language,
                ("workshop", locked.pk),
                **_context(registration),
            )
        log_action(actions.WORKSHOP_CANCELLED, obj=locked, user=user)
    return len(people)


# --- registration ------------------------------------------------------------------------------


def _confirmed_count(workshop_id: int) -> int:
    return WorkshopRegistration.objects.filter(
        workshop_id=workshop_id, state=RegistrationState.CONFIRMED
    ).count()


def _lock(workshop_id: int) -> Workshop:
    queryset = Workshop.objects.select_related("programme")
    if LOCK_WORKSHOP:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=workshop_id)


def register(
    workshop: Workshop, *, name: str, email: str, user=None, language: str = "fr"
) -> WorkshopRegistration:
    """A place if one is left, else a place on the waiting list; a confirmation e-mail with
    the link to cancel."""
    viewer = user if user is not None else _Anonymous()
    if not in_audience(viewer, workshop):
        raise refuse()
    email = email.strip().lower()
    with transaction.atomic():
        locked = _lock(workshop.pk)
        if locked.cancelled_at is not None:
            raise CoachingError(_("This workshop is cancelled."), code="cancelled")
        if locked.starts_at <= timezone.now():
            raise CoachingError(_("This workshop has already started."), code="started")
        if WorkshopRegistration.objects.filter(
            workshop=locked, email=email, state__in=ACTIVE_REGISTRATION_STATES
        ).exists():
            raise CoachingError(
                _("This e-mail address is already registered to this workshop."),
                code="already",
            )
        full = _confirmed_count(locked.pk) >= locked.capacity
        state = RegistrationState.WAITING if full else RegistrationState.CONFIRMED
        try:
            with transaction.atomic():
                registration = WorkshopRegistration.objects.create(
                    workshop=locked,
                    user=user,
                    name=name.strip(),
                    email=email,
                    language=language,
                    state=state,
                )
        except IntegrityError:
            raise CoachingError(
                _("This e-mail address is already registered to this workshop."),
                code="already",
            ) from None
        log_action(
            actions.WORKSHOP_REGISTERED,
            obj=registration,
            user=user,
            data={"workshop": locked.title, "state": state},
        )
        mails.notify_with_calendar(
            "waiting" if full else "registered",
            email,
            language,
            ("workshop", locked.pk),
            **_context(registration),
        )
    return registration


class _Anonymous:
    is_authenticated = False
    is_coach = False


def cancel_registration(registration: WorkshopRegistration, *, user=None) -> None:
    """The person (or the organiser) cancels; a confirmed place goes to the first person
    waiting, who is told by e-mail."""
    with transaction.atomic():
        workshop = _lock(registration.workshop_id)
        locked = WorkshopRegistration.objects.select_for_update().get(pk=registration.pk)
        if RegistrationState.CANCELLED not in REGISTRATION_TRANSITIONS[locked.state]:
            raise CoachingError(_("This registration is already cancelled."), code="state")
        if workshop.starts_at <= timezone.now():
            raise CoachingError(_("This workshop has already started."), code="started")
        was_confirmed = locked.state == RegistrationState.CONFIRMED
        locked.state = RegistrationState.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["state", "cancelled_at", "updated_at"])
        log_action(actions.WORKSHOP_REGISTRATION_CANCELLED, obj=locked, user=user)
        mails.notify("cancelled", locked.email, locked.language, **_context(locked))
        if was_confirmed:
            _promote(workshop, places=workshop.capacity - _confirmed_count(workshop.pk))


def _promote(workshop: Workshop, *, places: int) -> int:
    """Give ``places`` free places to the first people waiting (the workshop locked)."""
    if places <= 0:
        return 0
    waiting = list(
        WorkshopRegistration.objects.select_for_update()
        .filter(workshop=workshop, state=RegistrationState.WAITING)
        .order_by("created_at", "pk")[:places]
    )
    now = timezone.now()
    for registration in waiting:
        registration.state = RegistrationState.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["state", "promoted_at", "updated_at"])
        log_action(actions.WORKSHOP_PROMOTED, obj=registration, data={"promoted": True})
        mails.notify_with_calendar(
            "promoted",
            registration.email,
            registration.language,
            ("workshop", workshop.pk),
            **_context(registration),
        )
    return len(waiting)


# --- after the workshop --------------------------------------------------------------------


def take_attendance(workshop: Workshop, *, user, present: set[int]) -> int:
    """Mark who came among the confirmed registrations (once the workshop has started)."""
    if not can_manage_workshops(user, workshop.programme):
        raise refuse()
    if workshop.starts_at > timezone.now():
        raise CoachingError(
            _("Attendance is taken once the workshop has started."), code="not_started"
        )
    with transaction.atomic():
        rows = WorkshopRegistration.objects.filter(
            workshop=workshop, state=RegistrationState.CONFIRMED
        )
        came = rows.filter(pk__in=present).update(attended=True, updated_at=timezone.now())
        rows.exclude(pk__in=present).update(attended=False, updated_at=timezone.now())
        log_action(actions.WORKSHOP_ATTENDANCE, obj=workshop, user=user, data={"attended": came})
    return came


def add_material(workshop: Workshop, *, user, title: str, file=None, url: str = ""):
    if not can_manage_workshops(user, workshop.programme):
        raise refuse()
    if not (file or url):
        raise CoachingError(_("Upload a PDF document or give a link."), code="empty")
    with transaction.atomic():
        material = WorkshopMaterial(workshop=workshop, title=title.strip(), url=url)
        if file is not None:
            material.file.save(file.name, file, save=False)
        material.save()
        log_action(actions.WORKSHOP_MATERIAL_ADDED, obj=workshop, user=user)
    return material


def share_materials(workshop: Workshop, *, user) -> int:
    """E-mail the attendees the link to the materials; once per workshop (claimed)."""
    if not can_manage_workshops(user, workshop.programme):
        raise refuse()
    if not workshop.materials.exists():
        raise CoachingError(_("Add materials before sharing them."), code="empty")
    attendees = list(
        WorkshopRegistration.objects.filter(workshop=workshop, attended=True).select_related(
            "workshop"
        )
    )
    if not attendees:
        raise CoachingError(
            _("Take the attendance first: nobody is marked present."), code="nobody"
        )
    with transaction.atomic():
        now = timezone.now()
        claimed = Workshop.objects.filter(pk=workshop.pk, materials_shared_at__isnull=True).update(
            materials_shared_at=now
        )
        if claimed != 1:
            raise CoachingError(_("The materials were already shared."), code="already")
        for registration in attendees:
            mails.notify(
                "materials", registration.email, registration.language, **_context(registration)
            )
        log_action(
            actions.WORKSHOP_MATERIALS_SHARED,
            obj=workshop,
            user=user,
            data={"attended": len(attendees)},
        )
    return len(attendees)


def may_download(registration: WorkshopRegistration | None) -> bool:
    return bool(registration and registration.attended)


# --- reminders (tremplin coaching-reminders) ------------------------------------------------


def send_workshop_reminders(now: datetime | None = None) -> int:
    """The day before: every workshop starting within 24 hours is claimed once
    (``reminders_sent_at``) and its registered people e-mailed. Returns e-mails queued."""
    now = now or timezone.now()
    due = Workshop.objects.filter(
        cancelled_at__isnull=True,
        reminders_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Workshop.objects.filter(pk=pk, reminders_sent_at__isnull=True).update(
                reminders_sent_at=now
            )
            if claimed != 1:
                continue
            workshop = Workshop.objects.get(pk=pk)
            rows = WorkshopRegistration.objects.filter(
                workshop=workshop, state=RegistrationState.CONFIRMED
            )
            for registration in rows:
                mails.notify(
                    "workshop_reminder",
                    registration.email,
                    registration.language,
                    **_context(registration),
                )
                sent += 1
            rows.update(reminder_sent_at=now)
            log_action(actions.WORKSHOP_REMINDED, obj=workshop, data={"attended": sent})
    return sent
