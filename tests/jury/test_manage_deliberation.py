"""After the close: the tally explained (each method), its exports, the deliberation
(pre-filled with the top N; an override needs a reason, logged), and the N+1 checks of the
participation, tally and deliberation pages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from tests import factories
from tests.jury.factories import (
    BallotFactory,
    CandidateFactory,
    CriterionFactory,
    GradeFactory,
    JuryMemberFactory,
    PickFactory,
    RecusalFactory,
    ScoreFactory,
)
from tests.jury.manage_world import client, close_jury, make_world, open_jury
from tremplin.core.models import AuditLog
from tremplin.jury import errors, publication
from tremplin.jury.enums import JuryMethod, Outcome
from tremplin.jury.models import Decision
from tremplin.jury.tally import compute_tally
from tremplin.jury.tally_json import tally_to_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def url(name: str, w, *args) -> str:
    return reverse(f"jury_manage:{name}", args=["mel", w.programme.slug, *args])


def vote_and_close(w) -> None:
    """Two partner ballots: candidate 0 picked twice, candidate 1 once, candidate 2 never.
    The top 2 (laureate_count) are candidates 0 and 1."""
    open_jury(w)
    first = BallotFactory(jury=w.jury, partner=w.partners[0])
    second = BallotFactory(jury=w.jury, partner=w.partners[1])
    PickFactory(ballot=first, application=w.candidates[0])
    PickFactory(ballot=first, application=w.candidates[1])
    PickFactory(ballot=second, application=w.candidates[0])
    close_jury(w)


def form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


# --- tally ----------------------------------------------------------------------------------


def test_favourites_tally_is_explained(world):
    vote_and_close(world)
    response = client(world.manager).get(url("tally", world))
    assert response.status_code == 200
    body = response.content.decode()
    rows = response.context["rows"]
    assert [r["result"].application_id for r in rows][:2] == [
        world.candidates[0].pk,
        world.candidates[1].pk,
    ]
    assert rows[0]["result"].favourites == 2
    assert "Université de Lille" in body and "Lille Makers" in body
    assert response.context["result"].ballots_fingerprint in body
    assert "Top 2" in body


def test_majority_judgment_tally_shows_grade_profile_and_table(
    organiser, other_organiser, manager, viewer, maker
):
    w = make_world(
        organiser, other_organiser, manager, viewer, maker, method=JuryMethod.MAJORITY_JUDGMENT
    )
    open_jury(w)
    ballots = [BallotFactory(jury=w.jury, partner=p) for p in w.partners]
    for ballot, values in zip(ballots, [(0, 3, 5), (1, 2, 6)], strict=True):
        for application, value in zip(w.candidates, values, strict=True):
            GradeFactory(ballot=ballot, application=application, value=value)
    close_jury(w)
    w.jury.quorum = 5
    w.jury.save()
    response = client(manager).get(url("tally", w))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg class="merit-bar"' in body
    assert 'role="img"' in body and "Merit profile: Excellent: 1, Very good: 1" in body
    assert "Merit profiles (number of ballots per grade)" in body  # the data table
    top = response.context["rows"][0]
    assert top["grade"] == "Very good"  # the lower (worse) median of Excellent, Very good
    assert "The quorum is not reached" in body


def test_grid_tally_shows_averages_per_criterion(
    organiser, other_organiser, manager, viewer, maker
):
    w = make_world(organiser, other_organiser, manager, viewer, maker, method=JuryMethod.GRID)
    impact = CriterionFactory(jury=w.jury, label_en="Impact", weight=2)
    feasibility = CriterionFactory(jury=w.jury, label_en="Feasibility", weight=1)
    open_jury(w)
    ballot = BallotFactory(jury=w.jury, partner=w.partners[0])
    for i, application in enumerate(w.candidates):
        ScoreFactory(ballot=ballot, application=application, criterion=impact, value=8 - i)
        ScoreFactory(ballot=ballot, application=application, criterion=feasibility, value=5)
    close_jury(w)
    response = client(manager).get(url("tally", w))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Impact" in body and "Feasibility" in body
    first = response.context["rows"][0]
    assert [avg for _c, avg in first["criteria"]] == [
        first["result"].criterion_averages[impact.pk],
        first["result"].criterion_averages[feasibility.pk],
    ]


def test_recusals_and_ties_are_shown(world):
    open_jury(world)
    first = BallotFactory(jury=world.jury, partner=world.partners[0])
    PickFactory(ballot=first, application=world.candidates[0])
    second = BallotFactory(jury=world.jury, partner=world.partners[1])
    PickFactory(ballot=second, application=world.candidates[1])
    RecusalFactory(ballot=second, application=world.candidates[2])
    close_jury(world)
    body = client(world.manager).get(url("tally", world)).content.decode()
    assert "1 recusal" in body
    assert "Tie — order decided by:" in body


def test_exports_match_the_tally(world):
    vote_and_close(world)
    c = client(world.manager)
    result = compute_tally(world.jury)
    response = c.get(url("export", world, "tally", "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.decode() == tally_to_json(result)
    response = c.get(url("export", world, "tally", "csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(world.candidates)
    assert rows[1][2] == world.candidates[0].title
    assert rows[1][-1] == result.ballots_fingerprint
    response = c.get(url("export", world, "participation", "csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    data = json.loads(c.get(url("export", world, "participation", "json")).content)
    assert {row["partner"] for row in data} == {"Université de Lille", "Lille Makers"}
    assert AuditLog.objects.filter(action="tremplin.jury.exported").count() == 4


def test_participation_never_tells_what(world):
    open_jury(world)
    ballot = BallotFactory(jury=world.jury, partner=world.partners[0])
    PickFactory(ballot=ballot, application=world.candidates[2])
    world.jury.quorum = 2
    world.jury.save()
    c = client(world.manager)
    body = c.get(url("participation", world)).content.decode()
    assert "1</strong> / 2" in body
    assert "The quorum is not reached" in body
    assert world.candidates[2].title not in body
    csv_body = c.get(url("export", world, "participation", "csv")).content.decode("utf-8-sig")
    assert world.candidates[2].title not in csv_body


# --- deliberation ---------------------------------------------------------------------------


def test_deliberation_is_prefilled_with_the_top_n(world):
    vote_and_close(world)
    response = client(world.manager).get(url("deliberation", world))
    assert response.status_code == 200
    data = form_data(response)
    c0, c1, c2 = world.candidates
    assert data[f"outcome_{c0.pk}"] == Outcome.LAUREATE
    assert data[f"outcome_{c1.pk}"] == Outcome.LAUREATE
    assert data[f"outcome_{c2.pk}"] == Outcome.NOT_SELECTED
    assert world.ineligible.title not in response.content.decode()


def test_following_the_tally_needs_no_reason(world):
    vote_and_close(world)
    c = client(world.manager)
    data = form_data(c.get(url("deliberation", world)))
    data[f"feedback_{world.candidates[2].pk}"] = "Très beau projet, revenez l'an prochain."
    assert c.post(url("deliberation", world), data).status_code == 302
    decisions = {d.application_id: d for d in Decision.objects.filter(jury=world.jury)}
    assert decisions[world.candidates[0].pk].outcome == Outcome.LAUREATE
    assert decisions[world.candidates[2].pk].feedback.startswith("Très beau projet")
    assert not AuditLog.objects.filter(action="tremplin.jury.override").exists()
    assert AuditLog.objects.filter(action="tremplin.jury.decisions_saved").count() == 1


def test_an_override_needs_a_reason_and_is_logged(world):
    vote_and_close(world)
    c = client(world.manager)
    c0, c1, c2 = world.candidates
    data = form_data(c.get(url("deliberation", world)))
    data[f"outcome_{c1.pk}"] = Outcome.WAITING_LIST
    data[f"rank_{c1.pk}"] = "1"
    data[f"outcome_{c2.pk}"] = Outcome.LAUREATE
    response = c.post(url("deliberation", world), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert f"reason_{c1.pk}" in errors and f"reason_{c2.pk}" in errors
    assert not Decision.objects.exists()

    data[f"reason_{c1.pk}"] = "Le projet a déjà trouvé un financement."
    data[f"reason_{c2.pk}"] = "Projet unique sur son territoire."
    assert c.post(url("deliberation", world), data).status_code == 302
    overrides = AuditLog.objects.filter(action="tremplin.jury.override")
    assert overrides.count() == 2
    assert {o.data["reason"] for o in overrides} == {
        "Le projet a déjà trouvé un financement.",
        "Projet unique sur son territoire.",
    }
    decision = Decision.objects.get(application=c1)
    assert decision.outcome == Outcome.WAITING_LIST
    assert decision.waiting_rank == 1
    # Saving the same decisions again logs no new override.
    assert c.post(url("deliberation", world), data).status_code == 302
    assert AuditLog.objects.filter(action="tremplin.jury.override").count() == 2


BAD_DECISIONS = {
    "waiting list without rank": ({"outcome": Outcome.WAITING_LIST, "rank": ""}, "rank"),
    "rank zero": ({"outcome": Outcome.WAITING_LIST, "rank": "0"}, "rank"),
    "rank not a number": ({"outcome": Outcome.WAITING_LIST, "rank": "premier"}, "rank"),
    "forged outcome": ({"outcome": "winner"}, "outcome"),
    "empty outcome": ({"outcome": ""}, "outcome"),
    "feedback too long": ({"feedback": "x" * 3001}, "feedback"),
    "reason too long": ({"outcome": Outcome.LAUREATE, "reason": "x" * 2001}, "reason"),
    "override without reason": ({"outcome": Outcome.LAUREATE, "reason": "   "}, "reason"),
}


@pytest.mark.parametrize("case", BAD_DECISIONS, ids=str)
def test_bad_decisions_are_refused(world, case):
    vote_and_close(world)
    changes, field = BAD_DECISIONS[case]
    target = world.candidates[2]
    c = client(world.manager)
    data = form_data(c.get(url("deliberation", world)))
    for key, value in changes.items():
        data[f"{key}_{target.pk}"] = value
    response = c.post(url("deliberation", world), data)
    assert response.status_code == 400
    assert f"{field}_{target.pk}" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_two_applications_cannot_share_a_waiting_rank(world):
    vote_and_close(world)
    c = client(world.manager)
    data = form_data(c.get(url("deliberation", world)))
    for application in world.candidates[1:]:
        data[f"outcome_{application.pk}"] = Outcome.WAITING_LIST
        data[f"rank_{application.pk}"] = "1"
        data[f"reason_{application.pk}"] = "Raison."
    response = c.post(url("deliberation", world), data)
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_feedback_with_html_is_shown_escaped(world):
    vote_and_close(world)
    c = client(world.manager)
    data = form_data(c.get(url("deliberation", world)))
    data[f"feedback_{world.candidates[2].pk}"] = "<script>alert(1)</script>" + "x" * 3000
    body = c.post(url("deliberation", world), data).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_domain_refuses_decisions_on_other_applications(world):
    vote_and_close(world)
    stranger = CandidateFactory()
    with pytest.raises(errors.JuryError):
        publication.save_decisions(
            world.jury,
            [publication.DecisionData(stranger.pk, Outcome.LAUREATE, override_reason="Non")],
            user=world.manager,
        )
    with pytest.raises(errors.JuryError):
        publication.save_decisions(
            world.jury,
            [publication.DecisionData(world.ineligible.pk, Outcome.LAUREATE, override_reason="x")],
            user=world.manager,
        )


def test_decisions_only_during_the_deliberation(world):
    open_jury(world)
    with pytest.raises(errors.JuryError):
        publication.save_decisions(
            world.jury,
            [publication.DecisionData(world.candidates[0].pk, Outcome.LAUREATE)],
            user=world.manager,
        )


# --- N+1 ------------------------------------------------------------------------------------


@pytest.fixture(params=[2, 20])
def big_world(request, organiser, other_organiser, manager, viewer, maker):
    """A majority-judgment jury with ``n`` partners each with a member and a submitted
    ballot grading ``n`` candidates."""
    n = request.param
    w = make_world(
        organiser, other_organiser, manager, viewer, maker, method=JuryMethod.MAJORITY_JUDGMENT
    )
    for extra in w.candidates[n:]:
        extra.eligibility = "ineligible"
        extra.save()
    candidates = w.candidates[:n] + [
        CandidateFactory(programme=w.programme) for _ in range(n - len(w.candidates))
    ]
    partners = w.partners + [
        factories.PartnerFactory(organiser=organiser) for _ in range(n - len(w.partners))
    ]
    w.jury.partners.set(partners)
    for partner in partners[1:]:
        JuryMemberFactory(jury=w.jury, partner=partner)
    open_jury(w)
    for i, partner in enumerate(partners):
        ballot = BallotFactory(jury=w.jury, partner=partner)
        for j, application in enumerate(candidates):
            GradeFactory(ballot=ballot, application=application, value=(i + j) % 7)
    close_jury(w)
    w.n = n
    return w


@pytest.mark.parametrize("page", ["participation", "tally", "deliberation"])
def test_pages_queries_do_not_grow_with_the_jury(big_world, page, django_assert_max_num_queries):
    c = client(big_world.manager)
    with django_assert_max_num_queries(26):
        response = c.get(url(page, big_world))
    assert response.status_code == 200
    if page != "participation":
        assert len(response.context["rows"]) == big_world.n
