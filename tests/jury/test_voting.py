"""The voting verbs of jury.voting: ballots, favourites, grades, scores, recusals and
submission; bad input is refused with a clear message and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.jury.factories import CriterionFactory, JuryMemberFactory
from tests.jury.juror_world import build_world
from tremplin.calls.enums import ProgrammeState
from tremplin.core.models import AuditLog
from tremplin.jury import ballots, rules, voting
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.errors import VotingError
from tremplin.jury.models import Ballot, Grade, Jury, Pick, Recusal, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser):
    return build_world(organiser, other_organiser)


def nothing_stored() -> bool:
    return not (
        Pick.objects.exists()
        or Grade.objects.exists()
        or Score.objects.exists()
        or Recusal.objects.exists()
    )


def as_method(world, method, **options):
    Jury.objects.filter(pk=world.jury.pk).update(method=method, **options)
    world.jury.refresh_from_db()
    return world.jury


def refused(code: str, call, *args, **kwargs) -> VotingError:
    with pytest.raises(VotingError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.messages
    assert info.value.messages[0]
    return info.value


# --- ballots -------------------------------------------------------------------------------


def test_partner_members_share_one_ballot(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    assert ballot.member_id is None and ballot.partner_id == world.partner_a.pk
    assert ballot.state == BallotState.DRAFT
    assert voting.ballot_for(world.jury, world.bob).pk == ballot.pk
    assert voting.ballot_for(world.jury, world.carol).pk != ballot.pk
    assert Ballot.objects.count() == 2


def test_member_scope_gives_one_ballot_each(world):
    Jury.objects.filter(pk=world.jury.pk).update(ballot_scope=BallotScope.MEMBER)
    world.jury.refresh_from_db()
    alice = voting.ballot_for(world.jury, world.alice)
    bob = voting.ballot_for(world.jury, world.bob)
    assert alice.pk != bob.pk
    assert alice.member.user == world.alice and bob.member.user == world.bob
    voting.set_pick(alice, world.candidates[0], True, user=world.alice)
    refused("not_yours", voting.set_pick, alice, world.candidates[1], True, user=world.bob)


def test_a_non_juror_has_no_ballot(world, maker, manager):
    for user in (maker, manager, world.dave):
        refused("not_member", voting.ballot_for, world.jury, user)
    assert not Ballot.objects.exists()


# --- favourites ----------------------------------------------------------------------------


def test_pick_and_unpick(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    first, second = world.candidates[:2]
    voting.set_pick(ballot, first, True, user=world.alice)
    voting.set_pick(ballot, first, True, user=world.alice)  # twice: still one
    voting.set_pick(ballot, second, True, user=world.bob)  # a colleague, same ballot
    assert set(Pick.objects.values_list("application_id", flat=True)) == {first.pk, second.pk}
    voting.set_pick(ballot, first, False, user=world.alice)
    assert list(Pick.objects.values_list("application_id", flat=True)) == [second.pk]


def test_more_than_k_picks_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    for application in world.candidates[:3]:
        voting.set_pick(ballot, application, True, user=world.alice)
    error = refused(
        "too_many", voting.set_pick, ballot, world.candidates[3], True, user=world.alice
    )
    assert "3 favourites" in error.messages[0]
    assert Pick.objects.count() == 3
    assert not Pick.objects.filter(application=world.candidates[3]).exists()


@pytest.mark.parametrize("which", ["ineligible", "withdrawn", "draft", "other_candidate"])
def test_a_vote_on_an_application_the_jury_does_not_judge_is_refused(world, which):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused("not_candidate", voting.set_pick, ballot, getattr(world, which), True, user=world.alice)
    assert nothing_stored()


def test_another_partners_juror_cannot_touch_a_ballot(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused("not_yours", voting.set_pick, ballot, world.candidates[0], True, user=world.carol)
    refused("not_yours", voting.submit_ballot, ballot, user=world.carol)
    refused("not_member", voting.set_pick, ballot, world.candidates[0], True, user=world.dave)
    assert nothing_stored()


def test_a_juror_of_another_programme_cannot_vote_here_nor_there(world):
    other_ballot = voting.ballot_for(world.other_jury, world.dave)
    # dave's own ballot on an application of our programme
    refused(
        "not_candidate", voting.set_pick, other_ballot, world.candidates[0], True, user=world.dave
    )
    # alice on dave's ballot
    refused(
        "not_member", voting.set_pick, other_ballot, world.other_candidate, True, user=world.alice
    )
    assert nothing_stored()


def test_a_vote_after_the_close_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    error = refused("closed", voting.set_pick, ballot, world.candidates[0], True, user=world.alice)
    assert "closed" in error.messages[0]
    refused("closed", voting.submit_ballot, ballot, user=world.alice)
    refused("closed", voting.recuse, ballot, world.candidates[0], user=world.alice)
    assert nothing_stored()


def test_a_vote_once_the_jury_is_closed_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(closed_at=timezone.now())
    world.programme.state = ProgrammeState.DELIBERATION
    world.programme.save()
    refused("closed", voting.set_pick, ballot, world.candidates[0], True, user=world.alice)
    assert nothing_stored()


def test_a_vote_before_the_open_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(opens_at=timezone.now() + timedelta(hours=1))
    error = refused(
        "not_open", voting.set_pick, ballot, world.candidates[0], True, user=world.alice
    )
    assert "not opened yet" in error.messages[0]
    world.programme.state = ProgrammeState.SCREENING
    world.programme.save()
    Jury.objects.filter(pk=world.jury.pk).update(opens_at=timezone.now() - timedelta(hours=1))
    refused("not_open", voting.set_pick, ballot, world.candidates[0], True, user=world.alice)
    assert nothing_stored()


def test_a_method_mismatch_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused("wrong_method", voting.set_grade, ballot, world.candidates[0], 1, user=world.alice)
    refused("wrong_method", voting.set_scores, ballot, world.candidates[0], {}, user=world.alice)
    assert nothing_stored()


# --- majority judgment ---------------------------------------------------------------------


def test_grades(world):
    jury = as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    ballot = voting.ballot_for(jury, world.alice)
    app = world.candidates[0]
    voting.set_grade(ballot, app, 0, user=world.alice)
    voting.set_grade(ballot, app, 6, user=world.bob)
    assert list(Grade.objects.values_list("value", flat=True)) == [6]
    voting.set_grade(ballot, app, None, user=world.alice)
    assert not Grade.objects.exists()


@pytest.mark.parametrize("value", [-1, 7, 100, "abc", "2", 2.0, True])
def test_a_grade_outside_the_scale_is_refused(world, value):
    jury = as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    ballot = voting.ballot_for(jury, world.alice)
    error = refused(
        "bad_value", voting.set_grade, ballot, world.candidates[0], value, user=world.alice
    )
    assert "grade" in error.messages[0]
    assert nothing_stored()


# --- criteria grid -------------------------------------------------------------------------


@pytest.fixture
def grid(world):
    jury = as_method(world, JuryMethod.GRID, grid_max_score=10)
    criteria = [CriterionFactory(jury=jury), CriterionFactory(jury=jury)]
    return jury, criteria


def test_scores(world, grid):
    jury, (innovation, impact) = grid
    ballot = voting.ballot_for(jury, world.alice)
    app = world.candidates[0]
    voting.set_scores(ballot, app, {innovation.pk: 7, impact.pk: 0}, user=world.alice)
    voting.set_scores(ballot, app, {innovation.pk: 10}, user=world.bob)
    assert dict(Score.objects.values_list("criterion_id", "value")) == {
        innovation.pk: 10,
        impact.pk: 0,
    }
    voting.set_scores(ballot, app, {impact.pk: None}, user=world.alice)
    assert dict(Score.objects.values_list("criterion_id", "value")) == {innovation.pk: 10}


@pytest.mark.parametrize("value", [11, -1, "5", 5.5, True])
def test_a_score_out_of_range_is_refused_and_nothing_is_stored(world, grid, value):
    jury, (innovation, impact) = grid
    ballot = voting.ballot_for(jury, world.alice)
    error = refused(
        "bad_value",
        voting.set_scores,
        ballot,
        world.candidates[0],
        {innovation.pk: 4, impact.pk: value},
        user=world.alice,
    )
    assert "from 0 to 10" in error.messages[0]
    assert nothing_stored()  # all or nothing: the valid score was not kept either


def test_a_criterion_of_another_jury_is_refused(world, grid):
    jury, (innovation, _impact) = grid
    foreign = CriterionFactory(jury=world.other_jury)
    ballot = voting.ballot_for(jury, world.alice)
    refused(
        "bad_criterion",
        voting.set_scores,
        ballot,
        world.candidates[0],
        {innovation.pk: 3, foreign.pk: 3},
        user=world.alice,
    )
    refused(
        "bad_criterion",
        voting.set_scores,
        ballot,
        world.candidates[0],
        {"abc": 3},
        user=world.alice,
    )
    assert nothing_stored()


# --- recusal -------------------------------------------------------------------------------


def test_recusal_removes_the_votes_and_blocks_new_ones(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    app = world.candidates[0]
    voting.set_pick(ballot, app, True, user=world.alice)
    voting.set_pick(ballot, world.candidates[1], True, user=world.alice)
    voting.recuse(ballot, app, user=world.bob, reason="  Je conseille ce porteur.  ")
    recusal = Recusal.objects.get()
    assert recusal.reason == "Je conseille ce porteur." and recusal.declared_by == world.bob
    assert not Pick.objects.filter(application=app).exists()
    error = refused("recused", voting.set_pick, ballot, app, True, user=world.alice)
    assert "conflict of interest" in error.messages[0]
    voting.recuse(ballot, app, user=world.alice)  # twice: nothing new
    assert Recusal.objects.count() == 1
    # the other partner's ballot is not affected
    carol = voting.ballot_for(world.jury, world.carol)
    voting.set_pick(carol, app, True, user=world.carol)


def test_recusal_removes_grades_and_scores(world):
    jury = as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    ballot = voting.ballot_for(jury, world.alice)
    app = world.candidates[0]
    voting.set_grade(ballot, app, 2, user=world.alice)
    voting.recuse(ballot, app, user=world.alice)
    assert not Grade.objects.exists()
    refused("recused", voting.set_grade, ballot, app, 1, user=world.alice)


def test_recusal_reason_too_long_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused(
        "too_long", voting.recuse, ballot, world.candidates[0], user=world.alice, reason="x" * 501
    )
    assert nothing_stored()


def test_recusal_on_another_programmes_application_is_refused(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused("not_candidate", voting.recuse, ballot, world.other_candidate, user=world.alice)
    assert nothing_stored()


# --- submission ----------------------------------------------------------------------------


def test_submit_favourites_needs_one_pick(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    error = refused("incomplete", voting.submit_ballot, ballot, user=world.alice)
    assert "at least one favourite" in error.messages[0]
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    voting.submit_ballot(ballot, user=world.bob)  # any member of the partner submits
    ballot.refresh_from_db()
    assert ballot.state == BallotState.SUBMITTED
    assert ballot.submitted_by == world.bob and ballot.submitted_at is not None
    first_submission = ballot.submitted_at
    voting.submit_ballot(ballot, user=world.alice)  # again: nothing changes
    ballot.refresh_from_db()
    assert ballot.submitted_by == world.bob and ballot.submitted_at == first_submission


def test_submit_rechecks_k_when_the_organiser_lowered_it(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    for application in world.candidates[:3]:
        voting.set_pick(ballot, application, True, user=world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(max_picks=2)
    error = refused("incomplete", voting.submit_ballot, ballot, user=world.alice)
    assert "at most 2" in error.messages[0]


def test_submit_majority_judgment_needs_every_non_recused_grade(world):
    jury = as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    ballot = voting.ballot_for(jury, world.alice)
    for application in world.candidates[:3]:
        voting.set_grade(ballot, application, 1, user=world.alice)
    error = refused("incomplete", voting.submit_ballot, ballot, user=world.alice)
    assert "1 application has no grade yet" in error.messages[0]
    voting.recuse(ballot, world.candidates[3], user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    assert Ballot.objects.get().state == BallotState.SUBMITTED


def test_submit_grid_needs_every_criterion(world, grid):
    jury, (innovation, impact) = grid
    ballot = voting.ballot_for(jury, world.alice)
    for application in world.candidates:
        voting.set_scores(ballot, application, {innovation.pk: 5}, user=world.alice)
    error = refused("incomplete", voting.submit_ballot, ballot, user=world.alice)
    assert "4 applications are not fully scored" in error.messages[0]
    for application in world.candidates:
        voting.set_scores(ballot, application, {impact.pk: 5}, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    assert Ballot.objects.get().state == BallotState.SUBMITTED


def test_a_submitted_ballot_can_change_but_stays_complete(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    first, second = world.candidates[:2]
    voting.set_pick(ballot, first, True, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    voting.set_pick(ballot, second, True, user=world.alice)
    voting.set_pick(ballot, first, False, user=world.alice)
    error = refused("incomplete", voting.set_pick, ballot, second, False, user=world.alice)
    assert "at least one favourite" in error.messages[0]
    ballot.refresh_from_db()
    assert ballot.state == BallotState.SUBMITTED
    assert list(Pick.objects.values_list("application_id", flat=True)) == [second.pk]


def test_a_submitted_majority_judgment_ballot_keeps_its_grades(world):
    jury = as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    ballot = voting.ballot_for(jury, world.alice)
    for application in world.candidates:
        voting.set_grade(ballot, application, 3, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    voting.set_grade(ballot, world.candidates[0], 0, user=world.alice)  # change: fine
    refused("incomplete", voting.set_grade, ballot, world.candidates[0], None, user=world.alice)
    assert Grade.objects.get(application=world.candidates[0]).value == 0
    assert Ballot.objects.get().state == BallotState.SUBMITTED


def test_a_submitted_grid_ballot_keeps_its_scores(world, grid):
    jury, (innovation, impact) = grid
    ballot = voting.ballot_for(jury, world.alice)
    for application in world.candidates:
        voting.set_scores(ballot, application, {innovation.pk: 5, impact.pk: 5}, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    refused(
        "incomplete",
        voting.set_scores,
        ballot,
        world.candidates[0],
        {innovation.pk: None},
        user=world.alice,
    )
    assert Score.objects.count() == 8


def test_recusing_the_last_favourite_of_a_submitted_ballot_returns_it_to_draft(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    outcome = voting.recuse(ballot, world.candidates[0], user=world.alice)
    assert outcome.back_to_draft
    ballot.refresh_from_db()
    assert ballot.state == BallotState.DRAFT and ballot.submitted_at is None


# --- audit: counts, never content ----------------------------------------------------------


def test_every_change_is_logged_without_saying_which_application(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    app = world.candidates[0]
    voting.set_pick(ballot, app, True, user=world.alice)
    voting.set_pick(ballot, world.candidates[1], True, user=world.alice)
    voting.recuse(ballot, world.candidates[2], user=world.alice, reason="Mon cousin")
    voting.submit_ballot(ballot, user=world.alice)
    entries = list(AuditLog.objects.filter(action__startswith="tremplin.ballot.").order_by("id"))
    assert [e.action for e in entries] == [
        "tremplin.ballot.changed",
        "tremplin.ballot.changed",
        "tremplin.ballot.recused",
        "tremplin.ballot.submitted",
    ]
    assert entries[0].data == {"picks": 1}
    assert entries[1].data == {"picks": 2}
    assert entries[2].data == {"recusals": 1}
    assert entries[3].data == {"picks": 2, "recusals": 1}
    assert all(e.object_id == str(ballot.pk) for e in entries)
    assert all(e.organiser_id == world.programme.organiser_id for e in entries)
    ids = {str(a.pk) for a in world.candidates} | {a.title for a in world.candidates}
    for entry in entries:
        text = repr(entry.data)
        assert not any(value in text for value in ids if len(value) > 1)
        assert "Mon cousin" not in text


def test_refused_changes_are_not_logged(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    refused("not_candidate", voting.set_pick, ballot, world.ineligible, True, user=world.alice)
    assert not AuditLog.objects.filter(action__startswith="tremplin.ballot.").exists()


def test_voting_accepts_the_seat(world):
    seat = JuryMemberFactory(jury=world.jury, partner=world.partner_b, accepted_at=None)
    ballot = voting.ballot_for(world.jury, seat.user)
    voting.set_pick(ballot, world.candidates[0], True, user=seat.user)
    seat.refresh_from_db()
    assert seat.accepted_at is not None


# --- read helpers for the organiser --------------------------------------------------------


def test_participation_says_who_submitted_never_what(world):
    empty_partner = factories.PartnerFactory(organiser=world.programme.organiser, name="Aaa")
    world.jury.partners.add(empty_partner)
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    voting.submit_ballot(ballot, user=world.bob)
    voting.set_pick(
        voting.ballot_for(world.jury, world.carol), world.candidates[1], True, user=world.carol
    )
    rows = ballots.participation(world.jury)
    assert [r.partner_name for r in rows] == ["Aaa", "Lille Makers", "Techshop Lille"]
    aaa, lille, techshop = rows
    assert not aaa.submitted and aaa.members == ()
    assert lille.submitted and lille.submitted_by == str(world.bob)
    assert lille.submitted_at is not None
    assert set(lille.members) == {str(world.alice), str(world.bob)}
    assert not techshop.submitted and techshop.submitted_at is None
    fields = set(ballots.ParticipationRow.__dataclass_fields__)
    assert fields == {
        "partner_id",
        "partner_name",
        "member_id",
        "member_name",
        "members",
        "submitted",
        "submitted_at",
        "submitted_by",
    }
    assert "Projet" not in repr(rows)  # no application title, no content
    assert ballots.submitted_ballot_count(world.jury) == 1


def test_participation_member_scope(world):
    Jury.objects.filter(pk=world.jury.pk).update(ballot_scope=BallotScope.MEMBER)
    world.jury.refresh_from_db()
    ballot = voting.ballot_for(world.jury, world.bob)
    voting.set_pick(ballot, world.candidates[0], True, user=world.bob)
    voting.submit_ballot(ballot, user=world.bob)
    rows = ballots.participation(world.jury)
    assert len(rows) == 3
    by_name = {r.member_name: r for r in rows}
    assert by_name[str(world.bob)].submitted
    assert not by_name[str(world.alice)].submitted
    assert ballots.submitted_ballot_count(world.jury) == 1


def test_can_read_application(world, maker):
    app = world.candidates[0]
    assert rules.can_read_application(world.alice, app)
    assert not rules.can_read_application(world.alice, world.ineligible)
    assert not rules.can_read_application(world.alice, world.other_candidate)
    assert not rules.can_read_application(world.dave, app)
    assert not rules.can_read_application(maker, app)
    world.programme.state = ProgrammeState.SCREENING
    world.programme.save()
    assert not rules.can_read_application(world.alice, app)
