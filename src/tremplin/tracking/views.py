"""The coach's and the maker's tracking pages (backstage): the same cockpit as the
organiser's, for the campaigns they coach, and one campaign's figures for its maker and
its coach. Anyone else gets a 404 (nothing says the campaign exists).

Personal pages of the app: the coach's alerts (the campaigns they coach) and the daily
digest preference (the organiser's team, coaches and partner members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.tracking import rules
from tremplin.tracking.alerts import acknowledge_alert
from tremplin.tracking.digest import may_receive, set_digest_preference, wants_digest
from tremplin.tracking.display import watches
from tremplin.tracking.errors import TrackingError
from tremplin.tracking.forms import AcknowledgeForm, DigestPreferenceForm
from tremplin.tracking.models import Alert
from tremplin.tracking.rules import may_see_coach_alerts
from tremplin.tracking.views_common import render_campaign, render_cockpit


@login_required
@require_safe
def coach_cockpit(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_coach", False):
        raise Http404
    return render_cockpit(
        request,
        "tracking/coach_cockpit.html",
        rules.coached_campaigns(request.user),
        {"scope": "coach"},
    )


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("programme", "application"), slug=slug)


@login_required
@require_safe
def coach_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    if not rules.can_follow_as_coach(request.user, campaign):
        raise Http404
    return render_campaign(
        request, "tracking/backstage_campaign.html", campaign, {"scope": "coach"}
    )


@login_required
@require_safe
def maker_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    if not rules.can_follow_as_maker(request.user, campaign):
        raise Http404
    return render_campaign(
        request, "tracking/backstage_campaign.html", campaign, {"scope": "maker"}
    )


def _coach_page(
    request: HttpRequest, *, form=None, failed: int | None = None, status: int = 200
) -> HttpResponse:
    campaigns = list(
        Campaign.objects.filter(coach=request.user, state=CampaignState.LIVE)
        .select_related("programme")
        .order_by("ends_at", "title")
    )
    history = (
        Alert.objects.filter(campaign__coach=request.user, resolved_at__isnull=False)
        .select_related("campaign", "acknowledged_by")
        .order_by("-resolved_at", "-pk")[:50]
    )
    context = {
        "watches": (lines := watches(campaigns)),
        "open_count": sum(len(w.alerts) for w in lines),
        "history": history,
        "form": form,
        "failed": failed,
        "can_acknowledge": True,
        "coach_mode": True,
    }
    return render(request, "tracking/coach_alerts.html", context, status=status)


@login_required
@require_safe
def coach_alerts(request: HttpRequest) -> HttpResponse:
    if not may_see_coach_alerts(request.user):
        raise PermissionDenied
    return _coach_page(request)


@login_required
@require_POST
def coach_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_see_coach_alerts(request.user):
        raise Http404
    alert = get_object_or_404(Alert, pk=pk, campaign__coach=request.user)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _coach_page(request, form=form, failed=alert.pk, status=400)
    try:
        acknowledge_alert(alert.pk, user=request.user, note=form.cleaned_data["note"])
    except TrackingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The alert is acknowledged."))
    return redirect("tracking:coach_alerts")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest(request: HttpRequest) -> HttpResponse:
    if not may_receive(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = DigestPreferenceForm(request.POST)
        if form.is_valid():
            set_digest_preference(request.user, form.cleaned_data["enabled"])
            messages.success(request, _("Your daily digest preference is saved."))
            return redirect("tracking:digest")
        status = 400
    else:
        form = DigestPreferenceForm(initial={"enabled": wants_digest(request.user)})
    return render(request, "tracking/digest.html", {"form": form}, status=status)
