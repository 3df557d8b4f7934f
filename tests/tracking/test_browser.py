"""The cockpit in a browser: the organiser opens it from the programme's page, sorts the
campaigns, opens the chart's data table, follows a campaign to its own page, and the page
refreshes itself (htmx) without a Content-Security-Policy violation; on a phone-sized
screen nothing overflows the page. axe-core runs on every page."""

from __future__ import annotations

import datetime

import pytest

from tests import factories
from tests.browser.conftest import _no_csp_violation, axe, browser, log_in  # noqa: F401 (fixtures)
from tests.campaigns.factories import CampaignFactory
from tests.tracking.helpers import contribute_at, paris
from tremplin.calls.enums import ProgrammeState
from tremplin.tracking import closing, series
from tremplin.tracking.visits import add_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False


def _world():
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2020",
        name="MEL Makers 2020",
        state=ProgrammeState.CAMPAIGNS_LIVE,
    )
    first = series.today() - 5 * DAY
    start = paris(first, 9)
    velo = CampaignFactory(
        programme=programme,
        slug="atelier-velo",
        title="Atelier vélo",
        goal="1000.00",
        starts_at=start,
        launched_at=start,
    )
    pain = CampaignFactory(
        programme=programme,
        slug="four-a-pain",
        title="Four à pain",
        goal="3000.00",
        starts_at=start,
        launched_at=start,
    )
    for n in range(5):
        contribute_at(velo, paris(first + n * DAY, 11), str(40 + 10 * n), "affiche")
        contribute_at(pain, paris(first + n * DAY, 15), "25", "reseaux")
        add_visit(velo.pk, "affiche")
    closing.close_days()
    return manager


def test_the_cockpit_journey(browser, live_server, axe):  # noqa: F811 (the imported fixtures)
    manager = _world()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = log_in(context, manager)
    page.goto("/gestion/mel/programmes/mel-makers-2020/")
    page.get_by_role("link", name="Suivi").click()
    page.wait_for_url("**/suivi/")
    axe.check(page)
    assert page.locator("svg[role=img] title").first.text_content()
    rows = page.locator(".cockpit-table tbody tr th a")
    assert rows.count() == 2
    # sorted by % of goal by default: the bike workshop (35 %) before the oven (4 %)
    assert rows.nth(0).inner_text() == "Atelier vélo"
    page.get_by_role("link", name="Campagne").click()
    page.wait_for_url("**tri=titre**")
    assert page.locator(".cockpit-table tbody tr th a").nth(0).inner_text() == "Atelier vélo"
    page.get_by_role("link", name="Campagne").click()
    page.wait_for_url("**ordre=desc**")
    assert page.locator(".cockpit-table tbody tr th a").nth(0).inner_text() == "Four à pain"
    page.get_by_text("Les chiffres du graphique sous forme de tableau", exact=True).click()
    page.wait_for_selector("details[open] .chart-figures-body table")  # loaded on opening
    assert page.locator("details[open] table tbody tr").count() == 6
    axe.check(page)
    # htmx refresh of the live part
    with page.expect_response(lambda r: "/suivi/" in r.url and r.request.headers.get("hx-request")):
        page.evaluate(
            "htmx.ajax('GET', window.location.pathname + window.location.search, "
            "{target: '#cockpit-live', swap: 'outerHTML'})"
        )
    page.wait_for_selector("#cockpit-live .cockpit-table")
    assert page.locator(".cockpit-table tbody tr").count() == 2
    # a campaign's own page
    page.get_by_role("link", name="Atelier vélo").first.click()
    page.wait_for_url("**/campagnes/atelier-velo/")
    assert page.locator("svg[role=img]").count() == 1
    assert "Affiches" in page.content()
    axe.check(page)
    # the channels page
    page.goto("/gestion/mel/programmes/mel-makers-2020/suivi/canaux/")
    axe.check(page)
    # a phone-sized screen: the page itself never scrolls sideways
    phone = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 375, "height": 740}
    )
    mobile = log_in(phone, manager)
    mobile.goto("/gestion/mel/programmes/mel-makers-2020/suivi/")
    overflow = mobile.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    axe.check(mobile)
    phone.close()
    context.close()
