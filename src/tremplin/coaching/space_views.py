"""A campaign's coaching space, for its maker, its coach and its organiser's team: the
readiness checklist and the first circle (here), the conversation and the private notes
(``thread_views``), the meetings (``meeting_views``). One page, one POST dispatcher: each
action parses its form and calls one verb; a refusal is shown, nothing changes.

Anyone else gets 404; the organiser's viewers read and post nothing (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.campaigns.enums import EDITABLE_STATES
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_assigned_coach, is_maker, organiser_membership
from tremplin.coaching import checklist
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.forms import ContactForm
from tremplin.coaching.models import FirstCircleContact
from tremplin.coaching.rules import can_confirm, can_see_space, can_write_thread
from tremplin.core.fields import parse_id


def space_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker", "coach"),
        slug=slug,
    )
    if not can_see_space(request.user, campaign):
        raise Http404
    return campaign


def back(campaign: Campaign, anchor: str = "") -> HttpResponse:
    return redirect(reverse("coaching:campaign", args=[campaign.slug]) + anchor)


# --- checklist actions -----------------------------------------------------------------------


def _key(request) -> str:
    return (request.POST.get("item") or "")[:40]


def _tick(request, campaign, forms_):
    checklist.tick(campaign, user=request.user, key=_key(request))
    messages.success(request, _("Ticked. Your coach will confirm it."))
    return back(campaign, "#checklist")


def _untick(request, campaign, forms_):
    checklist.untick(campaign, user=request.user, key=_key(request))
    messages.success(request, _("The tick is taken back."))
    return back(campaign, "#checklist")


def _confirm(request, campaign, forms_):
    checklist.confirm(campaign, user=request.user, key=_key(request))
    messages.success(request, _("Confirmed."))
    return back(campaign, "#checklist")


def _contact_add(request, campaign, forms_):
    form = forms_["contact_form"] = ContactForm(request.POST)
    if not form.is_valid():
        return None
    checklist.add_contact(campaign, user=request.user, **form.cleaned_data)
    messages.success(request, _("Added to your first circle."))
    return back(campaign, "#first-circle")


def _contact_remove(request, campaign, forms_):
    checklist.remove_contact(
        campaign, user=request.user, pk=parse_id(request.POST.get("contact", "")) or 0
    )
    messages.success(request, _("Removed from your first circle."))
    return back(campaign, "#first-circle")


HANDLERS = {
    "tick": _tick,
    "untick": _untick,
    "confirm": _confirm,
    "contact_add": _contact_add,
    "contact_remove": _contact_remove,
}


def _handlers() -> dict:
    from tremplin.coaching import meeting_views, thread_views

    return {**HANDLERS, **thread_views.HANDLERS, **meeting_views.HANDLERS}


# --- the page ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def space(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = space_campaign(request, slug)
    forms_: dict = {}
    error, status = "", 200
    if request.method == "POST":
        if not can_write_thread(request.user, campaign):
            return HttpResponse(status=403)
        handler = _handlers().get(request.POST.get("action", ""))
        if handler is None:
            error = _("Unknown action.")
        else:
            try:
                response = handler(request, campaign, forms_)
            except CoachingError as exc:
                if exc.code == "forbidden":
                    return HttpResponse(status=403)
                error = " ".join(exc.messages)
            else:
                if response is not None:
                    return response
                error = _("Check the form: some fields are not valid.")
        status = 400
    return render(
        request,
        "coaching/space.html",
        space_context(request, campaign, forms_, error),
        status=status,
    )


def space_context(request, campaign: Campaign, forms_: dict, error: str) -> dict:
    from tremplin.coaching import meeting_views, thread_views

    user = request.user
    states = checklist.evaluate(campaign)
    done, required = checklist.readiness(states)
    maker = is_maker(user, campaign)
    membership = organiser_membership(user, campaign)
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "states": states,
        "done": done,
        "required": required,
        "in_force": checklist.in_force(campaign.programme),
        "is_maker": maker,
        "is_coach": is_assigned_coach(user, campaign),
        "is_team": membership is not None,
        "can_confirm": can_confirm(user, campaign),
        "can_write": can_write_thread(user, campaign),
        "editable": campaign.state in EDITABLE_STATES,
        "first_circle_count": FirstCircleContact.objects.filter(campaign=campaign).count(),
        "contacts": list(FirstCircleContact.objects.filter(campaign=campaign)) if maker else [],
        "contact_form": forms_.get("contact_form") or ContactForm(),
        "error": error,
    }
    context.update(thread_views.context(request, campaign, forms_))
    context.update(meeting_views.context(request, campaign, forms_))
    return context
