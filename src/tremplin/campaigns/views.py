"""Public and maker views of campaigns: the campaign page (with its news, comments and
contributors), reporting a comment, and the maker's backstage (figures, news, answers to
comments, contributor export, page editor, submission for review); the coach's review page.

Rules live in ``campaigns.services``; views parse input, call one service and render. A page
that is not public yet answers 404 to everyone but its maker, its coach and the organiser's
team, who see it with a preview banner."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.calls.services import TransitionError
from tremplin.calls.templatetags.calls_tags import public_url
from tremplin.calls.validators import embed_url, parse_video_url
from tremplin.campaigns import services
from tremplin.campaigns.enums import CampaignState, CommentState
from tremplin.campaigns.forms import (
    CampaignPageForm,
    CommentForm,
    ReplyForm,
    ReviewMessageForm,
    RewardFormSet,
    UpdateForm,
)
from tremplin.campaigns.models import Campaign, Comment
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.core.dates import aware_utc
from tremplin.core.pagecache import PageVersion, public_page_cache, ttl_until

CONTRIBUTORS_PER_PAGE = 20
COMMENTS_PER_PAGE = 20
UPDATES_ON_PAGE = 3
UPDATES_PER_PAGE = 20
BACKSTAGE_COMMENTS = 50
REPORTED_SESSION_KEY = "campaigns_reported_comments"

VIDEO_HOSTS = {
    "youtube": "YouTube",
    "vimeo": "Vimeo",
    "dailymotion": "Dailymotion",
    "peertube": "PeerTube",
}


# --- figures shared by the public page and the backstage ------------------------------------


@dataclass
class Countdown:
    over: bool
    not_started: bool
    days: int
    hours: int
    ends_at: datetime | None


def countdown(campaign: Campaign, now: datetime) -> Countdown:
    ends_at = campaign.ends_at
    if ends_at is None or ends_at <= now or campaign.state != CampaignState.LIVE:
        over = campaign.state not in (
            CampaignState.LIVE,
            CampaignState.DRAFT,
            CampaignState.IN_REVIEW,
            CampaignState.CHANGES_REQUESTED,
            CampaignState.APPROVED,
            CampaignState.SCHEDULED,
        ) or (ends_at is not None and ends_at <= now)
        return Countdown(over, not over, 0, 0, ends_at)
    left = ends_at - now
    return Countdown(False, False, left.days, left.seconds // 3600, ends_at)


def percent_of_goal(campaign: Campaign, *, with_matched: bool = False) -> int:
    if not campaign.goal:
        return 0
    total = campaign.raised_amount + (campaign.matched_amount if with_matched else 0)
    return int((total * 100 / campaign.goal).to_integral_value(rounding=ROUND_FLOOR))


def figures(campaign: Campaign, now: datetime, *, funder_name: str = "") -> dict:
    percent = percent_of_goal(campaign)
    return {
        "raised": campaign.raised_amount,
        "matched": campaign.matched_amount,
        "funder_name": funder_name,
        "contributors": campaign.contributor_count,
        "goal": campaign.goal,
        "percent": percent,
        "bar_value": min(percent, 100),
        "countdown": countdown(campaign, now),
    }


def funder_name_of(campaign: Campaign) -> str:
    if not campaign.matched_amount:
        return ""
    from tremplin.funding.models import MatchfundingPot

    return (
        MatchfundingPot.objects.filter(programme_id=campaign.programme_id)
        .values_list("funder_name", flat=True)
        .first()
        or ""
    )


def video_of(campaign: Campaign) -> dict | None:
    """What the click-to-load video facade needs; None without a (valid) video."""
    if not campaign.video_url:
        return None
    try:
        ref = parse_video_url(campaign.video_url)
    except Exception:
        return None
    embed = embed_url(ref)
    return {
        "embed": embed,
        "embed_autoplay": f"{embed}{'&' if '?' in embed else '?'}autoplay=1",
        "host": VIDEO_HOSTS.get(ref.provider, ref.provider),
        "domain": embed_url(ref).split("/")[2],
        "url": campaign.video_url,
    }


def _page_number(request: HttpRequest, name: str) -> int:
    try:
        number = int(request.GET.get(name, "1"))
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


def _page(rows, number: int, size: int) -> tuple[list, bool]:
    """One page of a queryset, and whether there is a next one (one query, no COUNT)."""
    start = (number - 1) * size
    items = list(rows[start : start + size + 1])
    return items[:size], len(items) > size


def contributors_page(campaign: Campaign, number: int) -> tuple[list, bool]:
    """Confirmed contributions, newest first, with only what the page may show."""
    from tremplin.funding.enums import ContributionState
    from tremplin.funding.models import Contribution

    rows = (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
        .only("name", "amount", "hide_name", "hide_amount", "confirmed_at", "created_at")
        .order_by("-confirmed_at", "-pk")
    )
    return _page(rows, number, CONTRIBUTORS_PER_PAGE)


def _visible_comments(campaign: Campaign):
    replies = Comment.objects.filter(state=CommentState.VISIBLE).order_by("created_at", "pk")
    return (
        Comment.objects.filter(campaign=campaign, reply_to__isnull=True, state=CommentState.VISIBLE)
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by("-created_at", "-pk")
    )


# --- the public page ------------------------------------------------------------------------


def _campaign_for(request: HttpRequest, slug: str) -> tuple[Campaign, bool]:
    """The campaign and whether this is a preview (not public yet); 404 for strangers."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application"), slug=slug
    )
    if campaign.state in services.PUBLIC_STATES:
        return campaign, False
    if services.can_preview(request.user, campaign):
        return campaign, True
    raise Http404


