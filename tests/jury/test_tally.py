"""Property tests of the pure tally functions (no database): each method against a plain
reference implementation written here from its definition."""

from __future__ import annotations

import functools
import json
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.jury.factories import plain_input
from tremplin.jury.enums import JuryMethod
from tremplin.jury.tally import tally
from tremplin.jury.tally_data import (
    TIE_BALINSKI_LARAKI,
    TIE_EXACT,
    TIE_SUBMISSION_ORDER,
    BallotData,
    CriterionData,
    quantize,
)
from tremplin.jury.tally_json import canonical_ballots, tally_to_dict, tally_to_json
from tremplin.jury.tally_majority import majority_grade, majority_sign, majority_values

MJ = JuryMethod.MAJORITY_JUDGMENT
FAV = JuryMethod.FAVOURITES
GRID = JuryMethod.GRID
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------
# Reference implementation of majority judgment, from the definition


def ref_majority_grade(grades: list[int]) -> int:
    """Balinski–Laraki's majority grade: the median for an odd number of grades, the LOWER
    (worse) of the two middle grades for an even number. 0 is the best grade."""
    ordered = sorted(grades)  # best first
    n = len(ordered)
    if n % 2 == 1:
        return ordered[n // 2]
    return max(ordered[n // 2 - 1], ordered[n // 2])  # the worse of the two middle grades


def ref_compare(a: list[int], b: list[int]) -> int:
    """-1 when ``a`` ranks before ``b``: compare majority grades; while equal, remove one
    instance of the majority grade from each and compare again; 0 when one runs out."""
    a, b = list(a), list(b)
    while a and b:
        ma, mb = ref_majority_grade(a), ref_majority_grade(b)
        if ma != mb:
            return -1 if ma < mb else 1
        a.remove(ma)
        b.remove(mb)
    return 0


def ref_ranking(data) -> list[int]:
    """Application ids, best first: graded ones by ref_compare then submission order,
    ungraded ones last by submission order."""
    grades = {c.application_id: [] for c in data.candidates}
    for ballot in data.ballots:
        for app_id, value in ballot.grades.items():
            if app_id not in ballot.recusals:
                grades[app_id].append(value)
    order = {c.application_id: c.order for c in data.candidates}

    def cmp(x: int, y: int) -> int:
        return ref_compare(grades[x], grades[y]) or (order[x] - order[y])

    graded = sorted((a for a in grades if grades[a]), key=functools.cmp_to_key(cmp))
    ungraded = sorted((a for a in grades if not grades[a]), key=order.get)
    return graded + ungraded


# ---------------------------------------------------------------------------------------
# Strategies


@st.composite
def mj_elections(draw, *, recusals: bool = False, max_grades: int = 7):
    n_grades = draw(st.integers(1, max_grades))
    n_apps = draw(st.integers(1, 8))
    n_ballots = draw(st.integers(1, 9))
    matrix = [
        {a: draw(st.integers(0, n_grades - 1)) for a in range(n_apps)} for _ in range(n_ballots)
    ]
    recused = (
        draw(st.sets(st.tuples(st.integers(0, n_ballots - 1), st.integers(0, n_apps - 1))))
        if recusals
        else set()
    )
    orders = draw(st.permutations(range(n_apps)))
    grades = [[f"G{i}", f"G{i}"] for i in range(n_grades)]
    return plain_input(MJ, matrix, apps=n_apps, orders=orders, recusals=recused, grades=grades)


def ranking(result) -> list[int]:
    return [r.application_id for r in result.results]


# ---------------------------------------------------------------------------------------
# Majority judgment


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_majority_grade_is_the_lower_median(grades):
    assert majority_grade(grades) == ref_majority_grade(grades)


def test_majority_grade_even_and_odd_by_hand():
    # Odd: the middle one. 0 = Excellent ... 6 = To reject.
    assert majority_grade([0, 3, 6]) == 3
    # Even: the worse ("lower") of the two middle grades: middles 1 and 2 → 2.
    assert majority_grade([0, 1, 2, 3]) == 2
    assert majority_grade([4, 1]) == 4
    assert majority_grade([5]) == 5
    assert majority_grade([]) is None


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_majority_values_are_the_successive_medians(grades):
    remaining, expected = list(grades), []
    while remaining:
        median = ref_majority_grade(remaining)
        expected.append(median)
        remaining.remove(median)
    assert list(majority_values(grades)) == expected


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_majority_sign(grades):
    median = ref_majority_grade(grades)
    better = len([g for g in grades if g < median])
    worse = len([g for g in grades if g > median])
    expected = "" if better == worse == 0 else ("+" if better > worse else "-")
    assert majority_sign(grades) == expected


@PROPERTY
@given(mj_elections())
def test_majority_judgment_ranking_equals_the_reference(data):
    result = tally(data)
    assert ranking(result) == ref_ranking(data)
    assert [r.rank for r in result.results] == list(range(1, len(data.candidates) + 1))


@PROPERTY
@given(mj_elections(recusals=True))
def test_with_recusals_every_decided_comparison_is_respected(data):
    """With recusals applications have different numbers of grades. Whenever the
    definition decides between two applications (their majority values differ before one
    runs out), the ranking follows it; otherwise both are flagged as an exact tie."""
    result = tally(data)
    grades = {c.application_id: [] for c in data.candidates}
    for ballot in data.ballots:
        for app_id, value in ballot.grades.items():
            if app_id not in ballot.recusals:
                grades[app_id].append(value)
    rows = result.results
    for i, upper in enumerate(rows):
        for lower in rows[i + 1 :]:
            a, b = grades[upper.application_id], grades[lower.application_id]
            if not a:
                assert not b  # ungraded applications come last
                continue
            if not b:
                continue
            verdict = ref_compare(a, b)
            assert verdict != 1
            if verdict == 0:
                assert upper.tie_rule == lower.tie_rule == TIE_EXACT
    for row in rows:
        assert row.ballots_counted == len(grades[row.application_id])
        assert row.recusals == sum(row.application_id in b.recusals for b in data.ballots)
        assert sum(row.profile) == row.ballots_counted


@PROPERTY
@given(mj_elections(recusals=True), st.randoms(use_true_random=False))
def test_ballot_order_does_not_change_the_result(data, rnd):
    before = tally_to_json(tally(data))
    rnd.shuffle(data.ballots)
    rnd.shuffle(data.candidates)
    assert tally_to_json(tally(data)) == before


@PROPERTY
@given(mj_elections(recusals=True), st.data())
def test_raising_one_grade_never_lowers_the_rank(data, draw):
    votes = [
        (b, app_id)
        for b, ballot in enumerate(data.ballots)
        for app_id, value in ballot.grades.items()
        if value > 0 and app_id not in ballot.recusals
    ]
    assume(votes)
    b, app_id = draw.draw(st.sampled_from(votes))
    old = ballot = data.ballots[b]
    before = next(r.rank for r in tally(data).results if r.application_id == app_id)
    better = draw.draw(st.integers(0, ballot.grades[app_id] - 1))
    data.ballots[b] = type(old)(
        partner_slug=old.partner_slug,
        partner_name=old.partner_name,
        grades={**old.grades, app_id: better},
        recusals=old.recusals,
    )
    after = next(r.rank for r in tally(data).results if r.application_id == app_id)
    assert after <= before


@PROPERTY
@given(mj_elections())
def test_tie_flags_and_rules(data):
    with translation.override("en"):
        result = tally(data)
    grades = [r.majority_grade for r in result.results]
    for row in result.results:
        assert row.tie == (grades.count(row.majority_grade) > 1)
        assert (row.tie_rule != "") == row.tie
        if row.tie_rule == TIE_BALINSKI_LARAKI:
            assert "the Balinski–Laraki rule separated them" in row.explanation
        if row.tie_rule == TIE_EXACT:
            assert "Exact tie" in row.explanation
        graded = [g for g, n in enumerate(row.profile) for _ in range(n)]
        assert row.majority_grade == (ref_majority_grade(graded) if graded else None)


def test_ungraded_applications_rank_last():
    # Application 1 is recused by the only ballot; applications 2 and 3 are never graded.
    data = plain_input(MJ, [{0: 6, 1: 0}], apps=4, recusals={(0, 1)})
    with translation.override("en"):
        rows = tally(data).results
    assert [r.reference for r in rows] == ["1-00100", "1-00101", "1-00102", "1-00103"]
    assert rows[0].majority_grade == 6 and not rows[0].tie
    assert [r.majority_grade for r in rows[1:]] == [None, None, None]
    assert all(r.tie and r.tie_rule == TIE_EXACT for r in rows[1:])
    assert rows[1].recusals == 1 and rows[1].ballots_counted == 0
    assert "Not graded by any ballot" in rows[1].explanation
    assert "1 recusal" in rows[1].explanation


def test_grades_outside_the_scale_are_not_counted():
    data = plain_input(MJ, [{0: 1}, {0: 9}], grades=[["A", "A"], ["B", "B"]])
    row = tally(data).results[0]
    assert row.ballots_counted == 1 and row.profile == [0, 1]


# ---------------------------------------------------------------------------------------
# Favourites


@st.composite
def favourite_elections(draw):
    n_apps = draw(st.integers(1, 10))
    matrix = draw(st.lists(st.sets(st.integers(0, n_apps - 1), max_size=4), max_size=9))
    recused = draw(
        st.sets(st.tuples(st.integers(0, max(len(matrix) - 1, 0)), st.integers(0, n_apps - 1)))
    )
    orders = draw(st.permutations(range(n_apps)))
    return plain_input(FAV, matrix, apps=n_apps, orders=orders, recusals=recused)


@PROPERTY
@given(favourite_elections(), st.randoms(use_true_random=False))
def test_favourites_count_the_ballots_that_picked_each_application(data, rnd):
    result = tally(data)
    order = {c.application_id: c.order for c in data.candidates}
    for row in result.results:
        pickers = [
            b
            for b in data.ballots
            if row.application_id in b.picks and row.application_id not in b.recusals
        ]
        assert row.favourites == len(pickers)
        assert row.favourite_partners == sorted({b.partner_name for b in pickers})
        recused = sum(row.application_id in b.recusals for b in data.ballots)
        assert row.recusals == recused
        assert row.ballots_counted == len(data.ballots) - recused
        tied = [r for r in result.results if r.favourites == row.favourites]
        assert row.tie == (len(tied) > 1)
        assert row.tie_rule == (TIE_SUBMISSION_ORDER if row.tie else "")
    expected = sorted(order, key=lambda a: (-result_count(result, a), order[a]))
    assert ranking(result) == expected
    before = tally_to_json(result)
    rnd.shuffle(data.ballots)
    assert tally_to_json(tally(data)) == before


def result_count(result, app_id: int) -> int:
    return next(r.favourites for r in result.results if r.application_id == app_id)


def test_favourites_explanation():
    data = plain_input(FAV, [{0, 1}, {0}, {1}], apps=3, recusals={(2, 0)})
    with translation.override("en"):
        rows = tally(data).results
    assert [(r.reference, r.favourites) for r in rows] == [
        ("1-00100", 2),
        ("1-00101", 2),
        ("1-00102", 0),
    ]
    assert rows[0].explanation == (
        "Picked by 2 of 2 ballots (Partenaire 00, Partenaire 01). "
        "1 recusal (a conflict of interest was declared). "
        "Tied with 1 other application: ordered by submission order."
    )
    assert rows[2].explanation == "Picked by none of the 3 ballots."


# ---------------------------------------------------------------------------------------
# Weighted criteria grid


def direct_grid_average(scores: dict[int, list[int]], weights: dict[int, Decimal]):
    """The definition in plain Decimal arithmetic (high precision, one rounding)."""
    with localcontext() as ctx:
        ctx.prec = 80
        averages = {c: Decimal(sum(v)) / Decimal(len(v)) for c, v in scores.items() if v}
        if not averages:
            return None, {}
        total = sum(weights[c] * a for c, a in averages.items()) / sum(weights[c] for c in averages)
        # Snap away the last-digit noise of non-terminating divisions, then round once.
        snap = Decimal("1e-30")

        def cents(x: Decimal) -> Decimal:
            return x.quantize(snap).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

        return cents(total), {c: cents(a) for c, a in averages.items()}


@st.composite
def grid_elections(draw):
    n_apps = draw(st.integers(1, 6))
    n_criteria = draw(st.integers(1, 4))
    criteria = [
        CriterionData(
            id=10 + c,
            label_fr=f"Critère {c}",
            weight=draw(st.decimals(Decimal("0.01"), Decimal("100"), places=2)),
            position=c,
        )
        for c in range(n_criteria)
    ]
    matrix = draw(
        st.lists(
            st.dictionaries(
                st.integers(0, n_apps - 1),
                st.dictionaries(st.sampled_from([c.id for c in criteria]), st.integers(0, 10)),
            ),
            max_size=7,
        )
    )
    return plain_input(GRID, matrix, apps=n_apps, criteria=criteria)


@PROPERTY
@given(grid_elections())
def test_grid_average_matches_a_direct_decimal_computation(data):
    result = tally(data)
    weights = {c.id: c.weight for c in data.criteria}
    for row in result.results:
        scores: dict[int, list[int]] = {}
        for ballot in data.ballots:
            for (app_id, cid), value in ballot.scores.items():
                if app_id == row.application_id:
                    scores.setdefault(cid, []).append(value)
        average, per_criterion = direct_grid_average(scores, weights)
        assert row.grid_average == average
        assert row.criterion_averages == per_criterion
    shown = [r.grid_average for r in result.results]
    graded = [a for a in shown if a is not None]
    assert graded == sorted(graded, reverse=True)
    assert shown[len(graded) :] == [None] * (len(shown) - len(graded))


def test_grid_by_hand():
    # Innovation (weight 2) and Feasibility (weight 1); two ballots.
    criteria = [
        CriterionData(id=1, label_fr="Innovation", label_en="Innovation", weight=Decimal("2")),
        CriterionData(
            id=2, label_fr="Faisabilité", label_en="Feasibility", weight=Decimal("1"), position=1
        ),
    ]
    matrix = [
        {0: {1: 8, 2: 5}, 1: {1: 6, 2: 10}},
        {0: {1: 7, 2: 6}, 1: {1: 7, 2: 9}},
    ]
    data = plain_input(GRID, matrix, criteria=criteria)
    with translation.override("en"):
        rows = tally(data).results
    # Application 0: Innovation (8+7)/2 = 7.5, Feasibility (5+6)/2 = 5.5,
    #   weighted (2×7.5 + 1×5.5)/3 = 20.5/3 = 6.8333… → 6.83.
    # Application 1: Innovation 6.5, Feasibility 9.5 → (13 + 9.5)/3 = 7.5 → first.
    assert [(r.reference, r.grid_average) for r in rows] == [
        ("1-00101", Decimal("7.50")),
        ("1-00100", Decimal("6.83")),
    ]
    assert rows[1].criterion_averages == {1: Decimal("7.50"), 2: Decimal("5.50")}
    assert rows[1].explanation == (
        "Weighted average 6.83, scored by 2 ballots (per criterion: Innovation 7.50; "
        "Feasibility 5.50)."
    )


def test_quantize_rounds_half_up_once():
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert quantize(Decimal("2.665")) == Decimal("2.67")
    assert quantize(Decimal("0.005")) == Decimal("0.01")
    assert quantize(Decimal("-0.005")) == Decimal("-0.01")
    assert str(quantize(7)) == "7.00"


# ---------------------------------------------------------------------------------------
# Canonical ballots and JSON


def test_canonical_ballots_format():
    data = plain_input(MJ, [{1: 3, 0: 2}], recusals={(0, 1)})
    text = canonical_ballots(data.ballots, {100: "1-00100", 101: "1-00101"}).decode()
    assert text == (
        '[{"grades":[["1-00100",2],["1-00101",3]],"member":"","partner":"partenaire-00",'
        '"picks":[],"recusals":["1-00101"],"scores":[]}]'
    )


def test_json_is_canonical_and_stable():
    rnd = random.Random(4)
    matrix = [{a: rnd.randrange(7) for a in range(12)} for _ in range(9)]
    data = plain_input(MJ, matrix, recusals={(0, 3), (4, 5)}, quorum=10)
    first = tally_to_json(tally(data))
    assert first == tally_to_json(tally(data))
    parsed = tally_to_dict(tally(data))
    assert parsed["quorum_met"] is False and parsed["ballot_count"] == 9
    assert len(parsed["ballots_sha256"]) == 64
    assert '"ballots_sha256"' in first and "\n  " in first  # indent=2, keys sorted


def reference_canonical(ballots, references) -> bytes:
    """The documented format, with json.dumps."""
    rows = [
        {
            "partner": b.partner_slug,
            "member": b.member_email,
            "picks": sorted(references[a] for a in b.picks),
            "grades": sorted([references[a], v] for a, v in b.grades.items()),
            "scores": sorted([references[a], c, v] for (a, c), v in b.scores.items()),
            "recusals": sorted(references[a] for a in b.recusals),
        }
        for b in sorted(ballots, key=lambda b: (b.partner_slug, b.member_email))
    ]
    return json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@PROPERTY
@given(
    st.lists(
        st.builds(
            BallotData,
            partner_slug=st.text(max_size=6),
            partner_name=st.just("P"),
            member_email=st.text(max_size=6),
            picks=st.frozensets(st.integers(0, 30), max_size=5),
            grades=st.dictionaries(st.integers(0, 30), st.integers(0, 6), max_size=6),
            scores=st.dictionaries(
                st.tuples(st.integers(0, 30), st.integers(1, 3)), st.integers(0, 10), max_size=6
            ),
            recusals=st.frozensets(st.integers(0, 30), max_size=3),
        ),
        max_size=5,
        unique_by=lambda b: (b.partner_slug, b.member_email),
    ),
    st.permutations(range(31)),
)
def test_canonical_ballots_is_the_documented_json(ballots, shuffled):
    # References whose order differs from the ids' order, some with quotes and accents.
    references = {
        a: f"9-{shuffled[a]:05d}{'é' if a % 5 == 0 else ''}{chr(34) * (a % 7 == 0)}"
        for a in range(31)
    }
    assert canonical_ballots(ballots, references) == reference_canonical(ballots, references)
