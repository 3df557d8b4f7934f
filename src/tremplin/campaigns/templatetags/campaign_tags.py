"""Template helpers of campaigns: the maker's and the coach's blocks of the dashboard."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("campaigns/_dashboard_campaigns.html", takes_context=True)
def my_campaigns(context) -> dict:
    """The signed-in maker's campaigns (nothing when they have none)."""
    from tremplin.campaigns.models import Campaign

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"campaigns": []}
    campaigns = list(
        Campaign.objects.filter(application__maker=user)
        .select_related("programme")
        .order_by("-created_at", "-pk")
    )
    return {"campaigns": campaigns}


@register.inclusion_tag("campaigns/_dashboard_coached.html", takes_context=True)
def coached_campaigns(context) -> dict:
    """The campaigns the signed-in coach is assigned to."""
    from tremplin.campaigns.backstage_views import coached_campaigns as rows

    user = context.get("user")
    if user is None:
        return {"campaigns": []}
    return {"campaigns": rows(user)}


CAMPAIGN_PROGRAMME_STATES = ("results", "campaigns_live", "campaigns_closed", "report")


@register.inclusion_tag("campaigns/_programme_campaigns.html")
def programme_campaigns(programme) -> dict:
    """The public campaigns of a programme, for its public page (one query, and none before
    the results are published). No amounts here: the programme page may be cached for a
    minute, the campaign pages show the live totals."""
    from tremplin.campaigns.enums import PUBLIC_STATES
    from tremplin.campaigns.models import Campaign

    if programme.state not in CAMPAIGN_PROGRAMME_STATES:
        return {"campaigns": []}
    campaigns = list(
        Campaign.objects.filter(programme=programme, state__in=PUBLIC_STATES)
        .only("slug", "title", "pitch", "state")
        .order_by("title", "pk")
    )
    return {"campaigns": campaigns}


@register.filter
def sanitized(html: str):
    """The rich description, sanitised again as it is shown (it is sanitised when saved;
    this also covers rows written another way): ``{{ campaign.description|sanitized }}``."""
    from django.utils.safestring import mark_safe

    from tremplin.campaigns.sanitize import sanitize_html

    return mark_safe(sanitize_html(html or ""))  # noqa: S308 (nh3's output)


@register.simple_tag(takes_context=True)
def source_query(context, prefix: str = "?") -> str:
    """The visitor's source (``?canal=``, ``?ref=``, ``utm_*``) of this request, to carry in
    a link to another page of the campaign or to its checkout: ``prefix`` + the query
    string, or "" when there is none (always "" on a page the page cache may keep: it
    has no query string)."""
    from tremplin.core.attribution import query_string

    request = context.get("request")
    query = query_string(request.GET) if request is not None else ""
    return f"{prefix}{query}" if query else ""
