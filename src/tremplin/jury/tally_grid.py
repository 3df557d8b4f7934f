"""The weighted criteria grid: averages per criterion and the weighted average, exact until
the one rounding; pure functions over plain data (docs/jury-tally.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext, ngettext

from tremplin.jury.tally_data import (
    TIE_SUBMISSION_ORDER,
    ApplicationResult,
    BallotData,
    Candidate,
    CriterionData,
    format_number,
    join_sentences,
    mark_ties,
    quantize,
    recusal_counts,
    recusal_sentence,
    tied_sentence,
)

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
    recusals = recusal_counts(ballots)
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
    others = mark_ties(results, [r.grid_average for r in results], TIE_SUBMISSION_ORDER)
    labels = {c.id: c.label for c in criteria}
    for result in results:
        if result.grid_average is None:
            head = gettext("Not scored by any ballot: ranked last.")
        else:
            details = "; ".join(
                f"{labels[cid]} {format_number(avg)}" for cid, avg in _by_position(result, criteria)
            )
            head = ngettext(
                "Weighted average %(average)s, scored by %(count)d ballot (per criterion: "
                "%(details)s).",
                "Weighted average %(average)s, scored by %(count)d ballots (per criterion: "
                "%(details)s).",
                result.ballots_counted,
            ) % {
                "average": format_number(result.grid_average),
                "count": result.ballots_counted,
                "details": details,
            }
        tied = tied_sentence(others[result.application_id]) if result.tie else ""
        result.explanation = join_sentences(head, recusal_sentence(result.recusals), tied)
    return results


def _by_position(result: ApplicationResult, criteria: Sequence[CriterionData]):
    for criterion in sorted(criteria, key=lambda c: (c.position, c.id)):
        if criterion.id in result.criterion_averages:
            yield criterion.id, result.criterion_averages[criterion.id]
