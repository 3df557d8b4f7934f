"""Issue #10, part 3: the forecast on known curves (pure maths), the live forecast read from
the contribution rows, the words on the page, and `tremplin forecast-backtest` on a
constructed set of ended campaigns."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override

from tests.campaigns.factories import CampaignFactory, ContributionFactory
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.tracking import forecast as model
from tremplin.tracking.display import chance_sentence, projection_sentence
from tremplin.tracking.forecast import (
    PRIOR,
    PRIOR_CURVE,
    Case,
    Forecast,
    curve_from_daily,
    forecast,
    pace_needed,
    prior_from_outcomes,
    prior_share,
    replay,
    share_at,
)
from tremplin.tracking.forecast_data import (
    campaign_forecast,
    cumulative_by_day,
    forecasts_for,
    past_cases,
)
from tremplin.tracking.series import series_for

GOAL = 500_000  # 5 000 € in cents
DAYS = 30


def on_curve(ratio: float, x: float, curve=None) -> int:
    """What a campaign ending at ``ratio`` × its goal has raised at ``x`` on ``curve``."""
    share = share_at(curve, x) if curve is not None else prior_share(x)
    return round(ratio * share * GOAL)


# --- the prior curve ---------------------------------------------------------------------------


def test_the_prior_curve_is_u_shaped():
    assert prior_share(0) == pytest.approx(0)
    assert prior_share(1) == pytest.approx(1)
    values = [prior_share(i / 100) for i in range(101)]
    assert values == sorted(values)
    first, middle, last = (
        prior_share(0.1) - prior_share(0),
        prior_share(0.55) - prior_share(0.45),
        prior_share(1) - prior_share(0.9),
    )
    assert first > 2 * middle and last > 2 * middle  # a launch peak, a slump, a final rush
    assert share_at(PRIOR_CURVE, 0.5) == pytest.approx(prior_share(0.5), abs=1e-3)


def test_the_prior_reproduces_the_published_anchors():
    grid = [i / 10000 for i in range(1, 10000)]

    def mass(lo, hi):
        return sum(PRIOR.density(r) for r in grid if lo <= r < hi) / 10000

    failure = mass(0, 1)
    assert failure == pytest.approx(0.5, abs=0.01)  # about half succeed
    assert mass(0.3, 1) / failure < 0.2  # few failures pass 30 % of their goal
    successes = [1 + i / 10000 for i in range(0, 400000)]
    total = sum(PRIOR.density(r) for r in successes) / 10000
    below = sum(PRIOR.density(r) for r in successes if r <= 1.1) / 10000
    assert below / total == pytest.approx(0.5, abs=0.02)  # half of successes end ≤ 110 %


def test_a_reference_curve_from_daily_amounts():
    curve = curve_from_daily([100, 100, 400])
    assert curve == ((0.0, 0.0), (1 / 3, 0.25), (2 / 3, 0.25), (1.0, 1.0))
    assert share_at(curve, 0.5) == pytest.approx(0.25)
    assert share_at(curve, 5 / 6) == pytest.approx(0.625)
    with pytest.raises(ValueError):
        curve_from_daily([0, 0, 0])


# --- the forecast on known curves ---------------------------------------------------------------


def test_a_campaign_past_its_goal_is_certain_and_never_projected_below_its_amount():
    result = forecast([GOAL // 2, GOAL + 1000], GOAL, DAYS)
    assert result.chance == 1.0 and result.reached
    assert result.low_cents >= GOAL + 1000
    assert result.projected_cents >= result.low_cents
    assert result.in_ten == 10


def test_an_empty_campaign_late_in_its_course_has_almost_no_chance():
    result = forecast([0] * 22, GOAL, DAYS)
    assert result.chance < 0.05
    assert result.projected_cents < GOAL * 0.1
    assert result.in_ten == 1  # said as "fewer than 1 in 20" on the page


@pytest.mark.parametrize("x", [0.25, 0.5, 0.75])
def test_more_money_at_the_same_moment_means_a_higher_chance(x):
    chances = [
        forecast([round(y * GOAL)], GOAL, DAYS, elapsed_days=x * DAYS).chance
        for y in (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 0.95)
    ]
    assert chances == sorted(chances)
    assert chances[0] < 0.05 and chances[-1] > 0.8


def test_the_same_amount_later_means_a_lower_chance():
    chances = [
        forecast([GOAL * 4 // 10], GOAL, DAYS, elapsed_days=x * DAYS).chance
        for x in (0.1, 0.25, 0.5, 0.75, 0.9)
    ]
    assert chances == sorted(chances, reverse=True)
    assert chances[0] > 0.8 and chances[-1] < 0.1


@pytest.mark.parametrize("ratio", [0.6, 1.5, 3.0])
@pytest.mark.parametrize("x", [0.25, 0.5, 0.75, 0.9])
def test_the_interval_holds_the_final_amount_of_a_campaign_on_the_prior_curve(ratio, x):
    result = forecast([on_curve(ratio, x)], GOAL, DAYS, elapsed_days=x * DAYS)
    assert result.low_cents <= ratio * GOAL <= result.high_cents
    assert result.low_cents <= result.projected_cents <= result.high_cents


def test_on_course_for_its_goal_a_campaign_is_likely_to_make_it():
    for x in (0.25, 0.5, 0.75, 0.9):
        assert forecast([on_curve(1.0, x)], GOAL, DAYS, elapsed_days=x * DAYS).chance > 0.8
    # and one heading for 60 % is less and less likely to as its end nears
    chances = [
        forecast([on_curve(0.6, x)], GOAL, DAYS, elapsed_days=x * DAYS).chance
        for x in (0.5, 0.75, 0.9)
    ]
    assert chances == sorted(chances, reverse=True) and chances[-1] < 0.15


def test_the_interval_narrows_as_the_end_nears():
    widths = [
        (lambda f: f.high_cents - f.low_cents)(
            forecast([on_curve(3.0, x)], GOAL, DAYS, elapsed_days=x * DAYS)
        )
        for x in (0.25, 0.5, 0.75, 0.9)
    ]
    assert widths == sorted(widths, reverse=True)


def test_at_the_deadline_the_final_amount_is_known():
    result = forecast([100_000, 300_000], GOAL, 2)
    assert (result.projected_cents, result.low_cents, result.high_cents) == (300_000,) * 3
    assert result.chance == 0.0 and result.elapsed_fraction == 1.0


def test_the_programmes_own_curves_change_the_verdict():
    """30 % raised at half-time: on course where past campaigns raised most at the end,
    hopeless where they raised most at the start."""
    late = [(0, 0), (0.5, 0.2), (0.8, 0.4), (1, 1)]
    early = [(0, 0), (0.2, 0.6), (0.5, 0.85), (1, 1)]
    amount = [GOAL * 3 // 10]
    back = forecast(amount, GOAL, DAYS, elapsed_days=15, reference_curves=[late] * 4)
    front = forecast(amount, GOAL, DAYS, elapsed_days=15, reference_curves=[early] * 4)
    assert back.chance > 0.8 > 0.2 > front.chance
    assert front.projected_cents < GOAL * 0.6 < GOAL < back.projected_cents
    # and their pace needed, at half-time, is theirs
    assert pace_needed(GOAL, 0.5, [late]) == GOAL * 2 // 10
    assert pace_needed(GOAL, 0.5) == round(GOAL * prior_share(0.5))


def test_past_outcomes_move_the_success_rate():
    assert prior_from_outcomes([]).success_rate == 0.5
    nine_of_ten = prior_from_outcomes([1.2] * 9 + [0.4])
    assert nine_of_ten.success_rate == pytest.approx((9 + 5) / 20)
    x, amount = 0.5, [GOAL // 4]
    assert (
        forecast(amount, GOAL, DAYS, elapsed_days=x * DAYS, prior=nine_of_ten).chance
        > forecast(amount, GOAL, DAYS, elapsed_days=x * DAYS).chance
    )


@pytest.mark.parametrize(
    "args",
    [([1000], 0, 30), ([1000], GOAL, 0), ([1000], -5, 30)],
)
def test_a_goal_or_duration_that_is_not_positive_is_refused(args):
    with pytest.raises(ValueError):
        forecast(*args)


# --- in words ----------------------------------------------------------------------------------


def _forecast(chance, current=100_000, goal=GOAL):
    return Forecast(goal, current, 0.5, 400_000, 300_000, 600_000, chance)


def test_the_forecast_in_words_in_french_and_english():
    with override("fr"):
        assert chance_sentence(_forecast(0.79)) == (
            "À ce rythme, 8 campagnes sur 10 comme celle-ci ont atteint leur objectif."
        )
        assert chance_sentence(_forecast(0.12)) == (
            "À ce rythme, 1 campagne sur 10 comme celle-ci a atteint son objectif."
        )
        assert "moins d’1 campagne sur 20" in chance_sentence(_forecast(0.01))
        assert chance_sentence(_forecast(1.0, current=GOAL)) == "L’objectif est atteint."
        assert projection_sentence(_forecast(0.5)) == (
            "Montant final projeté : 4\u00a0000\u00a0€ (probablement entre 3\u00a0000\u00a0€ "
            "et 6\u00a0000\u00a0€)."
        )
    assert _forecast(0.999).chance_percent == 99  # never 100 % before the goal
    assert _forecast(1.0, current=GOAL).chance_percent == 100
    assert _forecast(0.0004).chance_percent == 0
    with override("en"):
        assert chance_sentence(_forecast(0.79)) == (
            "At this pace, 8 campaigns in 10 like this one reached their goal."
        )
        assert "more than 19 campaigns in 20" in chance_sentence(_forecast(0.99))


# --- read from the rows ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_live_forecast_reads_the_daily_series_and_the_backtest_the_rows():
    now = timezone.now()
    campaign = CampaignFactory(
        raised_amount=Decimal("300.00"),  # the ledger's total: today's figure of the series
        goal=Decimal("1000.00"),
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=10),
    )
    ContributionFactory(
        campaign=campaign, amount=Decimal("200"), confirmed_at=now - timedelta(days=9)
    )
    ContributionFactory(
        campaign=campaign, amount=Decimal("100"), confirmed_at=now - timedelta(days=1)
    )
    ContributionFactory(  # refunded yesterday: counted before, not after
        campaign=campaign,
        amount=Decimal("50"),
        state="refunded",
        confirmed_at=now - timedelta(days=8),
        refunded_at=now - timedelta(hours=20),
    )
    ContributionFactory(
        campaign=campaign, amount=Decimal("999"), state="pending", confirmed_at=None
    )
    ContributionFactory(campaign=campaign, amount=Decimal("77"), state="failed")
    result = campaign_forecast(campaign, now=now)
    assert result.current_cents == 30_000
    assert result.goal_cents == 100_000
    assert result.elapsed_fraction == pytest.approx(0.5)
    assert result == forecast([30_000], 100_000, 20, elapsed_days=10)
    rows = series_for([campaign.pk], now=now)[campaign.pk]
    assert rows[-1].raised_cents == 30_000 and len(rows) in (10, 11)  # Paris days
    # the back-test's days (24 hours from the start): 200 € at the end of day 1, the 50 € from
    # day 2 until its refund (during day 10), the 100 € from the end of day 9
    events = [
        (now - timedelta(days=9), None, 20_000),
        (now - timedelta(days=8), now - timedelta(hours=20), 5_000),
        (now - timedelta(days=1), None, 10_000),
    ]
    series = cumulative_by_day(events, campaign.starts_at, now)
    assert series == [20_000] + [25_000] * 7 + [35_000, 30_000]


@pytest.mark.django_db
def test_only_live_started_campaigns_get_a_forecast():
    now = timezone.now()
    live = CampaignFactory()
    later = CampaignFactory(state=CampaignState.SCHEDULED, starts_at=now + timedelta(days=2))
    over = CampaignFactory(state=CampaignState.SUCCEEDED, ends_at=now - timedelta(days=1))
    found = forecasts_for([live, later, over], now=now)
    assert set(found) == {live.pk}


# --- the back-test -----------------------------------------------------------------------------


def _ended(ratio: float, curve, *, days: int = 20, goal: str = "1000.00") -> Campaign:
    """An ended campaign whose contributions follow ``curve`` to ``ratio`` × its goal: one
    contribution per day, of what the curve adds that day."""
    start = timezone.now() - timedelta(days=60)
    campaign = CampaignFactory(
        state=CampaignState.SETTLED,
        goal=Decimal(goal),
        starts_at=start,
        ends_at=start + timedelta(days=days),
    )
    final = ratio * float(Decimal(goal)) * 100
    previous = 0
    for day in range(1, days + 1):
        target = round(final * share_at(curve, day / days))
        if target > previous:
            ContributionFactory(
                campaign=campaign,
                amount=Decimal(target - previous) / 100,
                confirmed_at=start + timedelta(days=day) - timedelta(hours=1),
            )
            previous = target
    return campaign


@pytest.mark.django_db
def test_the_backtest_replays_past_campaigns_and_prints_brier_and_coverage(capsys):
    ratios = [0.05, 0.15, 0.3, 0.6, 1.05, 1.1, 1.3, 2.0]
    for ratio in ratios:
        _ended(ratio, PRIOR_CURVE)
    CampaignFactory()  # a live campaign: not replayed
    cases = past_cases()
    assert len(cases) == len(ratios)
    assert [c.final_cents for c in cases] == [round(r * 100_000) for r in ratios]
    expected = replay(cases)
    call_command("forecast-backtest", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["campaigns"] == len(ratios)
    for row, checkpoint in zip(printed["checkpoints"], expected, strict=True):
        assert row["fraction"] == checkpoint.fraction
        assert row["campaigns"] == len(ratios)
        assert row["brier"] == pytest.approx(checkpoint.brier)
        assert row["coverage"] == pytest.approx(checkpoint.coverage)
    # campaigns that follow the curve: better than a coin at every checkpoint, sharper later
    briers = [c.brier for c in expected]
    assert all(b < 0.25 for b in briers)
    assert briers[2] <= briers[0]
    assert all(c.coverage >= 0.6 for c in expected)
    call_command("forecast-backtest")
    text = capsys.readouterr().out
    assert "8 ended campaign(s) replayed." in text
    assert "25%" in text and "50%" in text and "75%" in text
    assert f"{expected[1].brier:.4f}" in text


def test_the_brier_score_and_the_coverage_are_what_they_say():
    """Two hand-made cases whose forecasts are known: the scores are their definitions."""
    hopeless = Case((0,) * 9 + (1000,), GOAL, 10, 1000)
    done = Case(tuple(range(60_000, 660_000, 60_000)), GOAL, 10, 600_000)
    (checkpoint,) = replay([hopeless, done], (0.5,))
    f1 = forecast([0] * 5, GOAL, 10, elapsed_days=5)
    f2 = forecast(done.cumulative_cents[:5], GOAL, 10, elapsed_days=5)
    assert checkpoint.campaigns == 2
    assert checkpoint.brier == pytest.approx(((f1.chance - 0) ** 2 + (f2.chance - 1) ** 2) / 2)
    inside = [f1.low_cents <= 1000 <= f1.high_cents, f2.low_cents <= 600_000 <= f2.high_cents]
    assert checkpoint.coverage == pytest.approx(sum(inside) / 2)
    assert replay([], (0.5,))[0].brier is None


@pytest.mark.django_db
def test_the_backtest_of_one_programme_and_of_none(capsys):
    campaign = _ended(1.2, PRIOR_CURVE)
    call_command("forecast-backtest", "--programme", campaign.programme.slug, "--json")
    assert json.loads(capsys.readouterr().out)["campaigns"] == 1
    call_command("forecast-backtest", "--programme", "nothing-here", "--json")
    assert json.loads(capsys.readouterr().out)["campaigns"] == 0
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("forecast-backtest", "--programme", "a\x00b")


def test_the_model_module_touches_no_database():
    from pathlib import Path

    assert "django" not in Path(model.__file__).read_text(encoding="utf-8")


def test_the_template_filters_for_the_cockpit():
    from django.template import Context, Template

    template = Template("{% load tracking_tags %}{{ f|chance_words }} {{ f|projection_words }}")
    with override("fr"):
        text = template.render(Context({"f": _forecast(0.79)}))
    assert "8 campagnes sur 10" in text and "Montant final projeté" in text
    assert template.render(Context({"f": None})).strip() == ""
