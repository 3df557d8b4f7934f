"""Worked examples with known results, checked by hand (the reasoning is in the comments).

Grades are indexes into the scale, 0 = best. For the literature examples the scale is the
four grades they use: Excellent (0), Good (1), Fair (2), Poor (3).
"""

from __future__ import annotations

from dataclasses import replace

from django.utils import translation

from tests.jury.factories import plain_input
from tremplin.jury.enums import JuryMethod
from tremplin.jury.tally import tally
from tremplin.jury.tally_data import TIE_BALINSKI_LARAKI, TIE_EXACT
from tremplin.jury.tally_majority import majority_values

MJ = JuryMethod.MAJORITY_JUDGMENT
FOUR = [["Excellent", "Excellent"], ["Bien", "Good"], ["Passable", "Fair"], ["Mauvais", "Poor"]]
EXCELLENT, GOOD, FAIR, POOR = range(4)


def electorate(groups: list[tuple[int, dict[int, int]]]) -> list[dict[int, int]]:
    """Ballots from (number of voters, {candidate: grade}) groups."""
    return [dict(grades) for count, grades in groups for _ in range(count)]


def named(candidates, names):
    return [replace(c, title=name) for c, name in zip(candidates, names, strict=True)]


def summary(result) -> list[tuple[str, str, str]]:
    labels = [pair[1] for pair in FOUR]
    return [
        (r.title, labels[r.majority_grade] if r.majority_grade is not None else "", r.majority_sign)
        for r in result.results
    ]


def test_condorcet_example_majority_judgment_elects_c():
    """The three-candidate example of the Wikipedia articles on the Condorcet criterion and
    majority judgment, 100 voters:
        35 voters: A Excellent, B Fair,      C Poor
        34 voters: C Excellent, B Fair,      A Poor
        31 voters: B Excellent, C Good,      A Fair
    Published result: B is the Condorcet winner but majority judgment elects C with the
    majority grade "Good" (A and B only get "Fair").

    By hand, n = 100, the majority grade is the 51st grade best first (index 50):
      A: 35 Excellent, 31 Fair, 34 Poor  → index 50 is Fair; 35 better, 34 worse → Fair+
      B: 31 Excellent, 69 Fair           → Fair; 31 better, 0 worse            → Fair+
      C: 34 Excellent, 31 Good, 35 Poor  → Good; 34 better, 35 worse           → Good−
    A and B tie on Fair: remove one Fair at a time. After r removals (n = 100 − r, majority
    grade at index (100 − r) // 2): A keeps Fair while index ≥ 35, i.e. until r = 31 where
    n = 69 and index 34 is one of A's 35 Excellent; B is still Fair at r = 31 (index 34 ≥ 31
    Excellent) — so A beats B after 31 removals. Ranking: C, A, B (the majority gauge agrees:
    both Fair+, A has more grades above its majority grade, 35 > 31)."""
    A, B, C = 0, 1, 2
    ballots = electorate(
        [
            (35, {A: EXCELLENT, B: FAIR, C: POOR}),
            (34, {C: EXCELLENT, B: FAIR, A: POOR}),
            (31, {B: EXCELLENT, C: GOOD, A: FAIR}),
        ]
    )
    data = plain_input(MJ, ballots, grades=FOUR)
    data.candidates = named(data.candidates, "ABC")
    with translation.override("en"):
        result = tally(data)
    assert summary(result) == [("C", "Good", "-"), ("A", "Fair", "+"), ("B", "Fair", "+")]
    c, a, b = result.results
    assert not c.tie and c.tie_rule == ""
    assert a.tie and a.tie_rule == TIE_BALINSKI_LARAKI
    assert b.tie and b.tie_rule == TIE_BALINSKI_LARAKI
    assert a.profile == [35, 0, 31, 34] and b.profile == [31, 0, 69, 0]
    assert "after removing 31 median grades from each" in a.explanation
    assert c.explanation == "Majority grade Good−, graded by 100 ballots."


