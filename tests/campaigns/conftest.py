from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation

from tests.campaigns.factories import CampaignFactory, ContributionFactory
from tests.factories import (
    ProgrammeFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import User


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _english():
    """Domain messages are checked in English (stable whatever the French catalogue says);
    e-mails are rendered in their recipient's language anyway."""
    with translation.override("en"):
        yield


@pytest.fixture
def live_programme(organiser):
    return ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2019", state=ProgrammeState.CAMPAIGNS_LIVE
    )


@dataclass
class World:
    campaign: Campaign
    maker: User
    other_maker: User
    coach: User
    other_coach: User
    manager: User
    viewer: User
    other_manager: User
    contributor: User

    def people(self) -> dict[str, User | None]:
        return {
            "maker": self.maker,
            "other_maker": self.other_maker,
            "coach": self.coach,
            "other_coach": self.other_coach,
            "manager": self.manager,
            "viewer": self.viewer,
            "other_manager": self.other_manager,
            "contributor": self.contributor,
            "anonymous": None,
        }


@pytest.fixture
def world(organiser, manager, viewer, other_manager, live_programme) -> World:
    """A live campaign of the `organiser` fixture, with every kind of person around it."""
    coach = UserFactory(is_coach=True, full_name="Claire Coach", language="en")
    other_coach = UserFactory(is_coach=True)
    maker = UserFactory(full_name="Marie Maker")
    campaign = CampaignFactory(
        programme=live_programme,
        application=SubmittedApplicationFactory(programme=live_programme, maker=maker),
        slug="atelier-velo",
        title="Atelier vélo",
        coach=coach,
    )
    other_campaign = CampaignFactory(programme=live_programme)
    contributor = UserFactory()
    ContributionFactory(campaign=campaign, user=contributor, email=contributor.email)
    return World(
        campaign=campaign,
        maker=maker,
        other_maker=other_campaign.maker,
        coach=coach,
        other_coach=other_coach,
        manager=manager,
        viewer=viewer,
        other_manager=other_manager,
        contributor=contributor,
    )


@pytest.fixture
def coach(db):
    return UserFactory(is_coach=True)


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    """The sandbox provider, webhooks delivered in process (as in the funding tests)."""
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"


def english_client(user=None) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.fixture
def client():
    return english_client()


@pytest.fixture
def client_for():
    return english_client
