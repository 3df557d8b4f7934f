"""The tally of a jury: deterministic, pure counting over plain data.

``compute_tally(jury)`` loads the submitted ballots with ``jury.loading`` (a handful of
queries) and hands plain data to ``tally()``, which never touches the database. The three
methods, the tie rules and the canonical ballots behind ``ballots_sha256`` are described,
with worked examples, in docs/jury-tally.md.

Determinism: ballots are sorted canonically (partner slug, member e-mail) before anything is
counted, every accumulation is commutative, candidates are ordered by submission order
(``Candidate.order``) and every tie falls back on that order. The same ballots therefore
give the same result, whatever the order they were cast, stored or loaded in.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tremplin.jury.enums import JuryMethod

# Tie rules (ApplicationResult.tie_rule): the rule that decided the order inside a tie.
TIE_SUBMISSION_ORDER = "submission_order"
TIE_BALINSKI_LARAKI = "balinski_laraki"
TIE_EXACT = "exact_tie_submission_order"

TIE_RULES = {
    TIE_SUBMISSION_ORDER: _("Submission order (earliest submitted application first)"),
    TIE_BALINSKI_LARAKI: _(
        "Balinski–Laraki rule (one median grade removed from each tied application "
        "until their majority grades differ)"
    ),
    TIE_EXACT: _(
        "Exact tie: the same majority values for as long as both have grades, "
        "placed by submission order"
    ),
}

SIGN_PLUS = "+"
SIGN_MINUS = "-"


# ---------------------------------------------------------------------------------------
# Results (the public API; see the jury contract)


@dataclass
class ApplicationResult:
    application_id: int
    reference: str
    title: str
    rank: int = 0
    tie: bool = False
    tie_rule: str = ""
    explanation: str = ""
    favourites: int | None = None
    favourite_partners: list[str] = field(default_factory=list)
    majority_grade: int | None = None
    majority_sign: str = ""
    profile: list[int] = field(default_factory=list)
    ballots_counted: int = 0
    recusals: int = 0
    grid_average: Decimal | None = None
    criterion_averages: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class TallyResult:
    programme_slug: str
    method: str
    results: list[ApplicationResult]
    ballot_count: int
    quorum: int
    quorum_met: bool
    ballots_fingerprint: str
    grades: list[list[str]] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Plain input data (built by jury.loading from the database, or by hand in tests)


@dataclass(frozen=True)
class Candidate:
    """An application the jury judges. ``order`` is its position in submission order
    (earliest first): the last word of every tie."""

    application_id: int
    reference: str
    title: str
    order: int


@dataclass(frozen=True)
class CriterionData:
    id: int
    label_fr: str
    label_en: str = ""
    weight: Decimal = Decimal("1")
    position: int = 0

    @property
    def label(self) -> str:
        english = (get_language() or "fr").startswith("en")
        return self.label_en if english and self.label_en else self.label_fr


@dataclass(frozen=True, eq=False)
class BallotData:
    """One SUBMITTED ballot. ``grades``: application id → grade index (0 = best);
    ``scores``: (application id, criterion id) → score; ``member_email`` is "" for the
    ballot of a partner organisation."""

    partner_slug: str
    partner_name: str
    member_email: str = ""
    picks: frozenset[int] = frozenset()
    grades: Mapping[int, int] = field(default_factory=dict)
    scores: Mapping[tuple[int, int], int] = field(default_factory=dict)
    recusals: frozenset[int] = frozenset()

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.partner_slug, self.member_email)


@dataclass
class TallyInput:
    programme_slug: str
    method: str
    candidates: list[Candidate]
    ballots: list[BallotData]
    grades: list[list[str]] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)
    quorum: int = 0
    # Reference of every application a ballot mentions (candidates or not): the fingerprint
    # names applications by reference. Candidates' references are added automatically.
    references: dict[int, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Entry points


def compute_tally(jury) -> TallyResult:
    """Load the jury's submitted ballots (a handful of queries) and count them."""
    from tremplin.jury.loading import load_tally_input

    return tally(load_tally_input(jury))


