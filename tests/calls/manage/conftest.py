"""A small world for the back-office tests: our organiser (MEL) with a programme whose call
is open, a question, a submitted application, a partner, and a team of admin, manager and
viewer; another organiser with its own admin and programme."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories
from tests.calls.helpers import english_client


@pytest.fixture
def world(organiser, other_organiser, programme, manager, viewer, maker):
    admin = factories.MembershipFactory(organiser=organiser, role="admin").user
    other_admin = factories.MembershipFactory(organiser=other_organiser, role="admin").user
    other_programme = factories.ProgrammeFactory(organiser=other_organiser, slug="autre-2020")
    question = factories.QuestionFactory(programme=programme, label_fr="Pourquoi ?")
    application = factories.SubmittedApplicationFactory(programme=programme)
    partner = factories.PartnerFactory(organiser=organiser, name="Lille Makers")
    other_partner = factories.PartnerFactory(organiser=other_organiser, name="Autre partenaire")
    return SimpleNamespace(
        organiser=organiser,
        other_organiser=other_organiser,
        programme=programme,
        other_programme=other_programme,
        question=question,
        application=application,
        partner=partner,
        other_partner=other_partner,
        admin=admin,
        manager=manager,
        viewer=viewer,
        maker=maker,
        other_admin=other_admin,
        viewer_membership=viewer.organiser_memberships.get(),
    )


@pytest.fixture
def en():
    """``en(user)``: a logged-in client reading the site in English."""
    return english_client
