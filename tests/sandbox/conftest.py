from __future__ import annotations

import pytest

from tests.campaigns.factories import CampaignFactory


@pytest.fixture
def campaign(db):
    return CampaignFactory(goal="5000.00")


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.LANGUAGE_CODE = "en"  # the assertions read the English strings
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"
