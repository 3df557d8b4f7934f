"""What the cockpit pages share, whoever opens them (organiser, coach, maker)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.tracking import attribution, charts, cockpit, cockpit_cache, series

# The cockpit refreshes itself this often while open (htmx).
REFRESH_SECONDS = 60
# ?vue=tableau: the programme chart's figures as a table (100 campaigns × 90 days is 9,000
# cells: loaded when asked for, beside the chart, or on a page of their own).
TABLE_VIEW = "tableau"

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
    """The cockpit of ``campaigns`` (a queryset); only its live part for htmx's refresh.

    The live part is rendered once and kept in the shared cache under the version of what it
    shows (``cockpit_cache.key``): while nothing changes, a request costs that version's few
    queries. ``?vue=tableau`` is the chart's data table instead of the live part (``_figures``
    keeps what they draw of the stored days until the next close)."""
    now = timezone.now()
    chosen = cockpit.tracked(campaigns)
    rows = cockpit_cache.versions(chosen)
    today = series.today(now)
    # The chart, its table and the legend keep one order (and colours) whatever the sort.
    ids = [row[0] for row in sorted(rows, key=lambda row: (row[1].lower(), row[0]))]
    stored = series.stored_key(ids, "", today)
    latest_key = cockpit_cache.page_key(
        scope=context["scope"],
        user_id=request.user.pk,
        path=request.get_full_path(),
        language=get_language(),
    )
    live_key = cockpit_cache.key(rows, stored_key=stored, page=latest_key, now=now)

    table = request.GET.get("vue") == TABLE_VIEW

    def compute() -> str:
        tracked = [c for c in chosen if c.pk in set(ids)]
        part = _render_table if table else _render_live
        return part(request, tracked, ids, stored, now, context)

    html = cockpit_cache.serve(live_key, latest_key, compute, now)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(html)
    if table:  # the table on a page of its own (without JavaScript, or to bookmark it)
        back = render_to_string("tracking/_chart_table_back.html", {}, request)
        html = back + html
    return render(request, template, {**context, "cockpit_live": mark_safe(html)})  # noqa: S308


def _figures(request, tracked, ids, stored, now, *, table: bool):
    """The board of ``tracked`` and, in the chart's order (``ids``), its lines and either the
    programme chart or the rows of its data table; what they draw of the stored days is kept
    in the cache until the next close (the memo), so that only the tail is read again."""
    memo_key = f"tracking:cockpit:{stored}:{get_language()}"
    memo = cache.get(memo_key)
    order = {pk: i for i, pk in enumerate(ids)}
    for partial in (True, False) if memo else (False,):
        board = cockpit.build(
            tracked, request.GET, now, tail_only=partial, stored_key=stored, extras=not table
        )
        ordered = sorted(board.lines, key=lambda line: order[line.campaign.pk])
        memo = memo or {}
        size = len(memo)
        try:
            if table:
                drawn = charts.percent_table(ordered, memo, partial=partial)
            else:
                drawn = charts.programme_chart(ordered, board.today, memo, partial=partial)
        except charts.MemoMiss:
            continue
        if len(memo) != size:
            cache.set(memo_key, memo, series.STORED_CACHE_SECONDS)
        return board, ordered, drawn
    raise AssertionError("unreachable: the full read never misses")  # pragma: no cover


def _render_live(request, tracked, ids, stored, now, context) -> str:
    board, ordered, chart = _figures(request, tracked, ids, stored, now, table=False)
    organiser = getattr(request, "organiser", None)
    for line in board.lines:
        line.url = _campaign_url(context["scope"], line, organiser.slug if organiser else "")
    columns = _columns(board)
    context = {
        **context,
        "board": board,
        "columns": columns,
        "sort_label": next(c.label for c in columns if c.key == board.sort),
        "chart": chart,
        "legend": [(line, *charts.style_of(i)) for i, line in enumerate(ordered)],
        "table_url": f"{request.path}?{urlencode({'vue': TABLE_VIEW})}",
        "refresh_seconds": REFRESH_SECONDS,
        "figures_time": cockpit_cache.NOW_MARK,
    }
    return render_to_string("tracking/_cockpit_live.html", context, request)


def _render_table(request, tracked, ids, stored, now, context) -> str:
    _board, ordered, body = _figures(request, tracked, ids, stored, now, table=True)
    context = {**context, "chart_lines": ordered, "table_body": body}
    return render_to_string("tracking/_chart_table.html", context, request)


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
