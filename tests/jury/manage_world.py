"""A small world for the organiser-side jury tests (set-up, members, close, tally,
deliberation, publication): our organiser (MEL) with a programme in screening whose call
closed ten days ago, three eligible applications and one ineligible, two partners; a jury
(favourites, one ballot per partner, open window) with one juror; a team of admin,
manager and viewer; another organiser with its admin, partner and programme."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone

from tests import factories
from tests.jury.factories import CandidateFactory, JuryFactory, JuryMemberFactory
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.jury import administration
from tremplin.jury.enums import JuryMethod


def client(user=None, language: str = "en") -> Client:
    """A client reading the site in English by default (stable texts)."""
    c = Client(headers={"accept-language": language})
    if user is not None:
        c.force_login(user)
    return c


def closed_programme(organiser, **kwargs):
    now = timezone.now()
    return factories.ProgrammeFactory(
        organiser=organiser,
        state=kwargs.pop("state", ProgrammeState.SCREENING),
        call_opens_at=now - timedelta(days=40),
        call_closes_at=now - timedelta(days=10),
        **kwargs,
    )


def make_world(organiser, other_organiser, manager, viewer, maker, *, method=JuryMethod.FAVOURITES):
    admin = factories.MembershipFactory(organiser=organiser, role="admin").user
    other_admin = factories.MembershipFactory(organiser=other_organiser, role="admin").user
    programme = closed_programme(organiser, slug="mel-makers-2019", name="MEL Makers 2019")
    other_programme = closed_programme(other_organiser, slug="autre-2019")
    partners = [
        factories.PartnerFactory(organiser=organiser, name="Université de Lille"),
        factories.PartnerFactory(organiser=organiser, name="Lille Makers"),
    ]
    other_partner = factories.PartnerFactory(organiser=other_organiser, name="Autre partenaire")
    candidates = [
        CandidateFactory(programme=programme, title=title)
        for title in ("Vélo-atelier", "Luthier du futur", "Compost de quartier")
    ]
    ineligible = factories.SubmittedApplicationFactory(
        programme=programme,
        title="Projet hors territoire",
        eligibility=Eligibility.INELIGIBLE,
        eligibility_reason="Hors du territoire.",
    )
    now = timezone.now()
    jury = JuryFactory(
        programme=programme,
        method=method,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        laureate_count=2,
    )
    jury.partners.set(partners)
    juror = JuryMemberFactory(jury=jury, partner=partners[0]).user
    return SimpleNamespace(
        organiser=organiser,
        other_organiser=other_organiser,
        programme=programme,
        other_programme=other_programme,
        partners=partners,
        other_partner=other_partner,
        candidates=candidates,
        ineligible=ineligible,
        jury=jury,
        juror=juror,
        admin=admin,
        manager=manager,
        viewer=viewer,
        maker=maker,
        other_admin=other_admin,
    )


def open_jury(world) -> None:
    administration.open_jury(world.jury, user=world.manager)
    world.programme.refresh_from_db()
    world.jury.refresh_from_db()


def close_jury(world) -> None:
    administration.close_jury(world.jury, user=world.manager)
    world.programme.refresh_from_db()
    world.jury.refresh_from_db()