def test_tennessee_capital_example():
    """The "Tennessee capital" example of the Wikipedia article on majority judgment: each
    voter grades the four cities by distance, Excellent / Good / Fair / Poor:
        42% near Memphis:     Memphis E, Nashville G, Chattanooga F, Knoxville P
        26% near Nashville:   Nashville E, Chattanooga G, Knoxville F, Memphis P
        15% near Chattanooga: Chattanooga E, Knoxville G, Nashville F, Memphis P
        17% near Knoxville:   Knoxville E, Chattanooga G, Nashville F, Memphis P
    Published result: Nashville wins (majority grade Good, ahead of Chattanooga).

    By hand, 100 voters, majority grade at index 50 best first:
      Nashville:   26 E, 42 G, 32 F         → Good;  26 better, 32 worse → Good−
      Chattanooga: 15 E, 43 G, 42 F         → Good;  15 better, 42 worse → Good−
      Knoxville:   17 E, 15 G, 26 F, 42 P   → Fair;  32 better, 42 worse → Fair−
      Memphis:     42 E, 58 P               → Poor;  42 better           → Poor+
    Nashville vs Chattanooga, removing one Good at a time: Chattanooga's Good runs out of
    the middle first — after 16 removals (n = 84, index 42 = its first Fair) — while
    Nashville is still Good then (it drops only after 36). Nashville first."""
    MEM, NASH, CHAT, KNOX = range(4)
    ballots = electorate(
        [
            (42, {MEM: EXCELLENT, NASH: GOOD, CHAT: FAIR, KNOX: POOR}),
            (26, {NASH: EXCELLENT, CHAT: GOOD, KNOX: FAIR, MEM: POOR}),
            (15, {CHAT: EXCELLENT, KNOX: GOOD, NASH: FAIR, MEM: POOR}),
            (17, {KNOX: EXCELLENT, CHAT: GOOD, NASH: FAIR, MEM: POOR}),
        ]
    )
    data = plain_input(MJ, ballots, grades=FOUR)
    data.candidates = named(data.candidates, ["Memphis", "Nashville", "Chattanooga", "Knoxville"])
    with translation.override("en"):
        result = tally(data)
    assert summary(result) == [
        ("Nashville", "Good", "-"),
        ("Chattanooga", "Good", "-"),
        ("Knoxville", "Fair", "-"),
        ("Memphis", "Poor", "+"),
    ]
    nash, chat = result.results[:2]
    assert nash.tie_rule == chat.tie_rule == TIE_BALINSKI_LARAKI
    assert "after removing 16 median grades from each" in chat.explanation
    values = majority_values([EXCELLENT] * 15 + [GOOD] * 43 + [FAIR] * 42)
    assert values[:16] == (GOOD,) * 16 and values[16] == FAIR


def test_tie_broken_at_the_first_removal():
    """The tie-breaking illustration of the Wikipedia article on majority judgment:
        X: Good, Good, Fair, Poor        Y: Excellent, Fair, Fair, Fair
    Both majority grades are Fair (the lower of the two middle grades: X's middles are Good
    and Fair). Removing one Fair from each leaves X (Good, Good, Poor) → Good and
    Y (Excellent, Fair, Fair) → Fair: X wins, after one removal. Given Y was submitted
    first, submission order would have put Y first: the rule, not the order, decides."""
    X, Y = 0, 1
    ballots = [
        {X: GOOD, Y: EXCELLENT},
        {X: GOOD, Y: FAIR},
        {X: FAIR, Y: FAIR},
        {X: POOR, Y: FAIR},
    ]
    data = plain_input(MJ, ballots, grades=FOUR, orders=[1, 0])
    with translation.override("en"):
        x, y = tally(data).results
    assert (x.reference, y.reference) == ("1-00100", "1-00101")
    assert (x.majority_grade, x.majority_sign) == (FAIR, "+")  # 2 better, 1 worse
    assert (y.majority_grade, y.majority_sign) == (FAIR, "+")  # 1 better, 0 worse
    assert x.explanation == (
        "Majority grade Fair+, graded by 4 ballots. Same majority grade as 1-00101: the "
        "Balinski–Laraki rule separated them after removing 1 median grade from each."
    )


