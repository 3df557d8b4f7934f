"""What the cockpit pages share, whoever opens them (organiser, coach, maker)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.campaigns.models import Campaign
from tremplin.tracking import attribution, charts, cockpit, series

# The cockpit refreshes itself this often while open (htmx).
REFRESH_SECONDS = 60

COLUMNS = (
    ("titre", gettext_lazy("Campaign"), False),
    ("collecte", gettext_lazy("Raised"), True),
    ("pourcentage", gettext_lazy("% of goal"), True),
    ("abondement", gettext_lazy("Matched"), True),
    ("contributeurs", gettext_lazy("Contributions"), True),
    ("jours", gettext_lazy("Days left"), True),
    ("jour", gettext_lazy("Today"), True),
    ("derniere", gettext_lazy("Last contribution"), False),
)


@dataclass
class Column:
    key: str
    label: str
    numeric: bool
    href: str
    aria_sort: str


def _columns(board: cockpit.Cockpit) -> list[Column]:
    columns = []
    for key, label, numeric in COLUMNS:
        current = key == board.sort
        # A second click reverses the order; a new column starts with its natural order.
        if current:
            order = "asc" if board.descending else "desc"
        else:
            order = "asc" if key == "titre" else "desc"
        aria = ("descending" if board.descending else "ascending") if current else ""
        href = "?" + urlencode({"tri": key, "ordre": order})
        columns.append(Column(key, str(label), numeric, href, aria))
    return columns


def _campaign_url(scope: str, line, organiser_slug: str = "") -> str:
    campaign = line.campaign
    if scope == "organiser":
        return reverse(
            "tracking_manage:campaign",
            args=[organiser_slug, campaign.programme.slug, campaign.slug],
        )
    return reverse("tracking:coach_campaign", args=[campaign.slug])


def render_cockpit(request: HttpRequest, template: str, campaigns, context: dict) -> HttpResponse:
    """The cockpit of ``campaigns`` (a queryset); only its live part for htmx's refresh."""
    now = timezone.now()
    board = cockpit.build(cockpit.tracked(campaigns), request.GET, now)
    organiser = getattr(request, "organiser", None)
    for line in board.lines:
        line.url = _campaign_url(context["scope"], line, organiser.slug if organiser else "")
    chart = charts.programme_chart(board.lines, board.today)
    columns = _columns(board)
    context = {
        **context,
        "board": board,
        "columns": columns,
        "sort_label": next(c.label for c in columns if c.key == board.sort),
        "chart": chart,
        "legend": [(line, *charts.style_of(i)) for i, line in enumerate(board.lines)],
        "table_body": charts.percent_table(board.lines),
        "refresh_seconds": REFRESH_SECONDS,
        "now": now,
    }
    if request.headers.get("HX-Request") == "true":
        template = "tracking/_cockpit_live.html"
    return render(request, template, context)


def render_campaign(request: HttpRequest, template: str, campaign, context: dict) -> HttpResponse:
    now = timezone.now()
    lines = cockpit.lines_for(cockpit.tracked(Campaign.objects.filter(pk=campaign.pk)), now)
    line = lines[0] if lines else None
    if line is not None:
        cockpit.attach_extras(lines, now)
    labels = (_("Raised"), _("Matched funds"))
    chart = charts.campaign_chart(line, series.today(now), labels) if line else None
    context = {
        **context,
        "campaign": campaign,
        "line": line,
        "channels": attribution.breakdown(campaign.programme, campaign=campaign) if line else None,
        "line_today": series.today(now),
        "chart": chart,
        "rows": list(reversed(line.rows)) if line else [],
        "refresh_seconds": REFRESH_SECONDS,
        "now": now,
    }
    if request.headers.get("HX-Request") == "true":
        template = "tracking/_campaign_live.html"
    return render(request, template, context)
