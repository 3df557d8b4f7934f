"""Browser: a contributor opens their space from the link of their e-mail, types the code
they were sent, gives their postal address, finds their tax receipt and downloads it.
axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.campaigns.factories import CampaignFactory
from tests.donors.conftest import close_now, make_settings
from tests.factories import PASSWORD, MembershipFactory, OrganiserFactory, ProgrammeFactory
from tests.funding.helpers import contribute
from tremplin.calls.enums import ProgrammeState
from tremplin.donors.models import Receipt

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
    campaign = CampaignFactory(programme=programme, slug="atelier-velo", goal="50.00")
    make_settings(campaign)
    mail.outbox.clear()
    contribute(campaign, "80", email="alice@example.org", name="Alice Martin")
    close_now(campaign)
    return campaign


def test_contributor_finds_their_receipt(page, axe, world):
    confirmation = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    link = re.search(r"https?://\S+/contributeurs/lien/\S+/", confirmation.body).group(0)
    page.goto(link)
    axe.check(page)
    mail.outbox.clear()
    page.get_by_role("button", name="M'envoyer un code").click()
    page.wait_for_url("**/contributeurs/code/")
    axe.check(page)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    page.get_by_label("Le code que nous vous avons envoyé").fill("000")
    page.get_by_role("button", name="Ouvrir mon espace").click()
    assert page.locator(".error-summary").is_visible()
    axe.check(page)
    page.get_by_label("Le code que nous vous avons envoyé").fill(code)
    page.get_by_role("button", name="Ouvrir mon espace").click()
    page.wait_for_url("**/contributeurs/espace/")
    assert page.get_by_text("Un reçu fiscal attend votre adresse postale").is_visible()
    axe.check(page)
    page.locator("#id_address").fill("3 place du Théâtre")
    page.locator("#id_postal_code").fill("59800")
    page.locator("#id_city").fill("Lille")
    page.get_by_role("button", name="Enregistrer mon adresse").click()
    page.wait_for_url("**/contributeurs/espace/")
    receipt = Receipt.objects.get()
    link = page.get_by_role(
        "link", name=re.compile(f"Télécharger le reçu n° {receipt.order_number}")
    )
    assert link.is_visible()
    axe.check(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"recu-fiscal-{receipt.order_number}.pdf"


def _login(tab, user) -> None:
    tab.goto("/comptes/login/")
    tab.fill("input[name=login]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("main form button[type=submit]")
    tab.wait_for_url("**/tableau-de-bord/")


def test_organiser_sets_the_beneficiary_and_reads_the_summary(page, axe, world):
    manager = MembershipFactory(organiser=world.programme.organiser).user
    _login(page, manager)
    page.goto(f"/gestion/mel/campagnes/{world.slug}/recus-fiscaux/")
    axe.check(page)
    page.locator("#id_legal_name").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.locator(".error-summary").is_visible()
    axe.check(page)
    page.locator("#id_legal_name").fill("Association Les Ateliers du Vélo")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Les paramètres des reçus fiscaux sont enregistrés.").is_visible()
    page.get_by_role("link", name="Récapitulatif annuel des reçus").click()
    # Alice gave no postal address yet: nothing issued, nothing to declare.
    assert page.get_by_text("Aucun reçu fiscal n'a été émis cette année.").is_visible()
    axe.check(page)
