"""Background work of coaching: e-mails with an ICS invitation, the periodic jobs
(``tremplin coaching-reminders``: workshop and meeting reminders, thread digests;
``tremplin coaching-tips``: the timed tips). django-tasks has no periodic scheduler: cron
runs the commands; every row is claimed by a conditional UPDATE, so overlapping runs
never send anything twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tremplin.coaching import ics
from tremplin.coaching.mails import TEMPLATE


@task()
def send_with_calendar(recipient: str, language: str, context: dict, what: str, pk: int) -> None:
    """Render the notice in ``language`` and attach the workshop's or meeting's ICS file
    (built now, from the row as it is)."""
    from tremplin.coaching.models import MeetingSlot, Workshop

    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE}.txt", context)
        html = render_to_string(f"{TEMPLATE}.html", context)
        if what == "workshop":
            workshop = Workshop.objects.filter(pk=pk).first()
            data = ics.workshop_file(workshop) if workshop else None
            method = "PUBLISH"
        else:
            slot = MeetingSlot.objects.select_related("coach", "campaign__application__maker")
            slot = slot.filter(pk=pk).first()
            data = ics.meeting_file(slot, title=context.get("title", "")) if slot else None
            method = "REQUEST"
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient])
    message.attach_alternative(html, "text/html")
    if data:
        message.attach("invitation.ics", data, f"text/calendar; method={method}; charset=utf-8")
    message.send()


@task()
def coaching_reminders() -> dict:
    from tremplin.coaching import meetings, thread, workshops

    return {
        "workshops": workshops.send_workshop_reminders(),
        "meetings": meetings.send_meeting_reminders(),
        "digests": thread.send_digests(),
    }


@task()
def coaching_tips() -> dict:
    from tremplin.coaching import tips

    return tips.send_due_tips()