def test_exact_tie_falls_back_on_submission_order():
    """Identical profiles cannot be separated: the one submitted first ranks first, and
    both are flagged as an exact tie. A third application, Fair, comes last."""
    ballots = [
        {0: GOOD, 1: GOOD, 2: FAIR},
        {0: FAIR, 1: FAIR, 2: FAIR},
        {0: GOOD, 1: GOOD, 2: GOOD},
    ]
    data = plain_input(MJ, ballots, grades=FOUR, orders=[2, 1, 0])
    with translation.override("en"):
        rows = tally(data).results
    # 0 and 1: Good, Good, Fair → Good− ; 2: Good, Fair, Fair → Fair+.
    assert [r.reference for r in rows] == ["1-00101", "1-00100", "1-00102"]
    assert [r.tie_rule for r in rows] == [TIE_EXACT, TIE_EXACT, ""]
    assert "Exact tie with 1 other application" in rows[0].explanation


def test_recusal_shorter_sequence_is_an_exact_tie_with_its_extensions():
    """With recusals the numbers of grades differ. Three ballots, Good = 1:
        Z: Good, Good         (ballot 3 recused)   majority values (Good, Good)
        X: Excellent, Good, Good                   majority values (Good, Good, Excellent)
        Y: Good, Good, Good                        majority values (Good, Good, Good)
    X beats Y at the third value. Z agrees with both for as long as it has grades: an exact
    tie with each, so Z may go anywhere around them, but X must stay before Y. Submission
    order is Y, Z, X: merging Z into (X, Y) by submission order puts Z (2nd submitted)
    before X (3rd), giving Z, X, Y — every decided comparison kept, Z placed by submission
    order."""
    X, Y, Z = 0, 1, 2
    ballots = [
        {X: EXCELLENT, Y: GOOD, Z: GOOD},
        {X: GOOD, Y: GOOD, Z: GOOD},
        {X: GOOD, Y: GOOD, Z: EXCELLENT},
    ]
    data = plain_input(MJ, ballots, grades=FOUR, orders=[2, 0, 1], recusals={(2, Z)})
    with translation.override("en"):
        rows = tally(data).results
    assert [r.reference for r in rows] == ["1-00102", "1-00100", "1-00101"]
    z, x, y = rows
    assert (z.ballots_counted, z.recusals) == (2, 1)
    assert z.tie_rule == x.tie_rule == y.tie_rule == TIE_EXACT
    assert "Exact tie with 2 other applications" in z.explanation
    assert "Exact tie with 1 other application " in x.explanation
    assert "1 recusal (a conflict of interest was declared)." in z.explanation
    assert z.explanation.startswith("Majority grade Good, graded by 2 ballots.")


def test_favourites_partner_jury_like_mel_makers():
    """Favourites with 3 partner ballots of up to 2 picks: A picked by P1 and P2, B by P1
    and P3, C by P2; A submitted before B. A and B tie on 2: A first by submission order."""
    A, B, C = 0, 1, 2
    data = plain_input(JuryMethod.FAVOURITES, [{A, B}, {A, C}, {B}])
    with translation.override("en"):
        rows = tally(data).results
    assert [(r.reference, r.favourites, r.tie) for r in rows] == [
        ("1-00100", 2, True),
        ("1-00101", 2, True),
        ("1-00102", 1, False),
    ]
    assert rows[0].favourite_partners == ["Partenaire 00", "Partenaire 01"]
    assert rows[1].favourite_partners == ["Partenaire 00", "Partenaire 02"]
