"""The organiser's back-office for campaigns: the list, creation from a laureate (or any
submitted application), the campaign's detail (review, approval, scheduling, coach, figures,
moderation, audit log; the settlement is funding's) and the programme's crowdfunding settings.

Every view is decorated with ``organiser_view``; every object is fetched through
``request.organiser`` (another organiser's campaign answers 404). Read-only members see
everything and change nothing (403 on POST). An invalid POST re-renders with status 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls.enums import ApplicationState, Eligibility
from tremplin.calls.models import Application, Programme
from tremplin.campaigns import community, review
from tremplin.campaigns.creation import (
    CREATION_STATES,
    assign_coach,
    create_campaign,
    rule_is_locked,
    save_settings,
)
from tremplin.campaigns.enums import (
    CLOSED_OUTCOMES,
    EDITABLE_STATES,
    REVIEWED_STATES,
    CampaignState,
    CommentState,
)
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.figures import figures, funder_name_of
from tremplin.campaigns.forms import ReviewMessageForm
from tremplin.campaigns.manage_forms import (
    CampaignSettingsForm,
    CoachForm,
    CreateCampaignForm,
    ScheduleForm,
)
from tremplin.campaigns.models import Campaign, CampaignSettings, Comment
from tremplin.core.audit import entries_for
from tremplin.core.fields import parse_id
from tremplin.core.permissions import organiser_view

AUDIT_LOG_SIZE = 100
MODERATION_SIZE = 50


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker", "coach"),
        programme__organiser=request.organiser,
        slug=slug,
    )


# --- list -----------------------------------------------------------------------------------


@organiser_view()
@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    programmes = list(
        Programme.objects.filter(organiser=request.organiser).order_by("-call_opens_at", "-pk")
    )
    rows = Campaign.objects.filter(programme__organiser=request.organiser).select_related(
        "programme", "coach"
    )
    # The filters are read strictly: a value that is not one offered (a NUL byte, a
    # stranger's slug) is ignored before any query.
    programme_slug = request.GET.get("programme", "")
    if programme_slug not in {programme.slug for programme in programmes}:
        programme_slug = ""
    if programme_slug:
        rows = rows.filter(programme__slug=programme_slug)
    state = request.GET.get("state", "")
    if state not in CampaignState.values:
        state = ""
    if state:
        rows = rows.filter(state=state)
    now = timezone.now()
    campaigns = [
        (campaign, figures(campaign, now))
        for campaign in rows.order_by("programme__name", "title", "pk")
    ]
    context = {
        "campaigns": campaigns,
        "programmes": programmes,
        "states": CampaignState.choices,
        "selected_programme": programme_slug,
        "selected_state": state,
    }
    return render(request, "campaigns/manage/list.html", context)


# --- creation -------------------------------------------------------------------------------


def _candidates(request: HttpRequest):
    return (
        Application.objects.filter(
            programme__organiser=request.organiser,
            programme__state__in=CREATION_STATES,
            state=ApplicationState.SUBMITTED,
            campaign__isnull=True,
        )
        .exclude(eligibility=Eligibility.INELIGIBLE)
        .select_related("programme")
        .order_by("programme__name", "title", "pk")
    )


def _laureate_groups(request: HttpRequest) -> list[tuple[Programme, list[Application]]]:
    from tremplin.jury.publication import laureates

    groups = []
    for programme in Programme.objects.filter(
        organiser=request.organiser, state__in=CREATION_STATES
    ).order_by("-call_opens_at", "-pk"):
        rows = list(laureates(programme).filter(campaign__isnull=True))
        if rows:
            groups.append((programme, rows))
    return groups


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    candidates = _candidates(request)
    form = CreateCampaignForm(request.POST or None, applications=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = create_campaign(form.cleaned_data["application"], user=request.user)
            except CampaignError as error:
                form.add_error("application", error)
            else:
                messages.success(
                    request,
                    _("The campaign is created as a draft. Its maker was told by e-mail."),
                )
                return redirect("campaigns_manage:detail", request.organiser.slug, campaign.slug)
        status = 400
    context = {"form": form, "groups": _laureate_groups(request)}
    return render(request, "campaigns/manage/create.html", context, status=status)


# --- detail ---------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, campaign: Campaign, **forms: Any) -> dict:
    now = timezone.now()
    initial_dates = {"starts_at": campaign.starts_at, "ends_at": campaign.ends_at}
    return {
        "campaign": campaign,
        "programme": campaign.programme,
        "figures": figures(campaign, now, funder_name=funder_name_of(campaign)),
        "notes": list(campaign.review_notes.select_related("author")),
        "problems": review.approval_problems(campaign, now)
        if campaign.state == CampaignState.IN_REVIEW
        else [],
        "missing": review.missing_for_review(campaign) if campaign.state in EDITABLE_STATES else [],
        "changes_form": forms.get("changes_form")
        or ReviewMessageForm(required=True, label=_("What should change"), prefix="changes"),
        "approve_form": forms.get("approve_form")
        or ReviewMessageForm(label=_("Message to the maker"), prefix="approve"),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(initial=initial_dates),
        "coach_form": forms.get("coach_form") or CoachForm(initial={"coach": campaign.coach_id}),
        "action_error": forms.get("action_error", ""),
        "moderation": list(
            Comment.objects.filter(campaign=campaign)
            .filter(Q(report_count__gt=0) | Q(state=CommentState.HIDDEN))
            .order_by("-created_at", "-pk")[:MODERATION_SIZE]
        ),
        "can_request_changes": campaign.state in REVIEWED_STATES,
        "can_approve": campaign.state == CampaignState.IN_REVIEW,
        "can_schedule": campaign.state in (CampaignState.APPROVED, CampaignState.SCHEDULED),
        "can_settle": campaign.state in CLOSED_OUTCOMES,
        "entries": entries_for(campaign)[:AUDIT_LOG_SIZE],
    }


def _render_detail(request, campaign, status: int = 200, **forms) -> HttpResponse:
    context = _detail_context(request, campaign, **forms)
    return render(request, "campaigns/manage/detail.html", context, status=status)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    if request.method in ("GET", "HEAD"):
        return _render_detail(request, campaign)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        return _render_detail(request, campaign, status=400, action_error=_("Unknown action."))
    try:
        response = handler(request, campaign)
    except CampaignError as error:
        return _render_detail(request, campaign, status=400, action_error=" ".join(error.messages))
    return response


def _done(request: HttpRequest, campaign: Campaign, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("campaigns_manage:detail", request.organiser.slug, campaign.slug)


def _request_changes(request, campaign) -> HttpResponse:
    form = ReviewMessageForm(
        request.POST, required=True, label=_("What should change"), prefix="changes"
    )
    if not form.is_valid():
        return _render_detail(request, campaign, status=400, changes_form=form)
    review.request_changes(campaign, user=request.user, message=form.cleaned_data["message"])
    return _done(request, campaign, _("The maker is asked to make changes."))


def _approve(request, campaign) -> HttpResponse:
    form = ReviewMessageForm(request.POST, label=_("Message to the maker"), prefix="approve")
    if not form.is_valid():
        return _render_detail(request, campaign, status=400, approve_form=form)
    review.approve(campaign, user=request.user, message=form.cleaned_data["message"])
    return _done(request, campaign, _("The campaign page is approved."))


def _schedule(request, campaign) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, campaign, status=400, schedule_form=form)
    review.schedule(
        campaign,
        user=request.user,
        starts_at=form.cleaned_data["starts_at"],
        ends_at=form.cleaned_data["ends_at"],
    )
    campaign.refresh_from_db()
    if campaign.state == CampaignState.LIVE:
        return _done(request, campaign, _("The campaign is scheduled and already live."))
    return _done(request, campaign, _("The campaign is scheduled."))


def _assign_coach(request, campaign) -> HttpResponse:
    form = CoachForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, campaign, status=400, coach_form=form)
    assign_coach(campaign, user=request.user, coach=form.cleaned_data["coach"])
    return _done(request, campaign, _("The coach is saved."))


def _moderate(request, campaign) -> HttpResponse:
    pk = parse_id(request.POST.get("comment", "")) or 0
    comment = Comment.objects.select_related("campaign__programme", "campaign__application")
    comment = comment.filter(pk=pk, campaign=campaign).first()
    if comment is None:
        return _render_detail(
            request, campaign, status=400, action_error=_("This comment does not exist.")
        )
    hidden = request.POST.get("action") == "hide_comment"
    community.hide_comment(comment, user=request.user, hidden=hidden)
    if hidden:
        return _done(request, campaign, _("The comment is hidden."))
    return _done(request, campaign, _("The comment is visible again."))


ACTIONS = {
    "request_changes": _request_changes,
    "approve": _approve,
    "schedule": _schedule,
    "coach": _assign_coach,
    "hide_comment": _moderate,
    "show_comment": _moderate,
}


# --- settings -------------------------------------------------------------------------------


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_settings(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, organiser=request.organiser, slug=programme_slug)
    instance = CampaignSettings.objects.filter(programme=programme).first() or CampaignSettings(
        programme=programme
    )
    rule_locked = instance.pk is not None and rule_is_locked(programme)
    status = 200
    if request.method == "POST":
        form = CampaignSettingsForm(request.POST, instance=instance, rule_locked=rule_locked)
        if form.is_valid():
            try:
                save_settings(form.save(commit=False), user=request.user, changed=form.changed_data)
            except CampaignError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The crowdfunding settings are saved."))
                return redirect("campaigns_manage:settings", request.organiser.slug, programme.slug)
        status = 400
    else:
        form = CampaignSettingsForm(instance=instance, rule_locked=rule_locked)
    context = {"programme": programme, "form": form, "rule_locked": rule_locked}
    return render(request, "campaigns/manage/settings.html", context, status=status)
