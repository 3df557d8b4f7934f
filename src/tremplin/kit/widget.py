"""The embeddable progress card of a campaign, for partners' and makers' websites: an
``<iframe>`` of ``/c/<slug>/widget/`` and a static SVG badge ``/c/<slug>/badge.svg``. No
script runs in either; both are cached like the campaign page and are the only pages
other sites may frame (``widget_views``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from tremplin.campaigns.figures import percent_of_goal
from tremplin.campaigns.models import Campaign
from tremplin.core.colours import DEFAULT_PRIMARY, safe_colour
from tremplin.core.money import format_money

WIDGET_WIDTH = 340
WIDGET_HEIGHT = 430
BADGE_WIDTH = 360
BADGE_HEIGHT = 96


def widget_url(campaign: Campaign) -> str:
    return f"{settings.SITE_URL}{reverse('kit:widget', args=[campaign.slug])}"


def badge_url(campaign: Campaign) -> str:
    return f"{settings.SITE_URL}{reverse('kit:badge', args=[campaign.slug])}"


def widget_snippet(campaign: Campaign) -> str:
    """The HTML another site pastes to show the card."""
    title = _("Crowdfunding campaign: %(title)s") % {"title": campaign.title}
    return (
        f'<iframe src="{escape(widget_url(campaign))}" title="{escape(title)}" '
        f'width="{WIDGET_WIDTH}" height="{WIDGET_HEIGHT}" loading="lazy" '
        f'style="border:0;max-width:100%"></iframe>'
    )


def badge_snippet(campaign: Campaign) -> str:
    page = f"{settings.SITE_URL}{campaign.get_absolute_url()}?canal=widget"
    alt = _("%(title)s: the campaign's progress") % {"title": campaign.title}
    return (
        f'<a href="{escape(page)}"><img src="{escape(badge_url(campaign))}" '
        f'alt="{escape(alt)}" width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}"></a>'
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def badge_svg(campaign: Campaign) -> str:
    """The badge: title, a bar of the share of the goal, raised of goal (static SVG)."""
    percent = percent_of_goal(campaign)
    bar = round((BADGE_WIDTH - 32) * min(percent, 100) / 100)
    colour = safe_colour(campaign.programme.primary_colour, DEFAULT_PRIMARY)
    title = escape(_shorten(campaign.title, 42))
    figures = escape(
        _("%(raised)s raised of %(goal)s · %(percent)s %%")
        % {
            "raised": format_money(campaign.raised_amount, cents=False),
            "goal": format_money(campaign.goal, cents=False),
            "percent": percent,
        }
    )
    label = escape(
        _("%(title)s: %(raised)s raised of a %(goal)s goal (%(percent)s %%)")
        % {
            "title": campaign.title,
            "raised": format_money(campaign.raised_amount),
            "goal": format_money(campaign.goal),
            "percent": percent,
        }
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}" '
        f'viewBox="0 0 {BADGE_WIDTH} {BADGE_HEIGHT}" role="img" aria-labelledby="t">'
        f'<title id="t">{label}</title>'
        f'<rect width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}" rx="8" fill="#ffffff" '
        f'stroke="#c8ccd4"/>'
        f'<text x="16" y="30" font-family="sans-serif" font-size="16" font-weight="bold" '
        f'fill="#14181f">{title}</text>'
        f'<rect x="16" y="44" width="{BADGE_WIDTH - 32}" height="12" rx="6" fill="#e3e6eb"/>'
        f'<rect x="16" y="44" width="{bar}" height="12" rx="6" fill="{colour}"/>'
        f'<text x="16" y="80" font-family="sans-serif" font-size="14" fill="#333a45">'
        f"{figures}</text></svg>"
    )
