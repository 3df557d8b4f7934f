"""Coaching meetings: the coach proposes slots, the maker books one (the others close),
both get the ICS invitation and a reminder the day before, and the meeting's notes go in
the conversation. A slot is booked by a conditional UPDATE: two clicks, or the maker and a
cancellation at once, never book it twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_maker
from tremplin.coaching import actions, mails, thread
from tremplin.coaching.enums import MessageKind
from tremplin.coaching.errors import CoachingError, refuse
from tremplin.coaching.models import MeetingSlot
from tremplin.coaching.rules import can_confirm
from tremplin.core.audit import log_action

MAX_OPEN_SLOTS = 10


def open_slots(campaign: Campaign, now: datetime | None = None):
    return MeetingSlot.objects.filter(
        campaign=campaign,
        booked_at__isnull=True,
        cancelled_at__isnull=True,
        starts_at__gt=now or timezone.now(),
    )


def propose(
    campaign: Campaign, *, user, starts: list[datetime], duration: int, place: str
) -> list[MeetingSlot]:
    if not can_confirm(user, campaign):
        raise refuse()
    now = timezone.now()
    if not starts or any(moment <= now for moment in starts):
        raise CoachingError(_("Propose times in the future."), code="past")
    if len(set(starts)) != len(starts):
        raise CoachingError(_("The same time is proposed twice."), code="duplicate")
    with transaction.atomic():
        if open_slots(campaign, now).count() + len(starts) > MAX_OPEN_SLOTS:
            raise CoachingError(
                _("At most %(max)s open times at once.") % {"max": MAX_OPEN_SLOTS},
                code="too_many",
            )
        slots = [
            MeetingSlot.objects.create(
                campaign=campaign,
                coach=user,
                starts_at=moment,
                duration_minutes=duration,
                place=place,
            )
            for moment in sorted(starts)
        ]
        log_action(
            actions.MEETING_PROPOSED,
            obj=campaign,
            user=user,
            data={"starts_at": [s.starts_at.isoformat() for s in slots]},
        )
        maker = campaign.maker
        mails.notify(
            "meeting_proposed",
            maker.email,
            maker.language,
            name=maker.get_short_name(),
            author=str(user),
            title=campaign.title,
            space_path=thread.space_path(campaign),
        )
    return slots


def _context(slot: MeetingSlot, person) -> dict:
    return {
        "name": person.get_short_name(),
        "title": slot.campaign.title,
        "starts_at": slot.starts_at.isoformat(),
        "place": slot.place,
        "space_path": thread.space_path(slot.campaign),
    }


def _people(slot: MeetingSlot) -> list:
    people = [slot.campaign.maker]
    if slot.coach is not None:
        people.append(slot.coach)
    return people


def book(slot: MeetingSlot, *, user) -> MeetingSlot:
    campaign = slot.campaign
    if not is_maker(user, campaign):
        raise refuse()
    now = timezone.now()
    with transaction.atomic():
        claimed = open_slots(campaign, now).filter(pk=slot.pk).update(booked_at=now, booked_by=user)
        if claimed != 1:
            raise CoachingError(_("This time is no longer available."), code="unavailable")
        # The other times proposed close.
        open_slots(campaign, now).exclude(pk=slot.pk).update(cancelled_at=now)
        slot.refresh_from_db()
        log_action(
            actions.MEETING_BOOKED,
            obj=campaign,
            user=user,
            data={"starts_at": slot.starts_at.isoformat()},
        )
        for person in _people(slot):
            mails.notify_with_calendar(
                "meeting_booked",
                person.email,
                person.language,
                ("meeting", slot.pk),
                **_context(slot, person),
            )
    return slot


def cancel(slot: MeetingSlot, *, user) -> None:
    """The coach withdraws a time, or either of them cancels a booked meeting (both are
    told, the invitation cancelled)."""
    campaign = slot.campaign
    if not (can_confirm(user, campaign) or (is_maker(user, campaign) and slot.booked_at)):
        raise refuse()
    now = timezone.now()
    with transaction.atomic():
        cancelled = MeetingSlot.objects.filter(
            pk=slot.pk, cancelled_at__isnull=True, starts_at__gt=now
        ).update(cancelled_at=now)
        if cancelled != 1:
            raise CoachingError(_("This meeting cannot be cancelled now."), code="state")
        slot.refresh_from_db()
        log_action(actions.MEETING_CANCELLED, obj=campaign, user=user)
        if slot.booked_at:
            for person in _people(slot):
                mails.notify_with_calendar(
                    "meeting_cancelled",
                    person.email,
                    person.language,
                    ("meeting", slot.pk),
                    **_context(slot, person),
                )


def write_notes(slot: MeetingSlot, *, user, body: str):
    """The meeting's notes, once it has started, into the conversation (once per meeting)."""
    campaign = slot.campaign
    if not can_confirm(user, campaign):
        raise refuse()
    if not slot.booked_at or slot.cancelled_at or slot.starts_at > timezone.now():
        raise CoachingError(
            _("Notes are written once a booked meeting has started."), code="not_started"
        )
    with transaction.atomic():
        locked = MeetingSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.notes_id:
            raise CoachingError(_("This meeting already has its notes."), code="already")
        message = thread.post_message(
            campaign, user=user, body=body, kind=MessageKind.MEETING_NOTES
        )
        locked.notes = message
        locked.save(update_fields=["notes"])
        log_action(actions.MEETING_NOTES, obj=campaign, user=user)
    return message


def send_meeting_reminders(now: datetime | None = None) -> int:
    """The day before a booked meeting, both are reminded; claimed once
    (``reminder_sent_at``)."""
    now = now or timezone.now()
    due = MeetingSlot.objects.filter(
        booked_at__isnull=False,
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if (
                MeetingSlot.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
                != 1
            ):
                continue
            slot = MeetingSlot.objects.select_related("campaign__application__maker", "coach").get(
                pk=pk
            )
            for person in _people(slot):
                mails.notify(
                    "meeting_reminder", person.email, person.language, **_context(slot, person)
                )
                sent += 1
    return sent
