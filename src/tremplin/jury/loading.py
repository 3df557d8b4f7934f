"""Database → plain data for the tally (``jury.tally``), in a handful of queries.

One query per table (candidates, criteria, submitted ballots, picks, grades, scores,
recusals), each a ``values_list`` of plain tuples filtered by a join on the ballot — no
query per ballot or per application, no model instances for the hundreds of thousands of
votes. Only SUBMITTED ballots are read; drafts never reach the tally.
"""

from __future__ import annotations

from decimal import Decimal

from tremplin.calls.models import Application
from tremplin.jury.enums import BallotState
from tremplin.jury.models import Ballot, Criterion, Grade, Jury, Pick, Recusal, Score
from tremplin.jury.tally_data import BallotData, Candidate, CriterionData, TallyInput


def _reference(programme_id: int, application_id: int) -> str:
    # The same as Application.reference, without building a model instance per row.
    return Application(pk=application_id, programme_id=programme_id).reference


def load_tally_input(jury: Jury) -> TallyInput:
    programme = jury.programme
    candidates = [
        Candidate(
            application_id=pk,
            reference=_reference(programme_id, pk),
            title=title,
            order=order,
        )
        for order, (pk, programme_id, title) in enumerate(
            jury.candidates()
            .order_by("submitted_at", "id")
            .values_list("id", "programme_id", "title")
        )
    ]
    criteria = [
        CriterionData(id=pk, label_fr=fr, label_en=en, weight=Decimal(weight), position=pos)
        for pk, fr, en, weight, pos in Criterion.objects.filter(jury=jury)
        .order_by("position", "id")
        .values_list("id", "label_fr", "label_en", "weight", "position")
    ]

    submitted = {"ballot__jury_id": jury.pk, "ballot__state": BallotState.SUBMITTED}
    ballots = {
        pk: (slug, name, email or "")
        for pk, slug, name, email in Ballot.objects.filter(
            jury_id=jury.pk, state=BallotState.SUBMITTED
        ).values_list("id", "partner__slug", "partner__name", "member__user__email")
    }
    picks: dict[int, set[int]] = {pk: set() for pk in ballots}
    grades: dict[int, dict[int, int]] = {pk: {} for pk in ballots}
    scores: dict[int, dict[tuple[int, int], int]] = {pk: {} for pk in ballots}
    recusals: dict[int, set[int]] = {pk: set() for pk in ballots}
    mentioned: set[int] = set()
    if ballots:
        for ballot_id, app_id in Pick.objects.filter(**submitted).values_list(
            "ballot_id", "application_id"
        ):
            picks[ballot_id].add(app_id)
        for ballot_id, app_id, value in Grade.objects.filter(**submitted).values_list(
            "ballot_id", "application_id", "value"
        ):
            grades[ballot_id][app_id] = value
        for ballot_id, app_id, criterion_id, value in Score.objects.filter(**submitted).values_list(
            "ballot_id", "application_id", "criterion_id", "value"
        ):
            scores[ballot_id][(app_id, criterion_id)] = value
        for ballot_id, app_id in Recusal.objects.filter(**submitted).values_list(
            "ballot_id", "application_id"
        ):
            recusals[ballot_id].add(app_id)
        for pk in ballots:
            mentioned.update(picks[pk], grades[pk], recusals[pk])
            mentioned.update(app_id for app_id, _ in scores[pk])

    references = {c.application_id: c.reference for c in candidates}
    missing = mentioned - references.keys()
    if missing:  # votes on applications that are no longer candidates (e.g. withdrawn)
        references.update(
            (pk, _reference(programme_id, pk))
            for pk, programme_id in Application.objects.filter(pk__in=missing).values_list(
                "id", "programme_id"
            )
        )

    return TallyInput(
        programme_slug=programme.slug,
        method=jury.method,
        candidates=candidates,
        ballots=[
            BallotData(
                partner_slug=slug,
                partner_name=name,
                member_email=email,
                picks=frozenset(picks[pk]),
                grades=grades[pk],
                scores=scores[pk],
                recusals=frozenset(recusals[pk]),
            )
            for pk, (slug, name, email) in ballots.items()
        ],
        grades=[list(pair) for pair in jury.grades],
        criteria=criteria,
        quorum=jury.quorum,
        references=references,
    )
