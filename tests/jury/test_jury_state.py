"""The jury's state (``Jury.state``), derived from its timestamps and its programme's state,
and the one check of its changes against ``JURY_TRANSITIONS``."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from tests.jury.manage_world import close_jury, make_world, open_jury
from tremplin.calls.enums import ProgrammeState
from tremplin.jury import administration
from tremplin.jury.enums import FROZEN_JURY_STATES, JURY_TRANSITIONS, JuryState
from tremplin.jury.errors import JuryError
from tremplin.jury.transitions import can_transition, ensure_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def test_every_state_has_its_transitions_and_the_path_is_linear():
    assert set(JURY_TRANSITIONS) == set(JuryState.values)
    assert JURY_TRANSITIONS[JuryState.DRAFT] == {JuryState.OPEN}
    assert JURY_TRANSITIONS[JuryState.OPEN] == {JuryState.CLOSED}
    assert JURY_TRANSITIONS[JuryState.CLOSED] == {JuryState.PUBLISHED}
    assert JURY_TRANSITIONS[JuryState.PUBLISHED] == set()
    assert {JuryState.CLOSED, JuryState.PUBLISHED} == FROZEN_JURY_STATES


def test_the_state_follows_the_jury_through_its_life(world):
    jury = world.jury
    assert jury.programme.state == ProgrammeState.SCREENING
    assert jury.state == JuryState.DRAFT
    assert can_transition(jury, JuryState.OPEN)
    assert not can_transition(jury, JuryState.CLOSED)
    open_jury(world)
    assert world.jury.state == JuryState.OPEN
    close_jury(world)
    assert world.jury.state == JuryState.CLOSED
    world.jury.published_at = timezone.now()
    assert world.jury.state == JuryState.PUBLISHED
    assert not can_transition(world.jury, JuryState.PUBLISHED)


def test_a_refused_transition_raises_the_given_message(world):
    with pytest.raises(JuryError) as info:
        ensure_transition(world.jury, JuryState.CLOSED, "not now")
    assert info.value.messages == ["not now"]


def test_closing_a_jury_being_set_up_is_refused_through_the_table(world):
    with translation.override("en"), pytest.raises(JuryError) as info:
        administration.close_jury(world.jury, user=world.manager)
    assert info.value.messages == ["Only an open jury can be closed."]
    world.jury.refresh_from_db()
    assert world.jury.closed_at is None
