"""The organiser's tracking pages: the programme cockpit, one campaign's figures, the
attribution breakdown. Read-only: every member of the team (viewers included) opens them;
another organiser's programme answers 404.

The organiser's alert pages, under ``gestion/<organiser_slug>/``: a programme's alerts
(the live campaigns' forecasts in words, their open alerts with the acknowledgement form,
the recent history) and its alert settings. Decorated with ``organiser_view``: another
organiser answers 404; viewers read, changes need a manager (403). An invalid POST
re-renders its page with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import entries_for
from tremplin.core.permissions import organiser_view
from tremplin.tracking import actions
from tremplin.tracking import attribution as attribution_breakdown
from tremplin.tracking.alerts import acknowledge_alert, save_settings, settings_for
from tremplin.tracking.display import watches
from tremplin.tracking.errors import TrackingError
from tremplin.tracking.forms import AcknowledgeForm, BreakdownFilterForm, TrackingSettingsForm
from tremplin.tracking.models import Alert
from tremplin.tracking.views_common import render_campaign, render_cockpit


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme, organiser=request.organiser, slug=slug)


@require_safe
@organiser_view()
def cockpit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    campaigns = Campaign.objects.filter(programme=programme)
    return render_cockpit(
        request,
        "tracking/manage/cockpit.html",
        campaigns,
        {"programme": programme, "scope": "organiser"},
    )


@require_safe
@organiser_view()
def campaign(request: HttpRequest, slug: str, campaign_slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    found = get_object_or_404(
        Campaign.objects.select_related("programme"), programme=programme, slug=campaign_slug
    )
    return render_campaign(
        request,
        "tracking/manage/campaign.html",
        found,
        {"programme": programme, "scope": "organiser"},
    )


@require_safe
@organiser_view()
def attribution(request: HttpRequest, slug: str) -> HttpResponse:
    """Visits, contributions, amount and conversion by channel (partner by partner), for
    the programme or one campaign, or one partner's links campaign by campaign."""
    programme = _programme(request, slug)
    form = BreakdownFilterForm(request.GET or None, programme=programme)
    result = None
    status = 200
    campaign = partner = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if form.is_bound:
            campaign, partner = form.selection()
        result = attribution_breakdown.breakdown(programme, campaign=campaign, partner=partner)
    context = {
        "programme": programme,
        "form": form,
        "channels": result,
        "campaign": campaign,
        "partner": partner,
    }
    return render(request, "tracking/manage/attribution.html", context, status=status)


HISTORY_SIZE = 50


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organiser"), organiser=request.organiser, slug=slug
    )


def _alerts_page(
    request: HttpRequest,
    programme: Programme,
    *,
    form: AcknowledgeForm | None = None,
    failed: int | None = None,
    status: int = 200,
) -> HttpResponse:
    campaigns = list(
        Campaign.objects.filter(programme=programme, state=CampaignState.LIVE)
        .select_related("coach")
        .order_by("ends_at", "title")
    )
    history = (
        Alert.objects.filter(campaign__programme=programme, resolved_at__isnull=False)
        .select_related("campaign", "acknowledged_by")
        .order_by("-resolved_at", "-pk")[:HISTORY_SIZE]
    )
    context = {
        "programme": programme,
        "watches": (lines := watches(campaigns)),
        "open_count": sum(len(w.alerts) for w in lines),
        "history": history,
        "settings": settings_for(programme),
        "can_acknowledge": request.membership.can_edit,
        "form": form,
        "failed": failed,
        "audit_entries": entries_for(programme).filter(action=actions.ALERT_SETTINGS_CHANGED)[:10],
    }
    return render(request, "tracking/manage/alerts.html", context, status=status)


@organiser_view()
@require_safe
def alerts(request: HttpRequest, slug: str) -> HttpResponse:
    return _alerts_page(request, _programme(request, slug))


@organiser_view(edit=True)
@require_POST
def alert_acknowledge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    alert = get_object_or_404(Alert, pk=pk, campaign__programme=programme)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _alerts_page(request, programme, form=form, failed=alert.pk, status=400)
    try:
        acknowledge_alert(alert.pk, user=request.user, note=form.cleaned_data["note"])
    except TrackingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The alert is acknowledged."))
    return redirect("tracking_manage:alerts", request.organiser.slug, programme.slug)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def alert_settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    instance = settings_for(programme)
    can_edit = request.membership.can_edit
    status = 200
    if request.method == "POST":
        form = TrackingSettingsForm(request.POST, instance=instance)
        if form.is_valid():
            save_settings(form.save(commit=False), user=request.user, changed=form.changed_data)
            messages.success(request, _("The alert settings are saved."))
            return redirect("tracking_manage:alerts", request.organiser.slug, programme.slug)
        status = 400
    else:
        form = TrackingSettingsForm(instance=instance, read_only=not can_edit)
    context = {"programme": programme, "form": form, "can_edit": can_edit}
    return render(request, "tracking/manage/settings.html", context, status=status)
