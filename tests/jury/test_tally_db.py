"""compute_tally on the database: only submitted ballots of this jury count, recusals are
excluded, the JSON is byte-for-byte stable and the fingerprint follows the ballots."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import PartnerFactory, ProgrammeFactory
from tests.jury.factories import (
    BallotFactory,
    CandidateFactory,
    CriterionFactory,
    DraftBallotFactory,
    GradeFactory,
    JuryFactory,
    JuryMemberFactory,
    PickFactory,
    RecusalFactory,
    ScoreFactory,
)
from tremplin.calls.enums import ProgrammeState
from tremplin.jury.enums import BallotScope, JuryMethod
from tremplin.jury.models import Ballot, Grade, Recusal
from tremplin.jury.tally import compute_tally
from tremplin.jury.tally_data import TIE_SUBMISSION_ORDER
from tremplin.jury.tally_json import tally_to_json

pytestmark = pytest.mark.django_db

# Grades: 0 Excellent, 1 Très bien, 2 Bien, 3 Assez bien, 4 Passable, 5 Insuffisant, 6 À rejeter
VOTES = {  # partner → grades of applications a, b, c, d (None: recused)
    "atelier": [0, 2, 3, 6],
    "campus": [1, 2, None, 6],
    "fablab": [1, 1, 4, 5],
}


@pytest.fixture
def mj(organiser):
    programme = ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2019", state=ProgrammeState.DELIBERATION
    )
    jury = JuryFactory(programme=programme, method=JuryMethod.MAJORITY_JUDGMENT, quorum=3)
    apps = [CandidateFactory(programme=programme, title=f"Projet {name}") for name in "abcd"]
    partners = {
        slug: PartnerFactory(organiser=organiser, slug=slug, name=slug.title()) for slug in VOTES
    }
    return jury, apps, partners


def cast(jury, apps, partners, order=None):
    """The three submitted ballots of VOTES, inserted in ``order`` of partners."""
    for slug in order or list(VOTES):
        ballot = BallotFactory(jury=jury, partner=partners[slug])
        for app, value in reversed(list(zip(apps, VOTES[slug], strict=True))):
            if value is None:
                RecusalFactory(ballot=ballot, application=app)
            else:
                GradeFactory(ballot=ballot, application=app, value=value)


def test_majority_judgment_on_the_database(mj, organiser, django_assert_max_num_queries):
    jury, apps, partners = mj
    cast(jury, apps, partners)
    # Ignored: a draft ballot, an ineligible application, another programme's jury.
    draft = DraftBallotFactory(jury=jury, partner=PartnerFactory(organiser=organiser))
    for app in apps:
        GradeFactory(ballot=draft, application=app, value=6)
    ineligible = CandidateFactory(programme=jury.programme, eligibility="ineligible")
    GradeFactory(ballot=Ballot.objects.filter(jury=jury).first(), application=ineligible, value=0)
    other = JuryFactory(method=JuryMethod.MAJORITY_JUDGMENT)
    other_ballot = BallotFactory(jury=other)
    GradeFactory(ballot=other_ballot, application=CandidateFactory(programme=other.programme))

    with django_assert_max_num_queries(10), translation.override("en"):
        result = compute_tally(jury)

    assert result.method == "majority_judgment" and result.programme_slug == "mel-makers-2019"
    assert (result.ballot_count, result.quorum, result.quorum_met) == (3, 3, True)
    # a: 0,1,1 → Très bien (1), one better → "+"; b: 1,2,2 → Bien (2), one better → "+";
    # c: 3,4 (campus recused) → the worse middle: Passable (4), one better → "+";
    # d: 5,6,6 → À rejeter (6), one better → "+".
    assert [(r.reference, r.majority_grade, r.majority_sign) for r in result.results] == [
        (apps[0].reference, 1, "+"),
        (apps[1].reference, 2, "+"),
        (apps[2].reference, 4, "+"),
        (apps[3].reference, 6, "+"),
    ]
    c = result.results[2]
    assert (c.ballots_counted, c.recusals) == (2, 1)
    assert c.profile == [0, 0, 0, 1, 1, 0, 0]
    assert c.explanation == (
        "Majority grade Passable+, graded by 2 ballots. "
        "1 recusal (a conflict of interest was declared)."
    )
    assert ineligible.pk not in {r.application_id for r in result.results}


def test_json_is_byte_identical_across_runs_and_insertion_orders(mj):
    jury, apps, partners = mj
    cast(jury, apps, partners)
    first = tally_to_json(compute_tally(jury))
    assert tally_to_json(compute_tally(jury)) == first
    Ballot.objects.filter(jury=jury).delete()
    cast(jury, apps, partners, order=["fablab", "atelier", "campus"])
    assert tally_to_json(compute_tally(jury)) == first
    data = json.loads(first)
    assert data["ballots_sha256"] == compute_tally(jury).ballots_fingerprint
    assert "submitted_at" not in first and "created_at" not in first


def test_the_fingerprint_changes_when_one_grade_changes(mj):
    jury, apps, partners = mj
    cast(jury, apps, partners)
    before = compute_tally(jury).ballots_fingerprint
    grade = Grade.objects.filter(ballot__partner=partners["fablab"], application=apps[3]).get()
    grade.value = 4
    grade.save()
    after = compute_tally(jury).ballots_fingerprint
    assert after != before
    grade.value = 5
    grade.save()
    assert compute_tally(jury).ballots_fingerprint == before
    Recusal.objects.filter(application=apps[2]).delete()
    assert compute_tally(jury).ballots_fingerprint != before


def test_quorum_not_met(mj):
    jury, apps, partners = mj
    jury.quorum = 4
    jury.save()
    cast(jury, apps, partners)
    result = compute_tally(jury)
    assert result.ballot_count == 3 and result.quorum_met is False


def test_favourites_on_the_database(organiser):
    jury = JuryFactory(programme__organiser=organiser, method=JuryMethod.FAVOURITES, max_picks=2)
    a, b, c = (CandidateFactory(programme=jury.programme) for _ in range(3))
    p1, p2, p3 = (
        PartnerFactory(organiser=organiser, name=name) for name in ["Zeta", "Alpha", "Mu"]
    )
    for partner, picks in [(p1, [a, b]), (p2, [a]), (p3, [b])]:
        ballot = BallotFactory(jury=jury, partner=partner)
        for app in picks:
            PickFactory(ballot=ballot, application=app)
    RecusalFactory(ballot=Ballot.objects.get(partner=p3), application=c)
    draft = DraftBallotFactory(jury=jury, partner=PartnerFactory(organiser=organiser))
    PickFactory(ballot=draft, application=c)
    PickFactory(ballot=draft, application=b)

    rows = compute_tally(jury).results
    assert [(r.application_id, r.favourites) for r in rows] == [(a.pk, 2), (b.pk, 2), (c.pk, 0)]
    assert rows[0].favourite_partners == ["Alpha", "Zeta"]
    assert rows[1].favourite_partners == ["Mu", "Zeta"]
    assert rows[0].tie and rows[0].tie_rule == TIE_SUBMISSION_ORDER
    assert (rows[2].ballots_counted, rows[2].recusals) == (2, 1)


def test_grid_on_the_database(organiser):
    jury = JuryFactory(programme__organiser=organiser, method=JuryMethod.GRID)
    innovation = CriterionFactory(jury=jury, weight=Decimal("2.00"), position=1)
    impact = CriterionFactory(jury=jury, weight=Decimal("1.00"), position=2)
    a, b = (CandidateFactory(programme=jury.programme) for _ in range(2))
    for scores in [{a: (8, 5), b: (6, 10)}, {a: (7, 6), b: (7, 9)}]:
        ballot = BallotFactory(jury=jury)
        for app, (x, y) in scores.items():
            ScoreFactory(ballot=ballot, application=app, criterion=innovation, value=x)
            ScoreFactory(ballot=ballot, application=app, criterion=impact, value=y)
    result = compute_tally(jury)
    # a: (2 × 7.5 + 5.5) / 3 = 6.8333… → 6.83 ; b: (2 × 6.5 + 9.5) / 3 = 7.5.
    assert [(r.application_id, r.grid_average) for r in result.results] == [
        (b.pk, Decimal("7.50")),
        (a.pk, Decimal("6.83")),
    ]
    assert result.results[1].criterion_averages == {
        innovation.pk: Decimal("7.50"),
        impact.pk: Decimal("5.50"),
    }
    data = json.loads(tally_to_json(result))
    assert data["results"][1]["grid_average"] == "6.83"
    assert data["criteria"][0]["weight"] == "2.00"


def test_member_ballots_are_named_by_e_mail_in_the_fingerprint(organiser):
    jury = JuryFactory(
        programme__organiser=organiser,
        method=JuryMethod.MAJORITY_JUDGMENT,
        ballot_scope=BallotScope.MEMBER,
    )
    app = CandidateFactory(programme=jury.programme)
    member = JuryMemberFactory(jury=jury, user__email="alice@example.org")
    ballot = BallotFactory(jury=jury, member=member)
    GradeFactory(ballot=ballot, application=app, value=3)
    before = compute_tally(jury).ballots_fingerprint
    member.user.email = "bob@example.org"
    member.user.save()
    assert compute_tally(jury).ballots_fingerprint != before


def test_votes_on_a_withdrawn_application_stay_in_the_fingerprint_not_the_count(mj):
    jury, apps, partners = mj
    cast(jury, apps, partners)
    before = compute_tally(jury)
    apps[0].state = "withdrawn"
    apps[0].save()
    after = compute_tally(jury)
    assert after.ballots_fingerprint == before.ballots_fingerprint
    assert apps[0].pk not in {r.application_id for r in after.results}


def test_no_ballot_no_candidate(organiser):
    jury = JuryFactory(programme__organiser=organiser, method=JuryMethod.MAJORITY_JUDGMENT)
    result = compute_tally(jury)
    assert result.results == [] and result.ballot_count == 0 and result.quorum_met
    assert json.loads(tally_to_json(result))["results"] == []
