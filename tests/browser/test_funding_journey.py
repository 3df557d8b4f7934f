"""Browser: a visitor contributes (the address appears only for a shipped reward, errors
are shown, the sandbox card pays, the thank-you page shows the new total; a declined card
is said clearly); the organiser's funding pages. axe-core on every page visited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.factories import PASSWORD, MembershipFactory, OrganiserFactory, ProgrammeFactory
from tests.funding.helpers import contribute
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.models import Campaign
from tremplin.funding.enums import ContributionState, MatchRule
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchfundingPot
from tremplin.funding.offline import record_offline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    organiser = OrganiserFactory(slug="mel")
    programme = ProgrammeFactory(
        organiser=organiser, slug="mel-2020", state=ProgrammeState.CAMPAIGNS_LIVE
    )
    campaign = CampaignFactory(programme=programme, slug="atelier-velo", goal="5000.00")
    RewardFactory(campaign=campaign, title="Carte postale", min_amount="20.00", stock=10)
    RewardFactory(campaign=campaign, title="Affiche", min_amount="30.00", requires_shipping=True)
    MatchfundingPot.objects.create(
        programme=programme, funder_name="MEL", budget=Decimal("1000"), rule=MatchRule.RATIO
    )
    manager = MembershipFactory(organiser=organiser).user
    return {"campaign": campaign, "organiser": organiser, "manager": manager}


def _pay(tab, card: str) -> None:
    tab.fill("#id_card_number", card)
    tab.fill("#id_expiry", "12/39")
    tab.fill("#id_cvc", "123")
    tab.click("main form button[type=submit]")


def test_visitor_contributes_with_the_sandbox_card(page, axe, world):  # noqa: F811
    campaign = world["campaign"]
    page.goto(f"/c/{campaign.slug}/contribuer/?canal=affiche-bus")
    address = page.locator("#shipping-address")
    assert address.is_hidden()  # progressive enhancement: no shipped reward chosen
    axe.check(page)
    page.get_by_label("Affiche").check()
    assert address.is_visible()
    page.click(".contribute-form button[type=submit]")  # nothing filled in
    assert page.locator(".error-summary").is_visible()
    assert address.is_visible()
    axe.check(page)

    page.fill("#id_amount", "30,00")
    page.fill("#id_name", "Camille Martin")
    page.fill("#id_email", "camille@example.org")
    page.fill("#id_address", "1 rue de la Gare")
    page.fill("#id_postal_code", "59000")
    page.fill("#id_city", "Lille")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sandbox/pay/**")
    _pay(page, "4242 4242 4242 4242")
    page.wait_for_url("**/merci/", timeout=15_000)
    status = page.locator("#contribution-status")
    status.locator(".stats").wait_for(timeout=15_000)  # confirmed (polled by htmx)
    assert "30" in status.inner_text()
    axe.check(page)
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.CONFIRMED
    assert contribution.channel == "affiche-bus"
    campaign.refresh_from_db()
    assert campaign.raised_amount == Decimal("30.00")
    assert campaign.matched_amount == Decimal("30.00")


def test_declined_card_is_said_clearly_and_nothing_counts(page, axe, world):  # noqa: F811
    campaign = world["campaign"]
    page.goto(f"/c/{campaign.slug}/contribuer/")
    page.get_by_label("Carte postale").check()
    page.fill("#id_amount", "20")
    page.fill("#id_name", "Dominique")
    page.fill("#id_email", "dominique@example.org")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sandbox/pay/**")
    _pay(page, "4000 0000 0000 0002")
    page.locator("a[href*='/paiement/retour/']").first.click()
    page.wait_for_url("**/merci/")
    page.locator("#contribution-status .message-error").wait_for(timeout=15_000)
    axe.check(page)
    assert page.locator(f"a[href*='/c/{campaign.slug}/contribuer/']").count() >= 1
    campaign.refresh_from_db()
    assert campaign.raised_amount == Decimal("0.00")
    reward = campaign.rewards.get(title="Carte postale")
    assert reward.claimed == 0


def _login(tab, user) -> None:
    tab.goto("/comptes/login/")
    tab.fill("input[name=login]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_load_state()


def test_organiser_funding_pages(page, axe, world):  # noqa: F811
    campaign, organiser, manager = world["campaign"], world["organiser"], world["manager"]
    contribute(campaign, "25", name="Alice")
    record_offline(
        campaign,
        OfflineRow(Decimal("12.50"), "Bob", "cash", timezone.localdate()),
        user=manager,
    )
    Campaign.objects.filter(pk=campaign.pk).update(state="succeeded")
    _login(page, manager)
    base = f"/gestion/{organiser.slug}"
    for path in (
        f"{base}/campagnes/{campaign.slug}/contributions/",
        f"{base}/campagnes/{campaign.slug}/releve/",
        f"{base}/campagnes/{campaign.slug}/hors-ligne/",
        f"{base}/campagnes/{campaign.slug}/import/",
        f"{base}/programmes/{campaign.programme.slug}/abondement/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        axe.check(page)
    page.goto(f"{base}/campagnes/{campaign.slug}/hors-ligne/")
    page.click("form.form-card button[type=submit]")  # empty: errors
    assert page.locator(".error-summary").is_visible()
    axe.check(page)
    page.goto(f"{base}/campagnes/{campaign.slug}/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "dons.csv",
                "mimeType": "text/csv",
                "buffer": b"date;montant;nom;mode\n01/01/2001;abc;X;troc\n",
            }
        ],
    )
    page.click("form.form-card button[type=submit]")
    assert page.locator(".error-summary").first.is_visible()
    axe.check(page)
