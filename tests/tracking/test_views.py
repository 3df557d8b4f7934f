"""The cockpit pages: who may open them (organiser team incl. viewers; another organiser →
404; the coach only for the campaigns they coach; the maker only for their own; anonymous →
log-in), what they show, sorting with bad input, the htmx refresh, and the links to them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from tests.campaigns.factories import CampaignFactory
from tests.factories import UserFactory
from tests.tracking.helpers import contribute_at, paris
from tremplin.campaigns.enums import CampaignState
from tremplin.tracking import closing, series

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def coach():
    return UserFactory(is_coach=True)


@pytest.fixture
def world(live_programme, coach):
    first = series.today() - 3 * DAY
    start = paris(first, 9)
    mine = CampaignFactory(
        programme=live_programme,
        slug="atelier-velo",
        title="Atelier vélo",
        goal="1000.00",
        coach=coach,
        starts_at=start,
        launched_at=start,
    )
    other = CampaignFactory(
        programme=live_programme,
        slug="four-a-pain",
        title="Four à pain",
        goal="2000.00",
        starts_at=start,
        launched_at=start,
    )
    draft = CampaignFactory(
        programme=live_programme, slug="brouillon", title="Brouillon", state=CampaignState.DRAFT
    )
    contribute_at(mine, paris(first, 10), "300", "affiche")
    contribute_at(mine, paris(first + DAY, 10), "200")
    contribute_at(other, paris(first + 2 * DAY, 10), "100", "bus")
    closing.close_days()
    return {"mine": mine, "other": other, "draft": draft, "programme": live_programme}


COCKPIT = "/gestion/mel/programmes/mel-makers-2020/suivi/"


def test_the_organiser_team_sees_every_campaign(world, manager, viewer):
    for user in (manager, viewer):
        response = browser(user).get(COCKPIT)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Atelier vélo" in page and "Four à pain" in page
        assert "Brouillon" not in page  # not started: nothing to follow
        assert 'role="img"' in page and "<title id=" in page
        assert "1,000" not in page  # money in the page's format, not raw
        assert 'hx-trigger="every 60s"' in page
        # the forecast of the live campaigns is wired; no alert is open
        assert ">Forecast<" in page and ">Alert<" not in page


def test_another_organiser_and_strangers(world, other_manager, coach, manager):
    assert browser(other_manager).get(COCKPIT).status_code == 404
    assert browser(coach).get(COCKPIT).status_code == 404
    assert browser(UserFactory()).get(COCKPIT).status_code == 404
    response = browser().get(COCKPIT)
    assert response.status_code == 302 and "/comptes/" in response["Location"]
    path = f"{COCKPIT}campagnes/atelier-velo/"
    assert browser(other_manager).get(path).status_code == 404
    # a campaign of another programme through this programme's URL
    stranger = CampaignFactory(slug="ailleurs")
    response = browser(manager).get(f"{COCKPIT}campagnes/{stranger.slug}/")
    assert response.status_code == 404


def test_the_cockpit_is_read_only(world, manager):
    assert browser(manager).post(COCKPIT).status_code == 405


def test_campaign_page_for_the_organiser(world, viewer):
    response = browser(viewer).get(f"{COCKPIT}campagnes/atelier-velo/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Atelier vélo" in page and "€500" in page and "50 %" in page
    assert page.count("<tr>") >= 4  # the header and one row per day


def test_sorting_and_bad_input(world, manager):
    client = browser(manager)
    page = client.get(COCKPIT + "?tri=collecte&ordre=desc").content.decode()
    assert page.index("Atelier vélo") < page.index("Four à pain")
    page = client.get(COCKPIT + "?tri=collecte&ordre=asc").content.decode()
    assert page.index("Four à pain") < page.index("Atelier vélo")
    assert 'aria-sort="ascending"' in page
    page = client.get(COCKPIT + "?tri=titre").content.decode()
    assert page.index("Atelier vélo") < page.index("Four à pain")
    for bad in (
        "?tri=<script>alert(1)</script>",
        "?tri=%00",
        "?tri=" + "9" * 40,
        "?ordre=" + "x" * 5000,
        "?tri=collecte&tri=titre&ordre=",
    ):
        response = client.get(COCKPIT + bad)
        assert response.status_code == 200, bad
        assert b"<script>alert" not in response.content


def test_htmx_refresh_returns_the_live_part(world, manager):
    response = browser(manager).get(COCKPIT, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.strip().startswith('<div id="cockpit-live"')
    assert "<html" not in page


def test_the_charts_figures_are_a_table_loaded_when_asked_for(world, manager, coach, other_manager):
    """The programme chart's data table (days × campaigns) is not in the live part: it is
    loaded when its disclosure opens (htmx), or on a page of its own without JavaScript."""
    client = browser(manager)
    live = client.get(COCKPIT).content.decode()
    assert f'href="{COCKPIT}?vue=tableau"' in live and 'hx-get="' in live
    assert "Percentage of the goal reached at the end of each day" not in live
    fragment = client.get(COCKPIT + "?vue=tableau", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "Percentage of the goal reached at the end of each day" in fragment
    assert fragment.count("<tr>") == 1 + 4  # the heading, then the 4 days since the start
    assert "Atelier vélo" in fragment and "Four à pain" in fragment and "Brouillon" not in fragment
    assert "50\u00a0%" in fragment  # 500 € of 1,000 €
    page = client.get(COCKPIT + "?vue=tableau")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<html" in text and "Back to the cockpit" in text and "50\u00a0%" in text
    # the coach: their campaigns only; another organiser: 404
    mine = browser(coach).get("/suivi/coaching/?vue=tableau", HTTP_HX_REQUEST="true")
    assert "Atelier vélo" in mine.content.decode()
    assert "Four à pain" not in mine.content.decode()
    assert browser(other_manager).get(COCKPIT + "?vue=tableau").status_code == 404
    assert browser().get(COCKPIT + "?vue=tableau").status_code == 302


def test_the_coach_sees_only_their_campaigns(world, coach):
    client = browser(coach)
    page = client.get("/suivi/coaching/").content.decode()
    assert "Atelier vélo" in page and "Four à pain" not in page
    assert client.get("/suivi/coaching/atelier-velo/").status_code == 200
    assert client.get("/suivi/coaching/four-a-pain/").status_code == 404
    assert client.get("/suivi/coaching/nexiste-pas/").status_code == 404
    # not a coach
    assert browser(UserFactory()).get("/suivi/coaching/").status_code == 404
    assert browser().get("/suivi/coaching/").status_code == 302


def test_the_maker_sees_only_their_campaign(world, coach, manager):
    maker = world["mine"].application.maker
    client = browser(maker)
    response = client.get("/suivi/mes-campagnes/atelier-velo/")
    assert response.status_code == 200 and "Atelier vélo" in response.content.decode()
    assert client.get("/suivi/mes-campagnes/four-a-pain/").status_code == 404
    assert browser(coach).get("/suivi/mes-campagnes/atelier-velo/").status_code == 404
    assert browser(manager).get("/suivi/mes-campagnes/atelier-velo/").status_code == 404
    assert browser().get("/suivi/mes-campagnes/atelier-velo/").status_code == 302
    # the maker's draft has no figures yet: a page that says so
    draft_maker = world["draft"].application.maker
    page = browser(draft_maker).get("/suivi/mes-campagnes/brouillon/").content.decode()
    assert "once the campaign has started" in page


def test_links_to_the_cockpit(world, manager, coach):
    programme_page = browser(manager).get("/gestion/mel/programmes/mel-makers-2020/")
    assert COCKPIT in programme_page.content.decode()
    assert "/suivi/coaching/" in browser(coach).get("/tableau-de-bord/").content.decode()
    maker = world["mine"].application.maker
    backstage = browser(maker).get("/mes-campagnes/atelier-velo/").content.decode()
    assert "/suivi/mes-campagnes/atelier-velo/" in backstage


def test_the_cockpit_reads_the_series_not_the_contributions(
    world, manager, django_assert_max_num_queries
):
    """A fixed number of queries whatever the number of campaigns and contributions."""
    client = browser(manager)
    client.get(COCKPIT)
    with django_assert_max_num_queries(14):
        client.get(COCKPIT)
    for n in range(4):
        campaign = CampaignFactory(
            programme=world["programme"],
            starts_at=world["mine"].starts_at,
            launched_at=world["mine"].starts_at,
        )
        contribute_at(campaign, paris(series.today() - DAY, 10), str(10 + n))
    closing.close_days()
    with django_assert_max_num_queries(14):
        client.get(COCKPIT)


def test_a_partner_member_sees_no_cockpit(world, organiser):
    from tests.factories import PartnerFactory, PartnerMembershipFactory

    partner = PartnerFactory(organiser=organiser)
    member = PartnerMembershipFactory(partner=partner).user
    client = browser(member)
    assert client.get(COCKPIT).status_code == 404
    assert client.get(f"{COCKPIT}campagnes/atelier-velo/").status_code == 404
    assert client.get(f"{COCKPIT}canaux/").status_code == 404
    assert client.get("/suivi/coaching/").status_code == 404
    assert client.get("/suivi/mes-campagnes/atelier-velo/").status_code == 404
