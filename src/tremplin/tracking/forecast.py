"""The forecast of a live campaign: its projected final amount, an interval, and the chance
of reaching its goal. Pure functions over numbers (no database): the model is written
down in ``docs/forecast.md``.

In one paragraph: a campaign's cumulative amount follows a U-shaped curve (a launch peak, a
slump, a final rush), ``F(x)``, the share of the final amount raised by the fraction ``x``
of the duration. What a campaign has raised by now, ``y`` (as a share of its goal), says
its final ratio ``r`` (final / goal) is about ``y / F(x)``, give or take the spread of the
curves (wide early, narrow near the end). That is weighed against what is known of
campaigns' outcomes (the prior): about half succeed, few failures ever pass 30 % of their
goal, half of the successes end at 110 % of it or less. The posterior of ``r`` (on a grid,
never below what is already raised) gives the median (the projection), the 10th and 90th
percentiles (an 80 % interval) and ``P(r ≥ 1)`` (the chance).

The curve is a built-in prior curve, or the programme's own past campaigns
(``reference_curves``: each a list of (fraction of duration, fraction of final amount)
points), whose spread then replaces the assumed one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Curve = Sequence[tuple[float, float]]

# --- the prior curve: launch peak + steady baseline + final rush --------------------------

# Shares of the final amount from each part, and how steep the peak and the rush are.
LAUNCH_SHARE = 0.35
BASELINE_SHARE = 0.35
RUSH_SHARE = 0.30
STEEPNESS = 8.0
_NORM = 1 - math.exp(-STEEPNESS)


def prior_share(x: float) -> float:
    """``F(x)`` of the prior curve: the share of the final amount raised by the fraction
    ``x`` of the duration (0 → 0, 1 → 1). About 39 % by a quarter, 52 % by half-time,
    65 % by three quarters, 80 % with a tenth of the time left."""
    x = min(max(x, 0.0), 1.0)
    launch = (1 - math.exp(-STEEPNESS * x)) / _NORM
    rush = (math.exp(-STEEPNESS * (1 - x)) - math.exp(-STEEPNESS)) / _NORM
    return LAUNCH_SHARE * launch + BASELINE_SHARE * x + RUSH_SHARE * rush


PRIOR_CURVE: tuple[tuple[float, float], ...] = tuple(
    (i / 100, prior_share(i / 100)) for i in range(101)
)


def share_at(curve: Curve, x: float) -> float:
    """The curve at ``x``, linear between its points; 0 before the first, 1 after the
    last (a curve reaches its whole final amount at the end)."""
    x = min(max(x, 0.0), 1.0)
    previous = (0.0, 0.0)
    for point in curve:
        px, py = float(point[0]), float(point[1])
        if x <= px:
            span = px - previous[0]
            if span <= 0:
                return min(max(py, 0.0), 1.0)
            value = previous[1] + (py - previous[1]) * (x - previous[0]) / span
            return min(max(value, 0.0), 1.0)
        previous = (px, py)
    span = 1.0 - previous[0]
    if span <= 0:
        return min(max(previous[1], 0.0), 1.0)
    return min(max(previous[1] + (1.0 - previous[1]) * (x - previous[0]) / span, 0.0), 1.0)


def curve_from_daily(cumulative: Sequence[int | float]) -> tuple[tuple[float, float], ...]:
    """A finished campaign's reference curve from its cumulative amount at the end of each
    of its days (the last is the final amount). Raises ValueError when it raised nothing:
    such a campaign has no shape."""
    values = [max(float(v), 0.0) for v in cumulative]
    if not values or values[-1] <= 0:
        raise ValueError("a reference curve needs a final amount above zero")
    final, days = values[-1], len(values)
    return ((0.0, 0.0), *(((i + 1) / days, min(v / final, 1.0)) for i, v in enumerate(values)))


# --- what is known of outcomes: the prior of the final ratio r = final / goal ------------


@dataclass(frozen=True)
class Prior:
    """The outcome anchors. ``success_rate``: share of campaigns that reach their goal
    (about half). Failures end at ``r ~ Beta(1, failure_beta)``: with 6, 12 % of them pass
    30 % of their goal and their median is 11 %. Successes end at ``r = 1 + excess`` with
    ``excess`` Lomax-distributed (shape ``success_tail``) whose median is
    ``success_median_excess``: half of them end at 110 % or less, a few far above."""

    success_rate: float = 0.5
    failure_beta: float = 7.0
    failure_flat: float = 0.12
    success_median_excess: float = 0.10
    success_tail: float = 1.5

    @property
    def success_scale(self) -> float:
        return self.success_median_excess / (2 ** (1 / self.success_tail) - 1)

    def density(self, r: float) -> float:
        if r < 0:
            return 0.0
        if r < 1:
            b, flat = self.failure_beta, self.failure_flat
            failure = (1 - flat) * b * (1 - r) ** (b - 1) + flat
            return (1 - self.success_rate) * failure
        shape, scale = self.success_tail, self.success_scale
        return self.success_rate * shape / scale * (1 + (r - 1) / scale) ** (-shape - 1)


PRIOR = Prior()


def prior_from_outcomes(ratios: Sequence[float], *, weight: float = 10.0) -> Prior:
    """The prior moved toward a programme's own past outcomes (final / goal of each past
    campaign): the success rate is the past rate shrunk toward one half as if ``weight``
    campaigns of the published anchors were added (9 of 10 past successes → 0.7)."""
    ratios = [float(r) for r in ratios if r is not None and r >= 0]
    if not ratios:
        return PRIOR
    successes = sum(1 for r in ratios if r >= 1)
    rate = (successes + weight * PRIOR.success_rate) / (len(ratios) + weight)
    return Prior(success_rate=min(max(rate, 0.02), 0.98))


# --- the forecast ----------------------------------------------------------------------------

# The spread (standard deviation of log F(x) across campaigns) assumed with the prior
# curve: ±0.43 at a quarter of the time, ±0.30 at half-time, ±0.18 at three quarters.
SPREAD_FLOOR = 0.05
SPREAD_PRIOR = 0.50
# With reference curves: their own spread, never less than this floor, and shrunk toward
# the prior spread as if this many prior curves were added (few past campaigns).
REFERENCE_FLOOR = (0.05, 0.15)
REFERENCE_SHRINK = 2
# Shares below this are taken as this (an empty campaign, the first hours).
SMALLEST_SHARE = 0.005
# The gap between a campaign and the curve is Student-t (this many degrees of freedom),
# not normal: a campaign far off the curve is unusual, not impossible.
TAIL_DOF = 4
LOW_QUANTILE, HIGH_QUANTILE = 0.10, 0.90
_GRID_BELOW, _GRID_ABOVE = 240, 360


@dataclass(frozen=True)
class Forecast:
    """The forecast of a campaign at a moment. Amounts in cents; ``chance`` in [0, 1];
    ``low_cents``–``high_cents`` an 80 % interval of the final amount."""

    goal_cents: int
    current_cents: int
    elapsed_fraction: float
    projected_cents: int
    low_cents: int
    high_cents: int
    chance: float

    @property
    def reached(self) -> bool:
        return self.current_cents >= self.goal_cents

    @property
    def chance_percent(self) -> int:
        """The chance in percent; never 100 before the goal is reached."""
        percent = round(self.chance * 100)
        return percent if self.reached else min(percent, 99)

    @property
    def in_ten(self) -> int:
        """The chance as "n campaigns in 10", between 1 and 9 unless it is certain."""
        if self.reached:
            return 10
        return min(max(round(self.chance * 10), 1), 9)


def _spread(x: float, reference_logs: list[float] | None) -> tuple[float, float]:
    """(centre, spread) of log F(x)."""
    prior_spread = SPREAD_FLOOR + SPREAD_PRIOR * (1 - x)
    if not reference_logs:
        return math.log(max(prior_share(x), SMALLEST_SHARE)), prior_spread
    n = len(reference_logs)
    centre = sum(reference_logs) / n
    variance = sum((v - centre) ** 2 for v in reference_logs) / n
    floor = REFERENCE_FLOOR[0] + REFERENCE_FLOOR[1] * (1 - x)
    shrunk = (n * variance + REFERENCE_SHRINK * prior_spread**2) / (n + REFERENCE_SHRINK)
    return centre, math.sqrt(shrunk + floor**2)


def _grid(lo: float, hi: float, n: int) -> list[tuple[float, float]]:
    step = (hi - lo) / n
    return [(lo + (i + 0.5) * step, step) for i in range(n)] if step > 0 else []


def _quantile(points: list[tuple[float, float]], total: float, q: float) -> float:
    target, running = q * total, 0.0
    for r, mass in points:
        if running + mass >= target:
            return r
        running += mass
    return points[-1][0]


def forecast(
    cumulative_cents: Sequence[int],
    goal_cents: int,
    duration_days: float,
    *,
    elapsed_days: float | None = None,
    reference_curves: Sequence[Curve] | None = None,
    prior: Prior = PRIOR,
) -> Forecast:
    """The forecast of a campaign from its cumulative amount (cents) at the end of each day
    so far (the last value is the amount now), its goal (cents) and its duration (days).
    ``elapsed_days`` is the time since the start (default: the number of days given);
    ``reference_curves``: the programme's past campaigns (default: the prior curve)."""
    if goal_cents <= 0 or duration_days <= 0:
        raise ValueError("the goal and the duration must be positive")
    current = max(int(cumulative_cents[-1]), 0) if cumulative_cents else 0
    elapsed = float(len(cumulative_cents) if elapsed_days is None else elapsed_days)
    x = min(max(elapsed / duration_days, 0.0), 1.0)
    y = current / goal_cents
    if x >= 1:  # the campaign is over: the final amount is known
        return Forecast(goal_cents, current, 1.0, current, current, current, float(y >= 1))
    reference_logs = None
    if reference_curves:
        reference_logs = [
            math.log(max(share_at(curve, x), SMALLEST_SHARE)) for curve in reference_curves
        ]
    centre, spread = _spread(x, reference_logs)
    observed = math.log(max(y, SMALLEST_SHARE))
    informative = x > 0 and elapsed > 0
    likely = math.exp(observed - centre)  # r if the campaign followed the curve exactly
    top = max(2.5, y * 1.5, likely * math.exp(4 * spread) if informative else 0.0)
    top = min(top, max(1000.0, y * 1.5))
    points = _grid(y, 1.0, _GRID_BELOW) if y < 1 else []
    points += _grid(max(y, 1.0), top, _GRID_ABOVE)
    weighted = []
    for r, step in points:
        mass = prior.density(r) * step
        if informative:
            z = (observed - math.log(r) - centre) / spread
            mass *= (1 + z * z / TAIL_DOF) ** (-(TAIL_DOF + 1) / 2)
        weighted.append((r, mass))
    total = sum(mass for _r, mass in weighted)
    if total <= 0:  # far outside anything the model expects: trust the pace alone
        ratio = max(likely, y)
        cents = round(ratio * goal_cents)
        return Forecast(goal_cents, current, x, cents, current, cents, float(ratio >= 1))
    chance = 1.0 if y >= 1 else sum(m for r, m in weighted if r >= 1) / total

    def cents(q: float) -> int:
        return max(round(_quantile(weighted, total, q) * goal_cents), current)

    return Forecast(
        goal_cents=goal_cents,
        current_cents=current,
        elapsed_fraction=x,
        projected_cents=cents(0.5),
        low_cents=cents(LOW_QUANTILE),
        high_cents=cents(HIGH_QUANTILE),
        chance=min(max(chance, 0.0), 1.0),
    )


