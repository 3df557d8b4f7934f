"""factory_boy factories for the jury (shared by the jury test files).

jury = JuryFactory(programme=programme, method=JuryMethod.MAJORITY_JUDGMENT)
ballot = BallotFactory(jury=jury)               # a submitted partner ballot
GradeFactory(ballot=ballot, application=app, value=2)
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import (
    PartnerFactory,
    ProgrammeFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tremplin.calls.enums import ProgrammeState
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.models import (
    Ballot,
    Criterion,
    Grade,
    Jury,
    JuryMember,
    Pick,
    Recusal,
    Score,
)


class JuryFactory(factory.django.DjangoModelFactory):
    """A favourites jury, open now for 7 days, on a programme in the JURY state."""

    class Meta:
        model = Jury
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory, state=ProgrammeState.JURY)
    method = JuryMethod.FAVOURITES
    ballot_scope = BallotScope.PARTNER
    max_picks = 10
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    quorum = 0
    laureate_count = 10


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    jury = factory.SubFactory(JuryFactory, method=JuryMethod.GRID)
    label_fr = factory.Sequence(lambda n: f"Critère {n}")
    label_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    position = factory.Sequence(lambda n: n)


class JuryMemberFactory(factory.django.DjangoModelFactory):
    """A jury member of a partner of the jury's organiser (the partner is added to the jury)."""

    class Meta:
        model = JuryMember
        skip_postgeneration_save = True

    jury = factory.SubFactory(JuryFactory)
    partner = factory.LazyAttribute(lambda o: PartnerFactory(organiser=o.jury.programme.organiser))
    user = factory.SubFactory(UserFactory)
    accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def _on_jury(self, create, extracted, **kwargs):
        if create:
            self.jury.partners.add(self.partner)


class BallotFactory(factory.django.DjangoModelFactory):
    """A SUBMITTED partner ballot (``member=None``); pass ``state=BallotState.DRAFT`` for a
    draft, ``member=...`` for a member ballot."""

    class Meta:
        model = Ballot

    jury = factory.SubFactory(JuryFactory)
    partner = factory.LazyAttribute(
        lambda o: (
            o.member.partner
            if o.member is not None
            else PartnerFactory(organiser=o.jury.programme.organiser)
        )
    )
    member = None
    state = BallotState.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == BallotState.SUBMITTED else None
    )


class DraftBallotFactory(BallotFactory):
    state = BallotState.DRAFT


class CandidateFactory(SubmittedApplicationFactory):
    """A submitted, eligible application: a candidate of its programme's jury."""

    eligibility = "eligible"


class PickFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pick

    ballot = factory.SubFactory(BallotFactory)
    application = factory.LazyAttribute(
        lambda o: CandidateFactory(programme=o.ballot.jury.programme)
    )


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade

    ballot = factory.SubFactory(BallotFactory, jury__method=JuryMethod.MAJORITY_JUDGMENT)
    application = factory.LazyAttribute(
        lambda o: CandidateFactory(programme=o.ballot.jury.programme)
    )
    value = 2


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    ballot = factory.SubFactory(BallotFactory, jury__method=JuryMethod.GRID)
    application = factory.LazyAttribute(
        lambda o: CandidateFactory(programme=o.ballot.jury.programme)
    )
    criterion = factory.LazyAttribute(lambda o: CriterionFactory(jury=o.ballot.jury))
    value = 5


class RecusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recusal

    ballot = factory.SubFactory(BallotFactory)
    application = factory.LazyAttribute(
        lambda o: CandidateFactory(programme=o.ballot.jury.programme)
    )
    declared_by = factory.SubFactory(UserFactory)
    reason = "Je conseille ce porteur de projet."


# ---------------------------------------------------------------------------------------
# Plain data for the pure tally functions (no database)


def plain_input(
    method: str,
    matrix: list[dict[int, object]],
    *,
    apps: int | None = None,
    orders: list[int] | None = None,
    recusals: set[tuple[int, int]] = frozenset(),
    grades: list[list[str]] | None = None,
    criteria: list | None = None,
    quorum: int = 0,
):
    """A ``TallyInput`` from a matrix: one dict per ballot, application index → vote
    (True for a pick, an int grade, or {criterion id: score} for the grid). Applications
    are numbered 0..apps-1 (application id 100 + i, reference "1-00100"...); ``orders``
    gives their submission order (default: their index); ``recusals`` holds
    (ballot index, application index) pairs."""
    from tremplin.jury.enums import DEFAULT_GRADES, JuryMethod
    from tremplin.jury.tally_data import BallotData, Candidate, TallyInput

    if apps is None:
        apps = 1 + max((max(row, default=-1) for row in matrix), default=-1)
    orders = list(range(apps)) if orders is None else orders
    candidates = [
        Candidate(100 + i, f"1-{100 + i:05d}", f"Projet {i}", orders[i]) for i in range(apps)
    ]
    ballots = []
    for b, row in enumerate(matrix):
        recused = frozenset(100 + a for (rb, a) in recusals if rb == b)
        common = {
            "partner_slug": f"partenaire-{b:02d}",
            "partner_name": f"Partenaire {b:02d}",
            "recusals": recused,
        }
        if method == JuryMethod.FAVOURITES:
            ballots.append(BallotData(picks=frozenset(100 + a for a in row), **common))
        elif method == JuryMethod.MAJORITY_JUDGMENT:
            ballots.append(BallotData(grades={100 + a: v for a, v in row.items()}, **common))
        else:
            scores = {(100 + a, cid): v for a, per in row.items() for cid, v in per.items()}
            ballots.append(BallotData(scores=scores, **common))
    return TallyInput(
        programme_slug="makers",
        method=method,
        candidates=candidates,
        ballots=ballots,
        grades=grades if grades is not None else [list(p) for p in DEFAULT_GRADES],
        criteria=criteria or [],
        quorum=quorum,
    )
