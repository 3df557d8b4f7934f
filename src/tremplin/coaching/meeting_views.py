"""The meetings part of a campaign's coaching space (propose, book, cancel, notes) and a
booked meeting's ICS file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tremplin.coaching import ics, meetings
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.forms import MeetingNotesForm, SlotsForm
from tremplin.coaching.models import MeetingSlot
from tremplin.coaching.rules import can_confirm
from tremplin.core.fields import parse_id


def _slot(request, campaign) -> MeetingSlot:
    pk = parse_id(request.POST.get("slot", "")) or 0
    slot = (
        MeetingSlot.objects.select_related("campaign__application__maker", "coach")
        .filter(pk=pk, campaign=campaign)
        .first()
    )
    if slot is None:
        raise CoachingError(_("This meeting does not exist."), code="no_slot")
    return slot


def _propose(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    form = forms_["slots_form"] = SlotsForm(request.POST)
    if not form.is_valid():
        return None
    meetings.propose(
        campaign,
        user=request.user,
        starts=form.starts(),
        duration=form.cleaned_data["duration"],
        place=" ".join(form.cleaned_data["place"].split()),
    )
    messages.success(request, _("The times are proposed to the maker."))
    return back(campaign, "#meetings")


def _book(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    meetings.book(_slot(request, campaign), user=request.user)
    messages.success(request, _("The meeting is booked: the invitation is on its way."))
    return back(campaign, "#meetings")


def _cancel(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    meetings.cancel(_slot(request, campaign), user=request.user)
    messages.success(request, _("The meeting is cancelled."))
    return back(campaign, "#meetings")


def _notes(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    form = forms_["notes_form"] = MeetingNotesForm(request.POST)
    if not form.is_valid():
        return None
    meetings.write_notes(
        _slot(request, campaign), user=request.user, body=form.cleaned_data["notes"]
    )
    messages.success(request, _("The notes are in the conversation."))
    return back(campaign, "#thread")


HANDLERS = {
    "propose": _propose,
    "book": _book,
    "cancel_slot": _cancel,
    "meeting_notes": _notes,
}


def context(request, campaign, forms_) -> dict:
    now = timezone.now()
    slots = list(
        MeetingSlot.objects.filter(campaign=campaign, cancelled_at__isnull=True)
        .select_related("coach")
        .order_by("starts_at")
    )
    return {
        "open_slots": [s for s in slots if not s.booked_at and s.starts_at > now],
        "booked": [s for s in slots if s.booked_at],
        "now": now,
        "can_propose": can_confirm(request.user, campaign),
        "slots_form": forms_.get("slots_form") or SlotsForm(),
        "notes_form": forms_.get("notes_form") or MeetingNotesForm(),
    }


@login_required
@require_safe
def meeting_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from tremplin.coaching.space_views import space_campaign

    campaign = space_campaign(request, slug)
    slot = get_object_or_404(
        MeetingSlot.objects.select_related("coach", "campaign__application__maker"),
        pk=parse_id(pk) or 0,
        campaign=campaign,
        booked_at__isnull=False,
    )
    data = ics.meeting_file(slot, title=_("Coaching: %(title)s") % {"title": campaign.title})
    response = HttpResponse(data, content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{slot.pk}.ics"'
    return response
