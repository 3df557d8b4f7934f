from __future__ import annotations

import pytest
from django.test import Client

from tests.campaigns.factories import CampaignFactory
from tests.factories import ProgrammeFactory
from tremplin.calls.enums import ProgrammeState


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the source language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def live_programme(organiser):
    return ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2020", state=ProgrammeState.CAMPAIGNS_LIVE
    )


@pytest.fixture
def campaign(live_programme):
    return CampaignFactory(programme=live_programme, slug="atelier-velo", goal="5000.00")


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_for():
    def login(user) -> Client:
        browser = Client(HTTP_ACCEPT_LANGUAGE="en")
        browser.force_login(user)
        return browser

    return login
