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

from collections.abc import Sequence

from django.utils.translation import gettext, ngettext

from tremplin.jury.enums import JuryMethod
from tremplin.jury.tally_data import (
    TIE_SUBMISSION_ORDER,
    ApplicationResult,
    BallotData,
    Candidate,
    TallyInput,
    TallyResult,
    join_sentences,
    mark_ties,
    recusal_counts,
    recusal_sentence,
    tied_sentence,
)
from tremplin.jury.tally_grid import rank_grid
from tremplin.jury.tally_json import ballots_fingerprint
from tremplin.jury.tally_majority import rank_majority_judgment

# ---------------------------------------------------------------------------------------
# Entry points


def compute_tally(jury) -> TallyResult:
    """Load the jury's submitted ballots (a handful of queries) and count them."""
    # Imported here: the counting stays importable without the models.
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
    recusals = recusal_counts(ballots)
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
    others = mark_ties(results, [r.favourites for r in results], TIE_SUBMISSION_ORDER)
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
        tied = tied_sentence(others[result.application_id]) if result.tie else ""
        result.explanation = join_sentences(picked, recusal_sentence(result.recusals), tied)
    return results
