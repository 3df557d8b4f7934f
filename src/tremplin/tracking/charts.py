"""Server-drawn SVG charts of the daily series (no chart library, no script): the
geometry is computed here, the templates write the ``<svg>`` with ``role="img"``, a
``<title>`` and a data table beside it. Coordinates are plain strings (never localised)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ONE_DAY = datetime.timedelta(days=1)
WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# Colours with at least 3:1 contrast on white (WCAG non-text contrast); after ten, the same
# colours dashed.
PALETTE = (
    "#0b5fa5",
    "#b3261e",
    "#1e6b34",
    "#7a4a00",
    "#6a3d9a",
    "#00727a",
    "#a0316b",
    "#4f5663",
    "#2d4fa0",
    "#8c4a1f",
)
DASHES = ("", "8 4", "2 3", "12 4 2 4")


@dataclass
class Series:
    label: str
    colour: str
    dash: str
    points: str


@dataclass
class Tick:
    position: str
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    series: list[Series] = field(default_factory=list)
    pace: list[str] = field(default_factory=list)
    reference: str = ""  # y of the goal line (100 % or the goal)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def style_of(index: int) -> tuple[str, str]:
    return PALETTE[index % len(PALETTE)], DASHES[(index // len(PALETTE)) % len(DASHES)]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(top: float, ticks: int = 4) -> float:
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


class _Frame:
    def __init__(self, start: datetime.date, end: datetime.date, y_max: float) -> None:
        self.start = start
        self.days = max((end - start).days + 1, 1)  # points are at the end of each day
        self.y_max = y_max or 1

    def x(self, day: datetime.date, end_of_day: bool = True) -> str:
        offset = (day - self.start).days + (1 if end_of_day else 0)
        return _fmt(LEFT + PLOT_W * offset / self.days)

    def y(self, value: float) -> str:
        return _fmt(TOP + PLOT_H - PLOT_H * min(value, self.y_max) / self.y_max)

    def x_ticks(self) -> list[Tick]:
        step = 7 if self.days <= 120 else 30
        ticks = []
        for offset in range(0, self.days + 1, step):
            day = self.start + offset * ONE_DAY
            ticks.append(Tick(self.x(day, end_of_day=False), date_format(day, "j M")))
        return ticks


class MemoMiss(Exception):
    """The rows hold only the tail of the stored days and the memo lacks the rest."""


def programme_chart(
    lines, today: datetime.date, memo: dict | None = None, *, partial: bool = False
) -> Chart | None:
    """Cumulative % of goal by day for every campaign, with the pace that reaches 100 % on
    the deadline (one line per distinct pair of dates). ``memo``: what was computed for the
    stored (not live) rows of each campaign, kept by the caller until the next close; it is
    read and filled here."""
    memo = {} if memo is None else memo
    spans = [(line.first_day, line.end_day or today) for line in lines if line.first_day]
    if not spans:
        return None
    start = min(first for first, _ in spans)
    end = max(max(last for _, last in spans), start)
    top = 100.0
    for line in lines:
        goal = line.goal_cents or 1
        stored_top = memo.get(("top", line.campaign.pk))
        if stored_top is None and partial:
            raise MemoMiss
        if stored_top is None:
            stored_top = max([0.0] + [100 * r.raised_cents / goal for r in line.rows if not r.live])
            memo[("top", line.campaign.pk)] = stored_top
        live_top = max([0.0] + [100 * r.raised_cents / goal for r in line.rows if r.live])
        top = max(top, stored_top, live_top)
    step = _nice_step(top)
    y_max = math.ceil(top / step) * step
    frame = _Frame(start, end, y_max)
    chart = Chart(
        reference=frame.y(100),
        x_ticks=frame.x_ticks(),
        y_ticks=[Tick(frame.y(v), f"{v:g} %") for v in _range(0, y_max, step)],
    )
    xs: dict[datetime.date, str] = {}  # the x of each day, computed once for all lines
    scale = PLOT_H / y_max
    bottom = TOP + PLOT_H

    def points_of(rows, goal) -> list[str]:
        points = []
        for row in rows:
            x = xs.get(row.day)
            if x is None:
                x = xs[row.day] = frame.x(row.day)
            percent = min(100 * row.raised_cents / goal, y_max)
            points.append(f"{x},{bottom - percent * scale:.1f}")
        return points

    for index, line in enumerate(lines):
        colour, dash = style_of(index)
        goal = line.goal_cents or 1
        key = ("points", line.campaign.pk, start, end, y_max)
        stored = memo.get(key)
        if stored is None and partial:
            raise MemoMiss
        if stored is None:
            points = []
            if line.first_day:
                points.append(f"{frame.x(line.first_day, end_of_day=False)},{frame.y(0)}")
            stored = memo[key] = " ".join(
                points + points_of([r for r in line.rows if not r.live], goal)
            )
        live = points_of([r for r in line.rows if r.live], goal)
        chart.series.append(
            Series(line.campaign.title, colour, dash, " ".join([stored, *live]).strip())
        )
    for first, last in sorted(set(spans)):
        chart.pace.append(
            f"{frame.x(first, end_of_day=False)},{frame.y(0)} {frame.x(last)},{frame.y(100)}"
        )
    return chart


def campaign_chart(line, today: datetime.date, labels: tuple[str, str]) -> Chart | None:
    """One campaign: amount raised and matched funds by day (euros), its goal, and the pace
    that reaches the goal on the deadline."""
    if not line.first_day:
        return None
    end = max(line.end_day or today, line.rows[-1].day if line.rows else line.first_day)
    top = max([line.goal_cents] + [r.raised_cents for r in line.rows]) / 100
    step = _nice_step(top * 1.05)
    y_max = math.ceil(top * 1.05 / step) * step
    frame = _Frame(line.first_day, end, y_max)
    chart = Chart(
        reference=frame.y(line.goal_cents / 100),
        x_ticks=frame.x_ticks(),
        y_ticks=[
            Tick(frame.y(v), f"{v:,.0f} €".replace(",", "\u202f")) for v in _range(0, y_max, step)
        ],
    )
    origin = f"{frame.x(line.first_day, end_of_day=False)},{frame.y(0)}"
    for index, (label, attribute) in enumerate(
        zip(labels, ("raised_cents", "matched_cents"), strict=True)
    ):
        colour, dash = style_of(index)
        points = [origin] + [
            f"{frame.x(row.day)},{frame.y(getattr(row, attribute) / 100)}" for row in line.rows
        ]
        chart.series.append(Series(label, colour, dash, " ".join(points)))
    chart.pace.append(f"{origin} {frame.x(line.end_day or end)},{frame.y(line.goal_cents / 100)}")
    return chart


def _range(start: float, stop: float, step: float):
    value = start
    while value <= stop + 1e-9:
        yield value
        value += step


def percent_table(lines, memo: dict | None = None, *, partial: bool = False) -> SafeString:
    """The data of ``programme_chart`` as the rows of a table (built here, not in a template
    loop: a programme of 100 campaigns × 90 days is 9,000 cells): one row per day, each
    campaign's % of its goal at the end of the day (empty before its first day). ``memo``:
    the rows of the stored days, kept by the caller until the next close."""
    memo = {} if memo is None else memo

    def rows_html(live: bool) -> str:
        days = sorted({row.day for line in lines for row in line.rows if row.live == live})
        columns = []
        for line in lines:
            goal = line.goal_cents
            columns.append(
                {
                    row.day: f"{round(100 * row.raised_cents / goal) if goal else 0}\u00a0%"
                    for row in line.rows
                    if row.live == live
                }
            )
        out = []
        for day in days:
            cells = "".join(f'<td class="num">{column.get(day, "")}</td>' for column in columns)
            out.append(f'<tr><th scope="row">{escape(date_format(day, "j M Y"))}</th>{cells}</tr>')
        return "".join(out)

    key = ("table", tuple(line.campaign.pk for line in lines))
    stored = memo.get(key)
    if stored is None and partial:
        raise MemoMiss
    if stored is None:
        stored = memo[key] = rows_html(live=False)
    return mark_safe(stored + rows_html(live=True))  # noqa: S308 (numbers, escaped dates)
