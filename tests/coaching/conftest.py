from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.calls.helpers import english_client
from tests.campaigns.factories import CampaignFactory
from tests.factories import ProgrammeFactory, SubmittedApplicationFactory, UserFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.coaching.models import Workshop
from tremplin.core.models import User


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return english_client()


@pytest.fixture
def client_for():
    return english_client


def make_workshop(programme, **fields) -> Workshop:
    values = {
        "title": "Réussir sa collecte",
        "description": "Les bases d'une campagne de financement participatif.",
        "place": "La Fabrique",
        "address": "12 rue du Molinel, Lille",
        "starts_at": timezone.now() + timedelta(days=3),
        "capacity": 10,
        "audience": "public",
    }
    values.update(fields)
    return Workshop.objects.create(programme=programme, **values)


@dataclass
class World:
    programme: object
    campaign: Campaign
    other_campaign: Campaign
    maker: User
    other_maker: User
    coach: User
    other_coach: User
    manager: User
    viewer: User
    other_manager: User

    def people(self) -> dict:
        return {
            "maker": self.maker,
            "other_maker": self.other_maker,
            "coach": self.coach,
            "other_coach": self.other_coach,
            "manager": self.manager,
            "viewer": self.viewer,
            "other_manager": self.other_manager,
            "anonymous": None,
        }


@pytest.fixture
def world(organiser, manager, viewer, other_manager) -> World:
    """A draft campaign (the maker prepares it with the coach) and everyone around it."""
    programme = ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2019", state=ProgrammeState.CAMPAIGNS_LIVE
    )
    coach = UserFactory(is_coach=True, full_name="Claire Coach", language="en")
    other_coach = UserFactory(is_coach=True, full_name="Otto Coach")
    maker = UserFactory(full_name="Marie Maker", language="en")
    campaign = CampaignFactory(
        programme=programme,
        application=SubmittedApplicationFactory(programme=programme, maker=maker),
        slug="atelier-velo",
        title="Atelier vélo",
        coach=coach,
        state=CampaignState.DRAFT,
    )
    other_campaign = CampaignFactory(programme=programme, coach=other_coach)
    return World(
        programme=programme,
        campaign=campaign,
        other_campaign=other_campaign,
        maker=maker,
        other_maker=other_campaign.maker,
        coach=coach,
        other_coach=other_coach,
        manager=manager,
        viewer=viewer,
        other_manager=other_manager,
    )


@pytest.fixture
def public_programme(organiser):
    return ProgrammeFactory(organiser=organiser, slug="mel-makers-2020")
