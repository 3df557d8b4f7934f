"""The canonical serialisation of the submitted ballots (their fingerprint) and the
canonical JSON of a tally: byte for byte the same on every database (docs/jury-tally.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal

from tremplin.jury.tally_data import BallotData, TallyResult, quantize

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