def pace_needed(goal_cents: int, elapsed_fraction: float, reference_curves=None) -> int:
    """What a campaign on course for exactly its goal has raised by ``elapsed_fraction`` of
    its duration (cents): the goal × the curve (the mean of the reference curves)."""
    x = min(max(elapsed_fraction, 0.0), 1.0)
    if reference_curves:
        share = sum(share_at(c, x) for c in reference_curves) / len(reference_curves)
    else:
        share = prior_share(x)
    return round(goal_cents * share)


# --- the back-test ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A past campaign: its cumulative amount at the end of each day (cents), its goal, its
    duration (days) and its final amount (cents)."""

    cumulative_cents: tuple[int, ...]
    goal_cents: int
    duration_days: float
    final_cents: int


@dataclass(frozen=True)
class Checkpoint:
    fraction: float
    campaigns: int
    brier: float | None  # mean (chance − outcome)², lower is better; 0.25 = a coin
    coverage: float | None  # share of final amounts inside the 80 % interval


def replay(
    cases: Sequence[Case],
    fractions: Sequence[float] = (0.25, 0.5, 0.75),
    *,
    reference_curves: Sequence[Curve] | None = None,
    prior: Prior = PRIOR,
) -> list[Checkpoint]:
    """Replay each past campaign day by day and score the forecast made at the end of the
    first day that reaches each fraction of its duration."""
    out = []
    for fraction in fractions:
        errors, inside = [], []
        for case in cases:
            days = len(case.cumulative_cents)
            day = next(
                (d for d in range(1, days + 1) if d / case.duration_days >= fraction - 1e-9),
                None,
            )
            if day is None or day / case.duration_days >= 1:
                continue
            result = forecast(
                case.cumulative_cents[:day],
                case.goal_cents,
                case.duration_days,
                elapsed_days=day,
                reference_curves=reference_curves,
                prior=prior,
            )
            outcome = 1.0 if case.final_cents >= case.goal_cents else 0.0
            errors.append((result.chance - outcome) ** 2)
            inside.append(result.low_cents <= case.final_cents <= result.high_cents)
        count = len(errors)
        out.append(
            Checkpoint(
                fraction,
                count,
                sum(errors) / count if count else None,
                sum(inside) / count if count else None,
            )
        )
    return out
