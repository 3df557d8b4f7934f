"""Meetings: the coach proposes times, the maker books one, both get an ICS invitation in
Paris time and a reminder the day before (once), the notes go in the conversation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from tremplin.coaching import meetings
from tremplin.coaching.models import MeetingSlot, Message
from tremplin.core.dates import PARIS

pytestmark = pytest.mark.django_db


def _local(moment: datetime) -> str:
    return timezone.localtime(moment, PARIS).strftime("%Y-%m-%dT%H:%M")


def _propose(client, campaign, *starts):
    data = {"action": "propose", "duration": "45", "place": "Tiers-lieu La Coop, Roubaix"}
    for i, start in enumerate(starts, 1):
        data[f"start_{i}"] = _local(start)
    return client.post(f"/accompagnement/c/{campaign.slug}/", data)


def test_propose_book_invite_remind_and_notes(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    coach, maker = client_for(world.coach), client_for(world.maker)
    base = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert _propose(coach, world.campaign, base, base + timedelta(hours=2)).status_code == 302
    assert [m.to for m in mailoutbox] == [[world.maker.email]]
    first, second = MeetingSlot.objects.order_by("starts_at")
    # The maker cannot propose; the coach cannot book for the maker.
    assert _propose(maker, world.campaign, base).status_code == 403
    url = f"/accompagnement/c/{world.campaign.slug}/"
    assert coach.post(url, {"action": "book", "slot": first.pk}).status_code == 403
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert maker.post(url, {"action": "book", "slot": first.pk}).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.booked_by == world.maker and second.cancelled_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.maker.email, world.coach.email])
    for message in mailoutbox:
        name, data, mimetype = message.attachments[0]
        assert name == "invitation.ics" and mimetype.startswith("text/calendar")
        calendar = Calendar.from_ical(data)
        event = next(iter(calendar.walk("VEVENT")))
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
        assert event.decoded("dtstart") == first.starts_at
        assert str(calendar["method"]) == "REQUEST"
        assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
        assert str(event["attendee"]) == f"mailto:{world.maker.email}"
    # Booking again (or the closed time) is refused.
    assert maker.post(url, {"action": "book", "slot": second.pk}).status_code == 400
    assert maker.post(url, {"action": "book", "slot": first.pk}).status_code == 400
    # The ICS download, for the space only.
    ics_url = f"{url}rendez-vous/{first.pk}.ics"
    assert maker.get(ics_url).status_code == 200
    assert client_for(world.other_maker).get(ics_url).status_code == 404
    # The reminder the day before, once, to both.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert meetings.send_meeting_reminders(first.starts_at - timedelta(hours=30)) == 0
        assert meetings.send_meeting_reminders(first.starts_at - timedelta(hours=20)) == 2
        assert meetings.send_meeting_reminders(first.starts_at - timedelta(hours=19)) == 0
    assert len(mailoutbox) == 2
    # Notes: not before the meeting, then once, into the conversation.
    notes = {"action": "meeting_notes", "slot": first.pk, "notes": "On a fixé **3 contreparties**."}
    assert coach.post(url, notes).status_code == 400
    MeetingSlot.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert maker.post(url, notes).status_code == 403
    assert coach.post(url, notes).status_code == 302
    assert coach.post(url, notes).status_code == 400
    message = Message.objects.get()
    assert (
        message.kind == "meeting_notes" and "<strong>3 contreparties</strong>" in message.body_html
    )
    assert "3 contreparties" in maker.get(url).content.decode()


def test_cancelling_a_booked_meeting_tells_both(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now() + timedelta(days=2)
    (slot,) = meetings.propose(
        world.campaign, user=world.coach, starts=[start], duration=30, place="Visio"
    )
    meetings.book(slot, user=world.maker)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.maker).post(
            f"/accompagnement/c/{world.campaign.slug}/", {"action": "cancel_slot", "slot": slot.pk}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2 and all("cancelled" in m.subject for m in mailoutbox)
    event = next(iter(Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")))
    assert str(event["status"]) == "CANCELLED"


@pytest.mark.parametrize(
    "change",
    [
        {"start_1": ""},
        {"start_1": "yesterday"},
        {"start_1": "2001-01-01T10:00"},
        {"start_2": "2001-01-01T10:00"},
        {"duration": "1" * 40},
        {"duration": "5"},
        {"place": ""},
        {"place": "x" * 400},
        {"place": "a\x00b"},
    ],
)
def test_bad_slot_input(world, client_for, change):
    data = {
        "action": "propose",
        "start_1": _local(timezone.now() + timedelta(days=2)),
        "duration": "45",
        "place": "Visio",
        **change,
    }
    response = client_for(world.coach).post(f"/accompagnement/c/{world.campaign.slug}/", data)
    assert response.status_code == 400
    assert not MeetingSlot.objects.exists()


@pytest.mark.parametrize("slot", ["", "abc", "1" * 40, "99999", "\x00"])
def test_bad_slot_references(world, client_for, slot):
    response = client_for(world.maker).post(
        f"/accompagnement/c/{world.campaign.slug}/", {"action": "book", "slot": slot}
    )
    assert response.status_code == 400


def test_the_reminders_command(world, mailoutbox):
    call_command("coaching-reminders")
    assert mailoutbox == []