def _page_context(request: HttpRequest, campaign: Campaign, preview: bool) -> dict:
    now = timezone.now()
    programme = campaign.programme
    images = list(campaign.images.all())
    updates = list(campaign.updates.all()[: UPDATES_ON_PAGE + 1])
    comments, more_comments = _page(
        _visible_comments(campaign), _page_number(request, "commentaires"), COMMENTS_PER_PAGE
    )
    contributors, more_contributors = contributors_page(
        campaign, _page_number(request, "contributeurs")
    )
    first_image = public_url(images[0].image) if images else ""
    user = request.user
    return {
        "campaign": campaign,
        "programme": programme,
        "organiser": programme.organiser,
        "preview": preview,
        "images": images,
        "video": video_of(campaign),
        "rewards": list(campaign.rewards.all()),
        "updates": updates[:UPDATES_ON_PAGE],
        "more_updates": len(updates) > UPDATES_ON_PAGE,
        "comments": comments,
        "comments_page": _page_number(request, "commentaires"),
        "more_comments": more_comments,
        "contributors": contributors,
        "contributors_page": _page_number(request, "contributeurs"),
        "more_contributors": more_contributors,
        "figures": figures(campaign, now, funder_name=funder_name_of(campaign)),
        "is_live": campaign.state == CampaignState.LIVE
        and campaign.ends_at is not None
        and campaign.ends_at > now,
        "can_comment": user.is_authenticated and campaign.state in services.PUBLIC_STATES,
        "primary_colour": safe_colour(programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(programme.secondary_colour, DEFAULT_SECONDARY),
        "og_image": f"{settings.SITE_URL}{first_image}" if first_image else "",
        "og_image_alt": images[0].alt_text if images else "",
    }


def _render_page(
    request: HttpRequest,
    campaign: Campaign,
    preview: bool,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _page_context(request, campaign, preview)
    if context["can_comment"]:
        context["comment_form"] = comment_form or CommentForm(
            initial={"author_name": services.comment_author_name(request.user)}
        )
    response = render(request, "campaigns/campaign.html", context, status=status)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


# What the cached anonymous page depends on: the campaign row (any edit bumps updated_at),
# its state and its totals (a new contribution changes the key). The version is read at
# most every PAGE_VERSION_REUSE seconds per process, so the total an anonymous visitor sees
# is at most that stale (the issue: "at most a few seconds"), and a cached page costs no
# query. The rest (news, comments, stock) is at most PAGE_CACHE_TTL seconds stale; the
# deadline bounds both (the "Contribute" button must go at once).
PAGE_CACHE_TTL = 5
PAGE_VERSION_REUSE = 2
_PAGE_VERSION_FIELDS = (
    "pk",
    "updated_at",
    "state",
    "raised_amount",
    "matched_amount",
    "contributor_count",
)
_SLUG = "\x00slug"  # stands for the slug in the compiled query


@functools.cache
def _page_version_sql(alias: str) -> tuple[str, tuple]:
    """The version query, compiled once per process (see calls.views)."""
    queryset = (
        Campaign.objects.filter(slug=_SLUG, state__in=services.PUBLIC_STATES)
        .values_list(*_PAGE_VERSION_FIELDS, "ends_at")
        .order_by()[:1]
    )
    return queryset.query.get_compiler(alias).as_sql()


def campaign_page_version(slug: str) -> PageVersion | None:
    """One small query: the key parts and lifetime (≤ 5 s) of the cached anonymous page."""
    sql, params = _page_version_sql(DEFAULT_DB_ALIAS)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [slug if param == _SLUG else param for param in params])
        row = cursor.fetchone()
    if row is None:
        return None
    ends_at = aware_utc(row[-1])
    return PageVersion(parts=tuple(row[:-1]), ttl=min(PAGE_CACHE_TTL, ttl_until([ends_at])))


@require_GET
@public_page_cache(campaign_page_version, version_reuse=PAGE_VERSION_REUSE)
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign, preview = _campaign_for(request, slug)
    return _render_page(request, campaign, preview)


@require_GET
def updates(request: HttpRequest, slug: str) -> HttpResponse:
    campaign, preview = _campaign_for(request, slug)
    number = _page_number(request, "page")
    rows, more = _page(campaign.updates.all(), number, UPDATES_PER_PAGE)
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "preview": preview,
        "updates": rows,
        "page": number,
        "more": more,
        "primary_colour": safe_colour(campaign.programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(campaign.programme.secondary_colour, DEFAULT_SECONDARY),
    }
    return render(request, "campaigns/updates.html", context)


@require_POST
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    campaign, preview = _campaign_for(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("campaigns:campaign", args=[slug]) + "#comments")
    if campaign.state not in services.PUBLIC_STATES:
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.post_comment(
                campaign,
                user=request.user,
                body=form.cleaned_data["body"],
                author_name=form.cleaned_data["author_name"],
            )
        except TransitionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(reverse("campaigns:campaign", args=[slug]) + "#comments")
    return _render_page(request, campaign, preview, comment_form=form, status=400)


@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation page (GET: the public page links here, so that it holds no form and
    can be cached), then the report itself (POST). One report per visitor's session."""
    campaign, _preview = _campaign_for(request, slug)
    if campaign.state not in services.PUBLIC_STATES:
        raise Http404
    comment = get_object_or_404(
        Comment.objects.select_related("campaign__programme"),
        pk=pk,
        campaign=campaign,
        state=CommentState.VISIBLE,
    )
    if request.method == "GET":
        return render(
            request, "campaigns/report_comment.html", {"campaign": campaign, "comment": comment}
        )
    reported = list(request.session.get(REPORTED_SESSION_KEY, []))
    if comment.pk not in reported:
        services.report_comment(comment)
        reported.append(comment.pk)
        request.session[REPORTED_SESSION_KEY] = reported[-200:]
    messages.success(request, _("Thank you: the comment was reported to the moderators."))
    return redirect(reverse("campaigns:campaign", args=[slug]) + "#comments")


# --- the maker's backstage ------------------------------------------------------------------


def _my_campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application", "coach"),
        slug=slug,
        application__maker=request.user,
    )


