from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.factories import ProgrammeFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.donors.models import ReceiptSettings
from tremplin.donors.receipts import beneficiary_key


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"
    settings.RECEIPT_REWARD_TOLERANCE_PERCENT = 25
    settings.RECEIPT_REWARD_CEILING_EUROS = 73


@pytest.fixture
def live_programme(organiser):
    return ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2020", state=ProgrammeState.CAMPAIGNS_LIVE
    )


@pytest.fixture
def campaign(live_programme):
    """A live all-or-nothing campaign of the `organiser` fixture, goal 100 €."""
    return CampaignFactory(programme=live_programme, slug="atelier-velo", goal="100.00")


def make_settings(campaign, **overrides) -> ReceiptSettings:
    values = {
        "entitled": True,
        "legal_name": "Association Les Ateliers du Vélo",
        "identifier": "W595012345",
        "address": "12 rue de la Clef",
        "postal_code": "59000",
        "city": "Lille",
        "purpose": "Promouvoir la réparation des vélos et l'autonomie de tous.",
        "article_200": True,
        "article_238_bis": True,
        "signatory": "Marie Dupont, présidente",
        **overrides,
    }
    values["beneficiary_key"] = beneficiary_key(values["identifier"], values["legal_name"])
    return ReceiptSettings.objects.create(campaign=campaign, **values)


@pytest.fixture
def entitled(campaign):
    return make_settings(campaign)


ADDRESS = {"address": "3 place du Théâtre", "postal_code": "59800", "city": "Lille"}


def close_now(campaign) -> None:
    """Move the deadline to the past and let the clock close the campaign."""
    from tremplin.campaigns.clock import close

    campaign.__class__.objects.filter(pk=campaign.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    assert close(campaign.pk)
    campaign.refresh_from_db()


def give(campaign, amount="25", *, address=True, **overrides):
    """A confirmed online gift (paid through the real services); the donor's postal
    address filled in as they would in their space (the checkout keeps an address only
    for a reward sent by post)."""
    from tests.funding.helpers import contribute
    from tremplin.funding.models import Contribution

    contribution = contribute(campaign, amount, **overrides)
    if address:
        Contribution.objects.filter(pk=contribution.pk).update(country="FR", **ADDRESS)
        contribution.refresh_from_db()
    return contribution


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
