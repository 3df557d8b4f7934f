from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from tests.campaigns.factories import CampaignFactory
from tests.factories import (
    PartnerFactory,
    ProgrammeFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tests.kit.helpers import image_file
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.models import CampaignImage


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://tremplin.example"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def kit_programme(organiser):
    programme = ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2019",
        name="MEL Makers 2019",
        tagline="Les makers de la métropole",
        state=ProgrammeState.CAMPAIGNS_LIVE,
        primary_colour="#0B5FA5",
        secondary_colour="#E4572E",
    )
    programme.logo.save("logo.png", ContentFile(image_file(600, 300, fmt="PNG")), save=True)
    for index in range(3):
        partner = PartnerFactory(organiser=organiser, name=f"Partenaire {index}")
        partner.logo.save(f"p{index}.png", ContentFile(image_file(400, 200, fmt="PNG")), save=True)
        programme.partners.add(partner)
    return programme


def add_photo(campaign, width: int, height: int) -> CampaignImage:
    image = CampaignImage(campaign=campaign, alt_text="L'atelier et ses vélos", position=1)
    image.image.save("photo.jpg", ContentFile(image_file(width, height)), save=False)
    image.save()
    return image


@pytest.fixture
def maker(db):
    return UserFactory(full_name="Marie Maker")


@pytest.fixture
def campaign(kit_programme, maker):
    campaign = CampaignFactory(
        programme=kit_programme,
        application=SubmittedApplicationFactory(programme=kit_programme, maker=maker),
        slug="atelier-velo",
        title="Atelier vélo solidaire",
        pitch="Un atelier de réparation de vélos ouvert à tous, au cœur de Roubaix.",
    )
    add_photo(campaign, 3000, 2000)
    return campaign


# The browser fixtures (Playwright, axe-core, the CSP watch) for the kit's browser tests
# (test_relay_browser.py, test_widget_browser.py).
from tests.browser.conftest import (  # noqa: E402, F401
    CSP_VIOLATIONS,
    _no_csp_violation,
    axe,
    browser,
    context,
    page,
)