@login_required
@require_GET
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
        "missing": services.missing_for_review(campaign)
        if campaign.state in services.EDITABLE_STATES
        else [],
        "can_submit": campaign.state in services.EDITABLE_STATES,
        "can_edit": services.page_is_editable(campaign),
        "can_post_update": campaign.state in services.PUBLIC_STATES,
        "is_public": campaign.state in services.PUBLIC_STATES,
        "update_form": forms.get("update_form") or UpdateForm(),
        "note_form": forms.get("note_form")
        or ReviewMessageForm(label=_("Message to your coach and the organiser")),
        "reply_errors": forms.get("reply_errors"),
        "action_error": forms.get("action_error", ""),
    }


def _render_backstage(request, campaign, status: int = 200, **forms) -> HttpResponse:
    context = _backstage_context(request, campaign, **forms)
    return render(request, "campaigns/backstage.html", context, status=status)


def _export_contributors(campaign: Campaign) -> HttpResponse:
    """Every confirmed contribution (the anonymity choices concern the public page only: the
    maker thanks everyone)."""
    from tremplin.funding.enums import ContributionState
    from tremplin.funding.models import Contribution

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contributeurs-{campaign.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Amount (€)"),
            _("Reward"),
            _("Message"),
            _("Date"),
            _("Wants the news"),
            _("Name hidden on the page"),
            _("Amount hidden on the page"),
            _("Postal address"),
            _("Postal code"),
            _("City"),
            _("Country"),
        ]
    )
    rows = (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
        .select_related("reward")
        .order_by("confirmed_at", "pk")
    )
    for row in rows.iterator(chunk_size=500):
        moment = timezone.localtime(row.confirmed_at or row.created_at)
        writer.writerow(
            [
                _csv_safe(row.name),
                _csv_safe(row.email),
                str(row.amount).replace(".", ","),
                _csv_safe(row.reward.title if row.reward else ""),
                _csv_safe(row.message),
                moment.strftime("%d/%m/%Y %H:%M"),
                _("yes") if row.news_consent else _("no"),
                _("yes") if row.hide_name else _("no"),
                _("yes") if row.hide_amount else _("no"),
                _csv_safe(row.address),
                _csv_safe(row.postal_code),
                _csv_safe(row.city),
                _csv_safe(row.country),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """No spreadsheet formula from what a contributor typed."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_http_methods(["GET", "POST"])
def backstage(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _my_campaign(request, slug)
    if request.method == "GET":
        if request.GET.get("export") == "csv":
            return _export_contributors(campaign)
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
            services.post_update(
                campaign,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except TransitionError as error:
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
                services.post_comment(
                    campaign,
                    user=request.user,
                    body=form.cleaned_data["body"],
                    author_name=campaign.application.maker_name
                    or services.comment_author_name(request.user),
                    reply_to=parent,
                )
            except TransitionError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your answer is published."))
                return _back(campaign, "#comments")
    errors = [str(e) for errors in form.errors.values() for e in errors]
    return _render_backstage(request, campaign, status=400, reply_errors=errors)


def _moderate(request, campaign, action) -> HttpResponse:
    try:
        pk = int(request.POST.get("comment", ""))
    except ValueError:
        pk = 0
    target = Comment.objects.select_related("campaign__programme", "campaign__application")
    target = target.filter(pk=pk, campaign=campaign).first()
    if target is None:
        return _render_backstage(
            request, campaign, status=400, action_error=_("This comment does not exist.")
        )
    services.hide_comment(target, user=request.user, hidden=action == "hide")
    if action == "hide":
        messages.success(request, _("The comment is hidden."))
    else:
        messages.success(request, _("The comment is visible again."))
    return _back(campaign, "#comments")


def _submit(request, campaign, action) -> HttpResponse:
    try:
        services.submit_for_review(campaign, user=request.user)
    except TransitionError as error:
        return _render_backstage(
            request, campaign, status=400, action_error=" ".join(error.messages)
        )
    messages.success(request, _("Your page is submitted for review. You will be told by e-mail."))
    return _back(campaign)


def _post_note(request, campaign, action) -> HttpResponse:
    form = ReviewMessageForm(request.POST, required=True)
    if form.is_valid():
        try:
            services.add_review_comment(
                campaign, user=request.user, message=form.cleaned_data["message"]
            )
        except TransitionError as error:
            form.add_error("message", error)
        else:
            messages.success(request, _("Your message is added to the review."))
            return _back(campaign, "#review")
    return _render_backstage(request, campaign, status=400, note_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _my_campaign(request, slug)
    images = list(campaign.images.all())
    rewards = list(campaign.rewards.all())
    rules = services.settings_for(campaign.programme)
    editable = services.page_is_editable(campaign)
    if request.method == "POST" and editable:
        form = CampaignPageForm(request.POST, request.FILES, campaign=campaign, images=images)
        formset = RewardFormSet(request.POST, prefix="rewards", rewards=rewards, rules=rules)
        if form.is_valid() and formset.is_valid():
            changes = form.changes()
            changes.rewards = formset.changes()
            try:
                with transaction.atomic():
                    services.update_campaign_page(campaign, user=request.user, changes=changes)
            except TransitionError as error:
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
        "max_images": services.MAX_IMAGES,
        "rules": rules,
        "locked_reason": "" if editable else _locked_reason(campaign),
    }
    return render(request, "campaigns/edit.html", context, status=status)


def _locked_reason(campaign: Campaign) -> str:
    if campaign.state in (CampaignState.IN_REVIEW, CampaignState.APPROVED, CampaignState.SCHEDULED):
        return _(
            "Your page is under review or approved: it cannot change now. Ask your coach or "
            "the organiser if something must change."
        )
    return _("The campaign is over: its page can no longer change.")


# --- the coach -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def coach_review(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker", "coach"),
        slug=slug,
    )
    if not services.is_assigned_coach(request.user, campaign):
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
                    services.request_changes(
                        campaign, user=request.user, message=changes_form.cleaned_data["message"]
                    )
                    messages.success(request, _("The maker is asked to make changes."))
                    return redirect("campaigns:coach_review", slug=slug)
            elif action == "approve":
                approve_form = ReviewMessageForm(
                    request.POST, label=_("Message to the maker"), prefix="approve"
                )
                if approve_form.is_valid():
                    services.approve(
                        campaign, user=request.user, message=approve_form.cleaned_data["message"]
                    )
                    messages.success(request, _("The campaign page is approved."))
                    return redirect("campaigns:coach_review", slug=slug)
            elif action == "note":
                note_form = ReviewMessageForm(
                    request.POST, required=True, label=_("Comment"), prefix="note"
                )
                if note_form.is_valid():
                    services.add_review_comment(
                        campaign, user=request.user, message=note_form.cleaned_data["message"]
                    )
                    messages.success(request, _("Your comment is added to the review."))
                    return redirect("campaigns:coach_review", slug=slug)
            else:
                error = _("Unknown action.")
        except TransitionError as exc:
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
        "missing": services.missing_for_review(campaign),
        "problems": services.approval_problems(campaign, now),
        "changes_form": changes_form,
        "approve_form": approve_form,
        "note_form": note_form,
        "error": error,
        "can_request_changes": campaign.state
        in (CampaignState.IN_REVIEW, CampaignState.APPROVED, CampaignState.SCHEDULED),
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
