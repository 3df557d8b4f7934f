"""The jury in the demo: MEL Makers 2019 went through the whole jury (the MEL and its nine
partners, ten ballots of ten favourites, closed, ten laureates published, with its
history); Douaisis Fabrique 2020 has its jury open now, and its demo juror an empty
ballot."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.jury.manage_world import client
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.calls.models import Programme
from tremplin.core.audit import entries_for
from tremplin.core.models import AuditLog, User
from tremplin.demo import data
from tremplin.demo.load import DEMO_LOGINS, load_demo
from tremplin.jury import publication, voting
from tremplin.jury.enums import BallotState, JuryMethod, Outcome
from tremplin.jury.models import Ballot, Decision, Jury, JuryMember, Pick
from tremplin.jury.tally import compute_tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_mel_makers_2019_went_through_the_whole_jury(demo):
    programme = Programme.objects.get(slug="mel-makers-2019")
    # results published, then the campaigns ran and closed (demo/campaigns.py)
    assert programme.state == ProgrammeState.CAMPAIGNS_CLOSED
    jury = Jury.objects.get(programme=programme)
    assert jury.method == JuryMethod.FAVOURITES
    assert jury.max_picks == 10
    assert jury.closed_at is not None and jury.published_at is not None
    partners = set(jury.partners.values_list("name", flat=True))
    assert partners == {p.name for p in data.MEL_PARTNERS} | {"Métropole Européenne de Lille"}

    ballots = Ballot.objects.filter(jury=jury)
    assert ballots.count() == 10
    assert set(ballots.values_list("state", flat=True)) == {BallotState.SUBMITTED}
    assert ballots.values("partner").distinct().count() == 10
    for ballot in ballots:
        assert Pick.objects.filter(ballot=ballot).count() == 10
        assert jury.opens_at <= ballot.submitted_at < jury.closes_at
    assert JuryMember.objects.filter(jury=jury).count() == 10

    result = compute_tally(jury)
    assert result.ballot_count == 10 and result.quorum_met
    top_ten = {r.application_id for r in result.results[:10]}
    laureates = set(publication.laureates(programme).values_list("pk", flat=True))
    assert laureates == top_ten
    assert Decision.objects.filter(jury=jury, outcome=Outcome.WAITING_LIST).count() == 2
    assert Decision.objects.filter(jury=jury).count() == jury.candidates().count() == 28
    # Only eligible applications were judged.
    picked = Pick.objects.filter(ballot__jury=jury).values_list(
        "application__eligibility", flat=True
    )
    assert set(picked) == {Eligibility.ELIGIBLE}


def test_its_history_is_in_the_audit_log(demo):
    programme = Programme.objects.get(slug="mel-makers-2019")
    jury = Jury.objects.get(programme=programme)
    actions = list(
        entries_for(programme)
        .filter(action__startswith="tremplin.jury.")
        .order_by("created_at")
        .values_list("action", flat=True)
    )
    assert actions == ["tremplin.jury.opened", "tremplin.jury.closed", "tremplin.jury.published"]
    closed = AuditLog.objects.get(action="tremplin.jury.closed", object_id=str(programme.pk))
    assert closed.data["fingerprint"] == compute_tally(jury).ballots_fingerprint
    assert closed.created_at.year == 2019
    assert (
        AuditLog.objects.filter(
            action="tremplin.ballot.submitted", organiser=programme.organiser
        ).count()
        == 10
    )
    assert entries_for(jury).filter(action="tremplin.jury.member_invited").count() == 10


def test_the_laureates_page_of_2019_is_public(demo):
    response = client().get(reverse("jury_public:laureates", args=["mel-makers-2019"]))
    assert response.status_code == 200
    assert len(response.context["cards"]) == 10


def test_the_organiser_sees_the_2019_tally_and_deliberation(demo):
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    c = client(manager)
    for name in ("setup", "members", "participation", "tally", "deliberation"):
        url = reverse(f"jury_manage:{name}", args=["mel", "mel-makers-2019"])
        assert c.get(url).status_code == 200, name


def test_douaisis_has_a_jury_open_with_an_empty_ballot(demo):
    programme = Programme.objects.get(slug=data.DOUAISIS_PROGRAMME["slug"])
    assert programme.state == ProgrammeState.JURY
    assert programme.call_closes_at < timezone.now()
    assert not programme.is_accepting_applications()
    applications = programme.applications.all()
    assert applications.count() >= 2
    for application in applications:
        assert application.eligibility == Eligibility.ELIGIBLE
        assert programme.call_opens_at <= application.submitted_at < programme.call_closes_at
        assert application.screened_at > programme.call_closes_at
    jury = Jury.objects.get(programme=programme)
    assert jury.method == JuryMethod.MAJORITY_JUDGMENT
    assert jury.is_accepting_votes()

    juror = User.objects.get(email=data.DOUAISIS_PARTNERS[0].member.email)
    assert authenticate(email=juror.email, password=data.DEMO_PASSWORD) == juror
    assert JuryMember.objects.filter(jury=jury, user=juror).exists()
    assert not Ballot.objects.filter(jury=jury).exists()
    assert juror.email in {login.email for login in DEMO_LOGINS}

    # The demo juror can vote now.
    ballot = voting.ballot_for(jury, juror)
    for application in applications:
        voting.set_grade(ballot, application, 2, user=juror)
    voting.submit_ballot(ballot, user=juror)
    assert client(juror).get(reverse("jury:ballot", args=[programme.slug])).status_code == 200


def test_demo_command_prints_the_juror_login():
    from io import StringIO

    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert data.DOUAISIS_PARTNERS[0].member.email in out.getvalue()
