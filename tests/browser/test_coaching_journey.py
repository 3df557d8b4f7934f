"""Coaching in a browser: a coach prepares a maker from the readiness checklist to the
approval (the maker fills the first circle and ticks the manual items, the submission is
refused until the coach confirms them, they talk in the thread, the coach approves), and
a visitor registers for a public workshop and cancels. axe-core runs on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.world import draft_campaign
from tests.campaigns.factories import RewardFactory
from tests.coaching.conftest import make_workshop
from tremplin.campaigns.enums import CampaignState
from tremplin.coaching import checklist
from tremplin.coaching.models import FirstCircleContact, Message, WorkshopRegistration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    manager, coach, campaign = draft_campaign(video_transcript="Bonjour, voici notre atelier vélo.")
    programme = campaign.programme
    RewardFactory.create_batch(3, campaign=campaign)
    # The organiser adopted the default checklist; 19 of the 20 people are listed already.
    rows = [
        {
            "key": item.key,
            "label_fr": item.label_fr,
            "label_en": item.label_en,
            "auto": item.auto,
            "threshold": item.threshold,
            "required": item.required,
        }
        for item in checklist.default_items(programme)
    ]
    checklist.save_template(programme, user=manager, rows=rows)
    FirstCircleContact.objects.bulk_create(
        FirstCircleContact(campaign=campaign, name=f"Ami {i}") for i in range(19)
    )
    return coach, campaign


def test_a_coach_prepares_a_maker_from_checklist_to_approval(browser, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    coach, campaign = _world()
    space = reverse("coaching:campaign", args=[campaign.slug])
    backstage = reverse("campaigns:backstage", args=[campaign.slug])

    maker_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = log_in(maker_context, campaign.maker)
    page.goto(backstage)
    axe.check(page)
    page.locator(f"a[href='{space}']").first.click()
    page.wait_for_url("**" + space)
    axe.check(page)
    # The twentieth person of the first circle, then the two manual items.
    page.fill("[name=name]", "Jeanne Voisine")
    page.fill("[name=relation]", "voisine")
    page.locator("form:has(input[name=action][value=contact_add]) button").click()
    page.wait_for_url("**" + space + "#first-circle")
    for key in ("plan", "day-one"):
        page.locator(
            f"form:has(input[name=item][value={key}]):has(input[value=tick]) button"
        ).click()
        page.wait_for_url("**" + space + "#checklist")
    axe.check(page)
    # Not yet: the coach has to confirm; the maker sees why.
    page.goto(backstage)
    assert page.get_by_text("en attente de la confirmation du coach").count() >= 1
    page.locator("form:has(input[name=action][value=submit]) button").click()
    page.wait_for_load_state()
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    axe.check(page)
    page.goto(space)
    page.fill("[name=body]", "Pouvez-vous confirmer mon **plan de lancement** ?")
    page.locator("form:has(input[name=action][value=message]) button").click()
    page.wait_for_url("**" + space + "#thread")

    # The coach: the board, the space, the confirmations, an answer.
    coach_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = log_in(coach_context, coach)
    page.locator(f"a[href='{reverse('coaching:board')}']").first.click()
    page.wait_for_url("**" + reverse("coaching:board"))
    axe.check(page)
    assert page.get_by_text("Répondre au message du porteur de projet.").count() == 1
    page.locator(f"a[href='{space}']").first.click()
    page.wait_for_url("**" + space)
    axe.check(page)
    for key in ("plan", "day-one"):
        page.locator(
            f"form:has(input[name=item][value={key}]):has(input[value=confirm]) button"
        ).click()
        page.wait_for_url("**" + space + "#checklist")
    page.fill("[name=body]", "C'est confirmé, vous pouvez soumettre.")
    page.locator("form:has(input[name=action][value=message]) button").click()
    page.wait_for_url("**" + space + "#thread")
    page.fill("[name=note]", "Très motivée.")
    page.locator("form:has(input[name=action][value=note]) button").click()
    page.wait_for_url("**" + space + "#notes")
    axe.check(page)
    assert Message.objects.count() == 2

    # The maker submits; the coach approves.
    page = maker_context.new_page()
    page.goto(backstage)
    page.locator("form:has(input[name=action][value=submit]) button").click()
    page.wait_for_url("**" + backstage)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_REVIEW
    page.goto(space)
    assert page.get_by_text("Très motivée.").count() == 0  # the coach's private note
    page = coach_context.new_page()
    review = reverse("campaigns:coach_review", args=[campaign.slug])
    page.goto(review)
    page.fill("[name=approve-message]", "Bravo, la page est prête.")
    page.locator("form:has(input[name=action][value=approve]) button").click()
    page.wait_for_url("**" + review)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.APPROVED
    coach_context.close()
    maker_context.close()


def test_a_visitor_registers_for_a_workshop(browser, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    programme = factories.ProgrammeFactory(organiser=organiser, slug="mel-makers-2020")
    workshop = make_workshop(programme, capacity=5)
    visitor = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = visitor.new_page()
    page.goto(reverse("calls:programme", args=[programme.slug]))
    page.locator(f"a[href='{reverse('coaching:workshops', args=[programme.slug])}']").click()
    axe.check(page)
    page.locator(f"a[href='{reverse('coaching:workshop', args=[workshop.pk])}']").click()
    axe.check(page)
    page.fill("[name=name]", "Ana Visiteuse")
    page.fill("[name=email]", "ana@example.org")
    page.locator("form:has(input[name=email]) button[type=submit]").click()
    page.wait_for_url("**/ateliers/inscription/**")
    axe.check(page)
    registration = WorkshopRegistration.objects.get()
    assert registration.state == "confirmed"
    assert page.get_by_text("Ana Visiteuse").count() >= 1
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.state == "cancelled"
    axe.check(page)
    visitor.close()
