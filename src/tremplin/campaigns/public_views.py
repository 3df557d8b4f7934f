"""The public views of campaigns: the campaign page (with its news, comments and
contributors), its news, commenting, and reporting a comment.

Views parse input, call one verb (``campaigns.community``) and render. A page that is not
public yet answers 404 to everyone but its maker, its coach and the organiser's team, who
see it with a preview banner."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.templatetags.calls_tags import public_url
from tremplin.campaigns import community, reporting, signals
from tremplin.campaigns.enums import PUBLIC_STATES, CampaignState, CommentState
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.figures import figures, funder_name_of, video_of
from tremplin.campaigns.forms import CommentForm
from tremplin.campaigns.models import Campaign, Comment
from tremplin.campaigns.rules import can_preview
from tremplin.core import pagecache, ratelimit
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.core.dates import aware_utc
from tremplin.core.pagecache import PageVersion, public_page_cache, ttl_until
from tremplin.payments.availability import is_test_mode

CONTRIBUTORS_PER_PAGE = 20
COMMENTS_PER_PAGE = 20
UPDATES_ON_PAGE = 3
UPDATES_PER_PAGE = 20


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
    """Confirmed contributions, newest first, with only what the page may show: funding
    answers ``signals.contributors_page``."""
    answer = signals.ask(
        signals.contributors_page, campaign=campaign, number=number, size=CONTRIBUTORS_PER_PAGE
    )
    return answer or ([], False)


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
        Campaign.objects.select_related(
            "programme__organiser", "programme__campaign_settings", "application"
        ),
        slug=slug,
    )
    if campaign.state in PUBLIC_STATES:
        return campaign, False
    if can_preview(request.user, campaign):
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
    share = signals.ask(signals.share_image, campaign=campaign)
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
        "can_comment": user.is_authenticated and campaign.state in PUBLIC_STATES,
        "primary_colour": safe_colour(programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(programme.secondary_colour, DEFAULT_SECONDARY),
        "og_image": share[0]
        if share
        else (f"{settings.SITE_URL}{first_image}" * bool(first_image)),
        "og_image_alt": share[1] if share else (images[0].alt_text if images else ""),
        # The sandbox's campaigns say so on every page (payments.availability).
        "test_mode": is_test_mode(programme),
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
            initial={"author_name": community.comment_author_name(request.user)}
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


@functools.cache
def _page_version_sql() -> tuple[str, tuple]:
    return pagecache.compile_version_query(
        Campaign.objects.filter(slug=pagecache.SLUG, state__in=PUBLIC_STATES)
        .values_list(*_PAGE_VERSION_FIELDS, "ends_at")
        .order_by()[:1]
    )


def campaign_page_version(slug: str) -> PageVersion | None:
    """One small query: the key parts and lifetime (≤ 5 s) of the cached anonymous page."""
    row = pagecache.version_row(_page_version_sql(), slug)
    if row is None:
        return None
    ends_at = aware_utc(row[-1])
    return PageVersion(parts=tuple(row[:-1]), ttl=min(PAGE_CACHE_TTL, ttl_until([ends_at])))


@require_safe
@public_page_cache(campaign_page_version, version_reuse=PAGE_VERSION_REUSE)
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign, preview = _campaign_for(request, slug)
    return _render_page(request, campaign, preview)


@require_safe
def updates(request: HttpRequest, slug: str) -> HttpResponse:
    campaign, preview = _campaign_for(request, slug)
    number = _page_number(request, "page")
    rows, more = _page(campaign.updates.all(), number, UPDATES_PER_PAGE)
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "preview": preview,
        "test_mode": is_test_mode(campaign.programme),
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
    if campaign.state not in PUBLIC_STATES:
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            community.post_comment(
                campaign,
                user=request.user,
                body=form.cleaned_data["body"],
                author_name=form.cleaned_data["author_name"],
            )
        except CampaignError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(reverse("campaigns:campaign", args=[slug]) + "#comments")
    return _render_page(request, campaign, preview, comment_form=form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation page (GET: the public page links here, so that it holds no form and
    can be cached), then the report itself (POST): one per signed-in visitor, one per
    address for anonymous ones (``campaigns.reporting``), within a rate limit per address
    and per account (429 over it, nothing recorded)."""
    campaign, _preview = _campaign_for(request, slug)
    if campaign.state not in PUBLIC_STATES:
        raise Http404
    comment = get_object_or_404(
        Comment.objects.select_related("campaign__programme__organiser", "campaign__application"),
        pk=pk,
        campaign=campaign,
        state=CommentState.VISIBLE,
    )
    context = {"campaign": campaign, "comment": comment}
    if request.method in ("GET", "HEAD"):
        return render(request, "campaigns/report_comment.html", context)
    user = request.user if request.user.is_authenticated else None
    address = ratelimit.client_ip(request)
    if not reporting.may_report(user=user, address=address):
        context["error"] = _("You have sent too many reports. Try again in an hour.")
        return render(request, "campaigns/report_comment.html", context, status=429)
    reporting.report_comment(comment, user=user, address=address)
    messages.success(request, _("Thank you: the comment was reported to the moderators."))
    return redirect(reverse("campaigns:campaign", args=[slug]) + "#comments")
