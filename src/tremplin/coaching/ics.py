"""ICS (iCalendar) files: a programme's workshops feed, one workshop, one meeting. Times are
written in Europe/Paris with their TZID and the VTIMEZONE that defines it
(``add_missing_timezones``), so every calendar shows the right hour on both sides of a
daylight-saving change."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from tremplin.core.dates import PARIS

PRODID = "-//Tremplin//Coaching//FR"


def _calendar(name: str = "", method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar


def _paris(moment: datetime) -> datetime:
    return timezone.localtime(moment, PARIS)


def _host() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "tremplin"


def _workshop_event(workshop) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", _paris(workshop.starts_at))
    event.add("dtend", _paris(workshop.ends_at))
    event.add("summary", workshop.title)
    description = workshop.description
    if workshop.online_url:
        description += f"\n\n{workshop.online_url}"
    event.add("description", description)
    location = ", ".join(p for p in (workshop.place, workshop.address) if p)
    event.add("location", location or workshop.online_url)
    if workshop.online_url:
        event.add("url", workshop.online_url)
    event.add("status", "CANCELLED" if workshop.cancelled_at else "CONFIRMED")
    return event


def workshops_feed(programme, workshops) -> bytes:
    calendar = _calendar(name=programme.name)
    for workshop in workshops:
        calendar.add_component(_workshop_event(workshop))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def workshop_file(workshop) -> bytes:
    calendar = _calendar(method="PUBLISH")
    calendar.add_component(_workshop_event(workshop))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_file(slot, *, title: str) -> bytes:
    """The invitation to a booked meeting (METHOD:REQUEST, organiser the coach, the maker
    an attendee)."""
    calendar = _calendar(method="REQUEST")
    event = Event()
    event.add("uid", f"meeting-{slot.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", _paris(slot.starts_at))
    event.add("dtend", _paris(slot.ends_at))
    event.add("summary", title)
    event.add("location", slot.place)
    event.add("sequence", 1 if slot.cancelled_at else 0)
    event.add("status", "CANCELLED" if slot.cancelled_at else "CONFIRMED")
    if slot.coach is not None:
        organiser = vCalAddress(f"mailto:{slot.coach.email}")
        organiser.params["cn"] = vText(str(slot.coach))
        event.add("organizer", organiser)
    maker = slot.campaign.maker
    attendee = vCalAddress(f"mailto:{maker.email}")
    attendee.params["cn"] = vText(str(maker))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
