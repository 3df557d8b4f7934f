"""The organiser's alert pages, under ``gestion/<organiser_slug>/``: a programme's alerts
(the live campaigns' forecasts in words, their open alerts with the acknowledgement form,
the recent history) and its alert settings. Decorated with ``organiser_view``: another
organiser answers 404; viewers read, changes need a manager (403). An invalid POST
re-renders its page with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import entries_for
from tremplin.core.permissions import organiser_view
from tremplin.tracking import actions
from tremplin.tracking.alerts import acknowledge_alert, save_settings, settings_for
from tremplin.tracking.display import watches
from tremplin.tracking.errors import TrackingError
from tremplin.tracking.forms import AcknowledgeForm, TrackingSettingsForm
from tremplin.tracking.models import Alert

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
