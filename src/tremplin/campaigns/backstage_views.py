"""The maker's backstage (figures, news, answers to comments, contributor export, review
conversation, submission for review), the page editor, and the coach's review page.

Views parse input, call one verb and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.campaigns import community, review, signals
from tremplin.campaigns.creation import settings_for
from tremplin.campaigns.enums import EDITABLE_STATES, PUBLIC_STATES, REVIEWED_STATES, CampaignState
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.figures import figures, funder_name_of, video_of
from tremplin.campaigns.forms import (
    CampaignPageForm,
    ReplyForm,
    ReviewMessageForm,
    RewardFormSet,
    UpdateForm,
)
from tremplin.campaigns.models import Campaign, Comment
from tremplin.campaigns.page import MAX_IMAGES, page_is_editable, update_campaign_page
from tremplin.campaigns.rules import is_assigned_coach
from tremplin.core.fields import parse_id

BACKSTAGE_COMMENTS = 50


def _my_campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application", "coach"),
        slug=slug,
        application__maker=request.user,
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    campaigns = list(
        Campaign.objects.filter(application__maker=request.user)
        .select_related("programme")
        .order_by("-created_at", "-pk")
    )
    now = timezone.now()
    rows = [(c, figures(c, now)) for c in campaigns]
    return render(request, "campaigns/mine.html", {"rows": rows})


def _backstage_context(request: HttpRequest, campaign: Campaign, **forms) -> dict:
    now = timezone.now()
    comments = list(
        Comment.objects.filter(campaign=campaign, reply_to__isnull=True)
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.order_by("created_at", "pk"))
        )
        .order_by("-created_at", "-pk")[:BACKSTAGE_COMMENTS]
    )
    return {
        "campaign": campaign,
        "programme": campaign.programme,
        "figures": figures(campaign, now, funder_name=funder_name_of(campaign)),
        "notes": list(campaign.review_notes.select_related("author")),
        "updates": list(campaign.updates.all()[:10]),
        "comments": comments,
        "missing": review.missing_for_review(campaign) + review.checklist_blockers(campaign)
        if campaign.state in EDITABLE_STATES
        else [],
        "can_submit": campaign.state in EDITABLE_STATES,
        "can_edit": page_is_editable(campaign),
        "can_post_update": campaign.state in PUBLIC_STATES,
        "is_public": campaign.state in PUBLIC_STATES,
        "update_form": forms.get("update_form") or UpdateForm(),
        "note_form": forms.get("note_form")
        or ReviewMessageForm(label=_("Message to your coach and the organiser")),
        "reply_errors": forms.get("reply_errors"),
        "action_error": forms.get("action_error", ""),
    }


def _render_backstage(request, campaign, status: int = 200, **forms) -> HttpResponse:
    context = _backstage_context(request, campaign, **forms)
    return render(request, "campaigns/backstage.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def backstage(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _my_campaign(request, slug)
    if request.method in ("GET", "HEAD"):
        if request.GET.get("export") == "csv":
            response = signals.ask(signals.contributors_export, campaign=campaign)
            if response is None:
                raise Http404
            return response
        return _render_backstage(request, campaign)
    action = request.POST.get("action", "")
    handlers = {
        "update": _post_update,
        "reply": _post_reply,
        "hide": _moderate,
        "show": _moderate,
        "submit": _submit,
        "note": _post_note,
    }
    handler = handlers.get(action)
    if handler is None:
        return _render_backstage(request, campaign, status=400, action_error=_("Unknown action."))
    return handler(request, campaign, action)


def _back(campaign: Campaign, anchor: str = "") -> HttpResponse:
    return redirect(reverse("campaigns:backstage", args=[campaign.slug]) + anchor)


def _post_update(request, campaign, action) -> HttpResponse:
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            community.post_update(
                campaign,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except CampaignError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your news is published. The contributors who asked for the news will "
                    "receive it by e-mail."
                ),
            )
            return _back(campaign, "#news")
    return _render_backstage(request, campaign, status=400, update_form=form)


def _post_reply(request, campaign, action) -> HttpResponse:
    form = ReplyForm(request.POST)
    if form.is_valid():
        parent = Comment.objects.filter(pk=form.cleaned_data["reply_to"], campaign=campaign).first()
        if parent is None:
            form.add_error(None, _("This comment does not exist."))
        else:
            try:
                community.post_comment(
                    campaign,
                    user=request.user,
                    body=form.cleaned_data["body"],
                    author_name=campaign.application.maker_name
                    or community.comment_author_name(request.user),
                    reply_to=parent,
                )
            except CampaignError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your answer is published."))
                return _back(campaign, "#comments")
    errors = [str(e) for errors in form.errors.values() for e in errors]
    return _render_backstage(request, campaign, status=400, reply_errors=errors)


def _moderate(request, campaign, action) -> HttpResponse:
    pk = parse_id(request.POST.get("comment", "")) or 0
    target = Comment.objects.select_related("campaign__programme", "campaign__application")
    target = target.filter(pk=pk, campaign=campaign).first()
    if target is None:
        return _render_backstage(
            request, campaign, status=400, action_error=_("This comment does not exist.")
        )
    community.hide_comment(target, user=request.user, hidden=action == "hide")
    if action == "hide":
        messages.success(request, _("The comment is hidden."))
    else:
        messages.success(request, _("The comment is visible again."))
    return _back(campaign, "#comments")


def _submit(request, campaign, action) -> HttpResponse:
    try:
        review.submit_for_review(campaign, user=request.user)
    except CampaignError as error:
        return _render_backstage(
            request, campaign, status=400, action_error=" ".join(error.messages)
        )
    messages.success(request, _("Your page is submitted for review. You will be told by e-mail."))
    return _back(campaign)


def _post_note(request, campaign, action) -> HttpResponse:
    form = ReviewMessageForm(request.POST, required=True)
    if form.is_valid():
        try:
            review.add_review_comment(
                campaign, user=request.user, message=form.cleaned_data["message"]
            )
        except CampaignError as error:
            form.add_error("message", error)
        else:
            messages.success(request, _("Your message is added to the review."))
            return _back(campaign, "#review")
    return _render_backstage(request, campaign, status=400, note_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _my_campaign(request, slug)
    images = list(campaign.images.all())
    rewards = list(campaign.rewards.all())
    rules = settings_for(campaign.programme)
    editable = page_is_editable(campaign)
    if request.method == "POST" and editable:
        form = CampaignPageForm(request.POST, request.FILES, campaign=campaign, images=images)
        formset = RewardFormSet(request.POST, prefix="rewards", rewards=rewards, rules=rules)
        if form.is_valid() and formset.is_valid():
            changes = form.changes()
            changes.rewards = formset.changes()
            try:
                with transaction.atomic():
                    update_campaign_page(campaign, user=request.user, changes=changes)
            except CampaignError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your campaign page is saved."))
                return redirect("campaigns:edit", slug=campaign.slug)
        status = 400
    else:
        form = CampaignPageForm(campaign=campaign, images=images)
        formset = RewardFormSet(prefix="rewards", rewards=rewards, rules=rules)
        status = 400 if request.method == "POST" else 200
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "form": form,
        "formset": formset,
        "editable": editable,
        "rewards": {reward.pk: reward for reward in rewards},
        "max_images": MAX_IMAGES,
        "rules": rules,
        "locked_reason": "" if editable else _locked_reason(campaign),
    }
    return render(request, "campaigns/edit.html", context, status=status)


def _locked_reason(campaign: Campaign) -> str:
    if campaign.state in REVIEWED_STATES:
        return _(
            "Your page is under review or approved: it cannot change now. Ask your coach or "
            "the organiser if something must change."
        )
    return _("The campaign is over: its page can no longer change.")


# --- the coach -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coach_review(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker", "coach"),
        slug=slug,
    )
    if not is_assigned_coach(request.user, campaign):
        raise Http404
    changes_form = ReviewMessageForm(required=True, label=_("What should change"), prefix="changes")
    approve_form = ReviewMessageForm(label=_("Message to the maker"), prefix="approve")
    note_form = ReviewMessageForm(required=True, label=_("Comment"), prefix="note")
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "request_changes":
                changes_form = ReviewMessageForm(
                    request.POST, required=True, label=_("What should change"), prefix="changes"
                )
                if changes_form.is_valid():
                    review.request_changes(
                        campaign, user=request.user, message=changes_form.cleaned_data["message"]
                    )
                    messages.success(request, _("The maker is asked to make changes."))
                    return redirect("campaigns:coach_review", slug=slug)
            elif action == "approve":
                approve_form = ReviewMessageForm(
                    request.POST, label=_("Message to the maker"), prefix="approve"
                )
                if approve_form.is_valid():
                    review.approve(
                        campaign, user=request.user, message=approve_form.cleaned_data["message"]
                    )
                    messages.success(request, _("The campaign page is approved."))
                    return redirect("campaigns:coach_review", slug=slug)
            elif action == "note":
                note_form = ReviewMessageForm(
                    request.POST, required=True, label=_("Comment"), prefix="note"
                )
                if note_form.is_valid():
                    review.add_review_comment(
                        campaign, user=request.user, message=note_form.cleaned_data["message"]
                    )
                    messages.success(request, _("Your comment is added to the review."))
                    return redirect("campaigns:coach_review", slug=slug)
            else:
                error = _("Unknown action.")
        except CampaignError as exc:
            error = " ".join(exc.messages)
        status = 400
    now = timezone.now()
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "figures": figures(campaign, now, funder_name=funder_name_of(campaign)),
        "images": list(campaign.images.all()),
        "rewards": list(campaign.rewards.all()),
        "video": video_of(campaign),
        "notes": list(campaign.review_notes.select_related("author")),
        "missing": review.missing_for_review(campaign),
        "problems": review.approval_problems(campaign, now),
        "changes_form": changes_form,
        "approve_form": approve_form,
        "note_form": note_form,
        "error": error,
        "can_request_changes": campaign.state in REVIEWED_STATES,
        "can_approve": campaign.state == CampaignState.IN_REVIEW,
    }
    return render(request, "campaigns/coach_review.html", context, status=status)


def coached_campaigns(user) -> list[Campaign]:
    if not (user.is_authenticated and user.is_coach):
        return []
    return list(
        Campaign.objects.filter(coach=user)
        .select_related("programme")
        .order_by("state", "-created_at")
    )
