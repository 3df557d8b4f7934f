"""The suggested relay calendar as an iCalendar file (one event per moment and campaign),
for the partner's own calendar application."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.core.models import Partner
from tremplin.kit import relay
from tremplin.kit.links import partner_url


def ics(partner: Partner, programme: Programme, campaigns: list[Campaign]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//relais//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{programme.name} — {partner.name}")
    host = settings.SITE_URL.split("://", 1)[-1]
    stamp = timezone.now()
    for campaign in campaigns:
        link = partner_url(campaign.slug, partner.slug)
        for moment in relay.calendar(campaign):
            event = Event()
            event.add("uid", f"relay-{partner.pk}-{campaign.pk}-{moment.kind}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", moment.starts)
            event.add("dtend", moment.ends)
            event.add("summary", f"{moment.label} : {campaign.title}")
            event.add("description", f"{moment.advice}\n{link}")
            event.add("url", link)
            calendar.add_component(event)
    return calendar.to_ical()
