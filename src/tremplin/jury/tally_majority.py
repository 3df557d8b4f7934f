"""Majority judgment: the majority grade, the majority values and the Balinski–Laraki
order of tied applications; pure functions over plain data (docs/jury-tally.md)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.utils.translation import get_language, gettext, ngettext

from tremplin.jury.tally_data import (
    SIGN_MINUS,
    SIGN_PLUS,
    TIE_BALINSKI_LARAKI,
    TIE_EXACT,
    ApplicationResult,
    BallotData,
    Candidate,
    join_sentences,
    recusal_counts,
    recusal_sentence,
    tied_sentence,
)

# ---------------------------------------------------------------------------------------
# Majority judgment (Balinski–Laraki)


def majority_grade(grades: Sequence[int]) -> int | None:
    """The lower median: with the grades sorted best first (0 = best), the element at index
    n // 2 — the middle one for odd n, the worse of the two middle ones for even n."""
    if not grades:
        return None
    return sorted(grades)[len(grades) // 2]


def majority_sign(grades: Sequence[int]) -> str:
    """ "+" when more grades are strictly better than the majority grade than strictly
    worse, "-" otherwise, "" when every grade equals the majority grade."""
    grade = majority_grade(grades)
    if grade is None:
        return ""
    better = sum(1 for g in grades if g < grade)
    worse = sum(1 for g in grades if g > grade)
    if better == worse == 0:
        return ""
    return SIGN_PLUS if better > worse else SIGN_MINUS


@lru_cache(maxsize=1024)
def _removal_order(n: int) -> tuple[int, ...]:
    """Indexes, into a sorted list of n grades, of the successive lower medians when the
    median is removed again and again. The remaining grades are always a left run
    [0, left) and a right run [right, n) of nearly equal sizes, so each median is the last
    of the left run or the first of the right run."""
    left, right = n // 2, n // 2
    order = []
    for remaining in range(n, 0, -1):
        index = remaining // 2  # the lower median of what remains
        if index < left:  # then index == left - 1
            left -= 1
            order.append(left)
        else:  # index == left: the first of the right run
            order.append(right)
            right += 1
    return tuple(order)


def majority_values(grades: Sequence[int]) -> tuple[int, ...]:
    """The majority value: the successive majority grades obtained by removing one instance
    of the majority grade at a time, until no grade is left (length n). Comparing two
    applications with the Balinski–Laraki rule is comparing these sequences
    lexicographically (smaller = better)."""
    ordered = sorted(grades)
    return tuple(ordered[i] for i in _removal_order(len(ordered)))


def _separation_round(a: Sequence[int], b: Sequence[int]) -> int | None:
    """The number of median grades removed before ``a`` and ``b`` differ, or None."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None


def order_majority_values(
    items: Sequence[tuple[tuple[int, ...], int]],
) -> tuple[list[int], dict[int, int]]:
    """Order (majority values, submission order) pairs best first. Return the indexes into
    ``items`` in ranking order, and for each index in an exact tie the number of other
    items it is exactly tied with.

    Two sequences are compared element by element: the first difference decides (the
    Balinski–Laraki rule). When they agree until one runs out of grades — identical
    sequences, or, with recusals, one a prefix of the other — nothing decides between them:
    an exact tie. Those undecided pairs are not transitive (A may tie with B and C while B
    beats C), so the order is built as follows, which respects every decided comparison:
    sorted lexicographically, the sequences that extend a shorter one S follow S in one
    contiguous block; S (and any identical sequence) may go anywhere in that block, and is
    merged into the (recursively ordered) rest of the block by submission order. Without
    recusals this is plain lexicographic order, identical sequences by submission order."""
    idx = sorted(range(len(items)), key=lambda i: items[i])
    exact: dict[int, int] = {}

    def arrange(run: list[int], tied_above: int) -> list[int]:
        out: list[int] = []
        i = 0
        while i < len(run):
            head = items[run[i]][0]
            j = i + 1
            while j < len(run) and items[run[j]][0][: len(head)] == head:
                j += 1
            if j - i == 1:
                if tied_above:
                    exact[run[i]] = tied_above
                out.append(run[i])
                i = j
                continue
            k = i
            while k < j and items[run[k]][0] == head:
                k += 1
            own = run[i:k]  # sequences equal to head, already by submission order
            for item in own:
                exact[item] = tied_above + (j - i) - 1
            rest = arrange(run[k:j], tied_above + len(own))
            out.extend(_merge_by_order(own, rest, items))
            i = j
        return out

    return arrange(idx, 0), exact


def _merge_by_order(
    own: list[int], rest: list[int], items: Sequence[tuple[tuple[int, ...], int]]
) -> list[int]:
    out, a, b = [], 0, 0
    while a < len(own) and b < len(rest):
        if items[own[a]][1] <= items[rest[b]][1]:
            out.append(own[a])
            a += 1
        else:
            out.append(rest[b])
            b += 1
    return out + own[a:] + rest[b:]


def rank_majority_judgment(
    candidates: Sequence[Candidate],
    ballots: Sequence[BallotData],
    grade_labels: Sequence[Sequence[str]],
) -> list[ApplicationResult]:
    size = len(grade_labels)
    ids = {c.application_id for c in candidates}
    profiles = {app_id: [0] * size for app_id in ids}
    for ballot in ballots:
        recused = ballot.recusals
        for app_id, value in ballot.grades.items():
            if app_id in ids and 0 <= value < size and app_id not in recused:
                profiles[app_id][value] += 1
    recusals = recusal_counts(ballots)
    labels = _grade_labels(grade_labels)

    graded: list[Candidate] = []
    values: dict[int, tuple[int, ...]] = {}
    results: dict[int, ApplicationResult] = {}
    for cand in candidates:
        app_id = cand.application_id
        profile = profiles[app_id]
        grades = [g for g, count in enumerate(profile) for _ in range(count)]
        result = ApplicationResult(
            application_id=app_id,
            reference=cand.reference,
            title=cand.title,
            profile=profile,
            ballots_counted=len(grades),
            recusals=recusals.get(app_id, 0),
        )
        if grades:
            graded.append(cand)
            values[app_id] = majority_values(grades)
            result.majority_grade = values[app_id][0]
            result.majority_sign = majority_sign(grades)
        results[app_id] = result

    positions, exact = order_majority_values([(values[c.application_id], c.order) for c in graded])
    ordered = [results[graded[k].application_id] for k in positions]
    exact_others = {graded[k].application_id: n for k, n in exact.items()}
    graded_ids = {c.application_id for c in graded}
    ungraded = [results[c.application_id] for c in candidates if c.application_id not in graded_ids]

    # Ties on the majority grade: broken by the Balinski–Laraki rule, or exact.
    grade_of = [r.majority_grade for r in ordered]
    for i, result in enumerate(ordered):
        above = i > 0 and grade_of[i - 1] == grade_of[i]
        below = i + 1 < len(ordered) and grade_of[i + 1] == grade_of[i]
        result.tie = above or below
        if result.application_id in exact_others:
            result.tie_rule = TIE_EXACT
        elif result.tie:
            result.tie_rule = TIE_BALINSKI_LARAKI
    for i, result in enumerate(ordered):
        sign = {SIGN_PLUS: "+", SIGN_MINUS: "−"}.get(result.majority_sign, "")
        head = ngettext(
            "Majority grade %(grade)s%(sign)s, graded by %(count)d ballot.",
            "Majority grade %(grade)s%(sign)s, graded by %(count)d ballots.",
            result.ballots_counted,
        ) % {"grade": labels[result.majority_grade], "sign": sign, "count": result.ballots_counted}
        tie = ""
        if result.tie_rule == TIE_EXACT:
            others = exact_others[result.application_id]
            tie = ngettext(
                "Exact tie with %(count)d other application (the same majority values for "
                "as long as both have grades): placed by submission order.",
                "Exact tie with %(count)d other applications (the same majority values for "
                "as long as both have grades): placed by submission order.",
                others,
            ) % {"count": others}
        elif result.tie_rule == TIE_BALINSKI_LARAKI:
            j = i - 1 if i > 0 and grade_of[i - 1] == grade_of[i] else i + 1
            other = ordered[j]
            rounds = _separation_round(values[result.application_id], values[other.application_id])
            tie = ngettext(
                "Same majority grade as %(other)s: the Balinski–Laraki rule separated them "
                "after removing %(round)d median grade from each.",
                "Same majority grade as %(other)s: the Balinski–Laraki rule separated them "
                "after removing %(round)d median grades from each.",
                rounds,
            ) % {"other": other.reference, "round": rounds}
        result.explanation = join_sentences(head, recusal_sentence(result.recusals), tie)

    for result in ungraded:
        result.tie = len(ungraded) > 1
        result.tie_rule = TIE_EXACT if result.tie else ""
        result.explanation = join_sentences(
            gettext("Not graded by any ballot: ranked last."),
            recusal_sentence(result.recusals),
            tied_sentence(len(ungraded) - 1) if result.tie else "",
        )
    ranked = ordered + ungraded
    for rank, result in enumerate(ranked, start=1):
        result.rank = rank
    return ranked


def _grade_labels(grades: Sequence[Sequence[str]]) -> list[str]:
    english = (get_language() or "fr").startswith("en")
    labels = []
    for pair in grades:
        pair = list(pair) + ["", ""]
        labels.append(pair[1] if english and pair[1] else pair[0])
    return labels