def tally(data: TallyInput) -> TallyResult:
    """Count plain data: pure, deterministic, independent of the order of the ballots."""
    ballots = sorted(data.ballots, key=lambda b: b.sort_key)
    candidates = sorted(data.candidates, key=lambda c: (c.order, c.application_id))
    if data.method == JuryMethod.MAJORITY_JUDGMENT:
        results = rank_majority_judgment(candidates, ballots, data.grades)
    elif data.method == JuryMethod.GRID:
        results = rank_grid(candidates, ballots, data.criteria)
    else:
        results = rank_favourites(candidates, ballots)
    references = dict(data.references)
    references.update((c.application_id, c.reference) for c in candidates)
    return TallyResult(
        programme_slug=data.programme_slug,
        method=str(data.method),
        results=results,
        ballot_count=len(ballots),
        quorum=data.quorum,
        quorum_met=len(ballots) >= data.quorum,
        ballots_fingerprint=ballots_fingerprint(ballots, references),
        grades=[list(pair) for pair in data.grades],
        criteria=sorted(data.criteria, key=lambda c: (c.position, c.id)),
    )


# ---------------------------------------------------------------------------------------
# Shared helpers


def quantize(value: Fraction | Decimal | int) -> Decimal:
    """The one rounding of the tally: exact value → Decimal with 2 places, ROUND_HALF_UP
    (halves away from zero), computed on the exact rational so that nothing is rounded twice."""
    exact = Fraction(value) * 100
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    cents = magnitude if exact >= 0 else -magnitude
    return Decimal(cents).scaleb(-2)


