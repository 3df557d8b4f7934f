from __future__ import annotations

import pytest

from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.factories import ProgrammeFactory
from tremplin.calls.enums import ProgrammeState


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"


@pytest.fixture
def live_programme(organiser):
    return ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2020", state=ProgrammeState.CAMPAIGNS_LIVE
    )


@pytest.fixture
def campaign(live_programme):
    """A live campaign of the `organiser` fixture: goal 5 000 €, 5 € – 5 000 € per
    contribution, all or nothing."""
    return CampaignFactory(programme=live_programme, slug="atelier-velo", goal="5000.00")


@pytest.fixture
def reward(campaign):
    return RewardFactory(campaign=campaign, title="Carte postale", min_amount="20.00", stock=10)


@pytest.fixture
def shipped_reward(campaign):
    return RewardFactory(
        campaign=campaign,
        title="Affiche",
        min_amount="30.00",
        stock=None,
        requires_shipping=True,
    )


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the source language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_for():
    from django.test import Client

    def login(user) -> Client:
        browser = Client(HTTP_ACCEPT_LANGUAGE="en")
        browser.force_login(user)
        return browser

    return login
