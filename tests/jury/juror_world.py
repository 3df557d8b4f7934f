"""A small jury for the voting and juror-space tests: ``build_world(organiser,
other_organiser)`` (each test module wraps it in its own ``world`` fixture).

Our organiser (MEL) runs a programme in the JURY state with an open favourites jury (K=3):
partner A has two members (alice, bob) who share one ballot, partner B one member (carol).
Four candidates (submitted, eligible), plus an ineligible, a withdrawn and a draft
application. Another organiser runs its own open jury with its own juror (dave) and
candidate."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from tests import factories
from tests.jury.factories import CandidateFactory, JuryFactory, JuryMemberFactory
from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"
)


def english_client(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def build_world(organiser, other_organiser, **jury_options):
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2019",
        state=ProgrammeState.JURY,
        name="MEL Makers 2019",
    )
    options = {"max_picks": 3, **jury_options}
    jury = JuryFactory(programme=programme, **options)
    partner_a = factories.PartnerFactory(organiser=organiser, name="Lille Makers")
    partner_b = factories.PartnerFactory(organiser=organiser, name="Techshop Lille")
    alice = JuryMemberFactory(jury=jury, partner=partner_a, user__language="en")
    bob = JuryMemberFactory(jury=jury, partner=partner_a)
    carol = JuryMemberFactory(jury=jury, partner=partner_b)
    candidates = [CandidateFactory(programme=programme, title=f"Projet {i}") for i in range(1, 5)]
    ineligible = factories.SubmittedApplicationFactory(
        programme=programme, eligibility=Eligibility.INELIGIBLE, title="Inéligible"
    )
    withdrawn = factories.ApplicationFactory(
        programme=programme,
        eligibility=Eligibility.ELIGIBLE,
        state=ApplicationState.WITHDRAWN,
        title="Retiré",
    )
    draft = factories.ApplicationFactory(programme=programme, title="Brouillon")
    other_programme = factories.ProgrammeFactory(
        organiser=other_organiser, slug="douaisis-2019", state=ProgrammeState.JURY
    )
    other_jury = JuryFactory(programme=other_programme, max_picks=3)
    dave = JuryMemberFactory(
        jury=other_jury, partner=factories.PartnerFactory(organiser=other_organiser)
    )
    other_candidate = CandidateFactory(programme=other_programme, title="Ailleurs")
    return SimpleNamespace(
        programme=programme,
        jury=jury,
        partner_a=partner_a,
        partner_b=partner_b,
        alice=alice.user,
        bob=bob.user,
        carol=carol.user,
        alice_seat=alice,
        carol_seat=carol,
        candidates=candidates,
        ineligible=ineligible,
        withdrawn=withdrawn,
        draft=draft,
        other_programme=other_programme,
        other_jury=other_jury,
        dave=dave.user,
        other_candidate=other_candidate,
    )