def _recusal_counts(ballots: Iterable[BallotData]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for ballot in ballots:
        for app_id in ballot.recusals:
            counts[app_id] = counts.get(app_id, 0) + 1
    return counts


def _recusal_sentence(recusals: int) -> str:
    if not recusals:
        return ""
    return ngettext(
        "%(count)d recusal (a conflict of interest was declared).",
        "%(count)d recusals (conflicts of interest were declared).",
        recusals,
    ) % {"count": recusals}


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def _tied_sentence(others: int) -> str:
    return ngettext(
        "Tied with %(count)d other application: ordered by submission order.",
        "Tied with %(count)d other applications: ordered by submission order.",
        others,
    ) % {"count": others}


def _mark_groups(ordered: list[ApplicationResult], keys: list, rule: str) -> dict[int, int]:
    """Flag runs of equal ``keys`` (aligned with ``ordered``) as ties decided by ``rule``;
    return, for each flagged application id, the number of other applications in its run."""
    others: dict[int, int] = {}
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or keys[i] != keys[start]:
            if i - start > 1:
                for result in ordered[start:i]:
                    result.tie = True
                    result.tie_rule = rule
                    others[result.application_id] = i - start - 1
            start = i
    return others


def _number(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)


# ---------------------------------------------------------------------------------------
# Favourites (coups de cœur)


def rank_favourites(
    candidates: Sequence[Candidate], ballots: Sequence[BallotData]
) -> list[ApplicationResult]:
    """Count, per candidate, the ballots that picked it; rank by count, most first; equal
    counts are ties ordered by submission order."""
    ids = {c.application_id for c in candidates}
    counts = dict.fromkeys(ids, 0)
    partners: dict[int, set[str]] = {app_id: set() for app_id in ids}
    for ballot in ballots:
        for app_id in ballot.picks:
            if app_id in ids and app_id not in ballot.recusals:
                counts[app_id] += 1
                partners[app_id].add(ballot.partner_name)
    recusals = _recusal_counts(ballots)
    ordered = sorted(candidates, key=lambda c: (-counts[c.application_id], c.order))
    results = []
    for rank, cand in enumerate(ordered, start=1):
        app_id = cand.application_id
        results.append(
            ApplicationResult(
                application_id=app_id,
                reference=cand.reference,
                title=cand.title,
                rank=rank,
                favourites=counts[app_id],
                favourite_partners=sorted(partners[app_id]),
                ballots_counted=len(ballots) - recusals.get(app_id, 0),
                recusals=recusals.get(app_id, 0),
            )
        )
    others = _mark_groups(results, [r.favourites for r in results], TIE_SUBMISSION_ORDER)
    for result in results:
        if not result.ballots_counted:
            picked = gettext("No ballot could vote on it.")
        elif result.favourites:
            picked = ngettext(
                "Picked by %(count)d of %(counted)d ballot (%(partners)s).",
                "Picked by %(count)d of %(counted)d ballots (%(partners)s).",
                result.ballots_counted,
            ) % {
                "count": result.favourites,
                "counted": result.ballots_counted,
                "partners": ", ".join(result.favourite_partners),
            }
        else:
            picked = ngettext(
                "Picked by none of the %(counted)d ballot.",
                "Picked by none of the %(counted)d ballots.",
                result.ballots_counted,
            ) % {"counted": result.ballots_counted}
        tied = _tied_sentence(others[result.application_id]) if result.tie else ""
        result.explanation = _join(picked, _recusal_sentence(result.recusals), tied)
    return results


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
    recusals = _recusal_counts(ballots)
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
        result.explanation = _join(head, _recusal_sentence(result.recusals), tie)

    for result in ungraded:
        result.tie = len(ungraded) > 1
        result.tie_rule = TIE_EXACT if result.tie else ""
        result.explanation = _join(
            gettext("Not graded by any ballot: ranked last."),
            _recusal_sentence(result.recusals),
            _tied_sentence(len(ungraded) - 1) if result.tie else "",
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


# ---------------------------------------------------------------------------------------
# Weighted criteria grid


def grid_averages(
    totals: Mapping[int, tuple[int, int]], weights: Mapping[int, Decimal]
) -> tuple[Decimal | None, dict[int, Decimal]]:
    """``totals``: criterion id → (sum of the scores, number of scores). Per criterion the
    average of the scores; then the mean of those averages weighted by the criteria's
    weights (criteria without any score are left out). Computed exactly (fractions) and
    rounded once each with ``quantize``."""
    exact: dict[int, Fraction] = {
        cid: Fraction(total, count) for cid, (total, count) in totals.items() if count
    }
    if not exact:
        return None, {}
    total_weight = sum(Fraction(weights[cid]) for cid in exact)
    weighted = sum(Fraction(weights[cid]) * avg for cid, avg in exact.items())
    average = quantize(weighted / total_weight) if total_weight else None
    return average, {cid: quantize(avg) for cid, avg in sorted(exact.items())}


def rank_grid(
    candidates: Sequence[Candidate],
    ballots: Sequence[BallotData],
    criteria: Sequence[CriterionData],
) -> list[ApplicationResult]:
    ids = {c.application_id for c in candidates}
    weights = {c.id: c.weight for c in criteria}
    sums: dict[tuple[int, int], int] = {}
    counts: dict[tuple[int, int], int] = {}
    scorers: dict[int, int] = dict.fromkeys(ids, 0)
    for ballot in ballots:
        recused = ballot.recusals
        seen: set[int] = set()
        for key, value in ballot.scores.items():
            app_id, cid = key
            if app_id in ids and cid in weights and app_id not in recused:
                sums[key] = sums.get(key, 0) + value
                counts[key] = counts.get(key, 0) + 1
                seen.add(app_id)
        for app_id in seen:
            scorers[app_id] += 1
    totals: dict[int, dict[int, tuple[int, int]]] = {app_id: {} for app_id in ids}
    for (app_id, cid), total in sums.items():
        totals[app_id][cid] = (total, counts[app_id, cid])
    recusals = _recusal_counts(ballots)
    results = []
    for cand in candidates:
        app_id = cand.application_id
        average, per_criterion = grid_averages(totals[app_id], weights)
        results.append(
            ApplicationResult(
                application_id=app_id,
                reference=cand.reference,
                title=cand.title,
                grid_average=average,
                criterion_averages=per_criterion,
                ballots_counted=scorers[app_id],
                recusals=recusals.get(app_id, 0),
            )
        )
    order = {c.application_id: c.order for c in candidates}
    # Rank on the displayed (rounded) average: equal shown averages are ties.
    results.sort(
        key=lambda r: (r.grid_average is None, -(r.grid_average or 0), order[r.application_id])
    )
    for rank, result in enumerate(results, start=1):
        result.rank = rank
    others = _mark_groups(results, [r.grid_average for r in results], TIE_SUBMISSION_ORDER)
    labels = {c.id: c.label for c in criteria}
    for result in results:
        if result.grid_average is None:
            head = gettext("Not scored by any ballot: ranked last.")
        else:
            details = "; ".join(
                f"{labels[cid]} {_number(avg)}" for cid, avg in _by_position(result, criteria)
            )
            head = ngettext(
                "Weighted average %(average)s, scored by %(count)d ballot (per criterion: "
                "%(details)s).",
                "Weighted average %(average)s, scored by %(count)d ballots (per criterion: "
                "%(details)s).",
                result.ballots_counted,
            ) % {
                "average": _number(result.grid_average),
                "count": result.ballots_counted,
                "details": details,
            }
        tied = _tied_sentence(others[result.application_id]) if result.tie else ""
        result.explanation = _join(head, _recusal_sentence(result.recusals), tied)
    return results


def _by_position(result: ApplicationResult, criteria: Sequence[CriterionData]):
    for criterion in sorted(criteria, key=lambda c: (c.position, c.id)):
        if criterion.id in result.criterion_averages:
            yield criterion.id, result.criterion_averages[criterion.id]


# ---------------------------------------------------------------------------------------
# Canonical ballots and JSON


def canonical_ballots(ballots: Iterable[BallotData], references: Mapping[int, str]) -> bytes:
    """The canonical serialisation of the submitted ballots (docs/jury-tally.md): a JSON
    list sorted by (partner slug, member e-mail); each ballot an object with the keys
    grades, member, partner, picks, recusals, scores (sorted), where picks and recusals are
    sorted application references, grades sorted [reference, grade] pairs and scores sorted
    [reference, criterion id, score] triples; no spaces, UTF-8 (not ASCII-escaped). Exactly
    ``json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, written
    by hand because it is hashed on every tally (100,000 grades)."""
    ballots = sorted(ballots, key=lambda b: b.sort_key)
    mentioned: set[int] = set()
    for ballot in ballots:
        mentioned.update(ballot.picks, ballot.grades, ballot.recusals)
        mentioned.update(app_id for app_id, _criterion in ballot.scores)
    refs = {app_id: references.get(app_id) or f"#{app_id}" for app_id in mentioned}
    # Sorting by reference = sorting by this rank; each reference JSON-encoded once.
    by_ref = sorted(mentioned, key=refs.__getitem__)
    rank = {app_id: i for i, app_id in enumerate(by_ref)}
    enc = {app_id: _json(refs[app_id]) for app_id in mentioned}

    def ref_list(app_ids: Iterable[int]) -> str:
        return ",".join(enc[a] for a in sorted(app_ids, key=rank.__getitem__))

    parts = []
    for ballot in ballots:
        grades = ",".join(
            f"[{enc[a]},{v}]" for a, v in sorted(ballot.grades.items(), key=lambda i: rank[i[0]])
        )
        scores = ",".join(
            f"[{enc[a]},{c},{v}]"
            for (a, c), v in sorted(ballot.scores.items(), key=lambda i: (rank[i[0][0]], i[0][1]))
        )
        parts.append(
            f'{{"grades":[{grades}],"member":{_json(ballot.member_email)},'
            f'"partner":{_json(ballot.partner_slug)},"picks":[{ref_list(ballot.picks)}],'
            f'"recusals":[{ref_list(ballot.recusals)}],"scores":[{scores}]}}'
        )
    return ("[" + ",".join(parts) + "]").encode()


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def ballots_fingerprint(ballots: Iterable[BallotData], references: Mapping[int, str]) -> str:
    return hashlib.sha256(canonical_ballots(ballots, references)).hexdigest()


def tally_to_dict(result: TallyResult) -> dict:
    """Plain JSON-ready data: Decimals as strings, no timestamps."""

    def dec(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "programme": result.programme_slug,
        "method": result.method,
        "ballot_count": result.ballot_count,
        "quorum": result.quorum,
        "quorum_met": result.quorum_met,
        "ballots_sha256": result.ballots_fingerprint,
        "grades": result.grades,
        "criteria": [
            {
                "id": c.id,
                "label_fr": c.label_fr,
                "label_en": c.label_en,
                "weight": str(quantize(c.weight)),
                "position": c.position,
            }
            for c in result.criteria
        ],
        "results": [
            {
                "rank": r.rank,
                "application_id": r.application_id,
                "reference": r.reference,
                "title": r.title,
                "tie": r.tie,
                "tie_rule": r.tie_rule,
                "explanation": r.explanation,
                "favourites": r.favourites,
                "favourite_partners": r.favourite_partners,
                "majority_grade": r.majority_grade,
                "majority_sign": r.majority_sign,
                "profile": r.profile,
                "ballots_counted": r.ballots_counted,
                "recusals": r.recusals,
                "grid_average": dec(r.grid_average),
                "criterion_averages": {
                    str(cid): str(avg) for cid, avg in r.criterion_averages.items()
                },
            }
            for r in result.results
        ],
    }


def tally_to_json(result: TallyResult) -> str:
    """Canonical JSON: keys sorted, indent 2, UTF-8 text (ensure_ascii=False), no trailing
    newline. Byte-for-byte the same for the same ballots (in the same language: the
    explanations are translated sentences)."""
    return json.dumps(tally_to_dict(result), sort_keys=True, indent=2, ensure_ascii=False)
