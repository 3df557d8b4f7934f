"""Attribution: landing visits counted per campaign × day × channel (× partner) without
cookies or personal data; breakdowns per programme, campaign and partner; the channel
vocabulary and its links; the channels page (permissions, bad filters)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tests.campaigns.factories import CampaignFactory
from tests.concurrency import run_together
from tests.factories import PartnerFactory
from tests.tracking.helpers import contribute_at
from tremplin.campaigns.enums import CampaignState
from tremplin.tracking import channels, series
from tremplin.tracking.attribution import breakdown
from tremplin.tracking.models import ChannelVisit
from tremplin.tracking.visits import VISITS_PER_ADDRESS, add_visit

pytestmark = pytest.mark.django_db


def visit(campaign, query: str, address: str = "203.0.113.7", **headers):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="fr", **headers)
    return client.get(f"/c/{campaign.slug}/{query}")


def counters() -> dict:
    return {(v.channel, v.ref): v.count for v in ChannelVisit.objects.all()}


@pytest.fixture
def partner(organiser):
    return PartnerFactory(organiser=organiser, slug="fablab-lille", name="Fab lab de Lille")


def test_a_tracked_landing_is_counted_once_per_visitor(campaign):
    assert visit(campaign, "?canal=bus").status_code == 200
    assert visit(campaign, "?canal=bus").status_code == 200  # a reload: the same visit
    visit(campaign, "?canal=bus", address="198.51.100.4")
    visit(campaign, "?canal=AFFICHE&utm_source=x")
    assert counters() == {("bus", ""): 2, ("affiche", ""): 1}
    row = ChannelVisit.objects.get(channel="bus")
    assert row.day == series.today() and row.campaign_id == campaign.pk
    # nothing about the visitor is kept, and no cookie is set
    response = visit(campaign, "?canal=presse")
    assert not response.cookies
    assert {f.name for f in ChannelVisit._meta.fields} == {
        "id",
        "campaign",
        "day",
        "channel",
        "ref",
        "count",
    }


def test_partner_links_name_the_partner(campaign, partner):
    visit(campaign, "?canal=partenaire&ref=fablab-lille")
    visit(campaign, "?canal=partenaire&ref=inconnu", address="198.51.100.5")
    assert counters() == {("partenaire", "fablab-lille"): 1, ("partenaire", ""): 1}


def test_what_is_not_counted(campaign, live_programme):
    visit(campaign, "")  # no channel
    visit(campaign, "?ref=fablab-lille")
    visit(campaign, "?canal=<script>alert(1)</script>")
    visit(campaign, "?canal=%00bus")
    visit(campaign, "?canal=" + "b" * 61)
    visit(campaign, "?canal=bus", HTTP_USER_AGENT="Googlebot/2.1")
    draft = CampaignFactory(programme=live_programme, state=CampaignState.DRAFT)
    assert visit(draft, "?canal=bus").status_code == 404
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.post(f"/c/{campaign.slug}/?canal=bus").status_code == 405
    assert client.get(f"/c/{campaign.slug}/actualites/?canal=bus").status_code == 200
    assert counters() == {}


def test_one_address_cannot_inflate_the_counters(live_programme):
    campaigns = [CampaignFactory(programme=live_programme) for _ in range(3)]
    sent = 0
    for n in range(VISITS_PER_ADDRESS // 3 + 10):
        for campaign in campaigns:
            visit(campaign, f"?canal=canal{n}")
            sent += 1
    assert sent > VISITS_PER_ADDRESS
    assert sum(ChannelVisit.objects.values_list("count", flat=True)) == VISITS_PER_ADDRESS


@pytest.mark.django_db(transaction=True)
def test_concurrent_visits_are_all_counted(live_programme):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    campaign = CampaignFactory(programme=live_programme)
    outcomes = run_together(8, lambda i: add_visit(campaign.pk, "bus"))
    assert outcomes == [None] * 8
    assert ChannelVisit.objects.get(campaign=campaign, channel="bus").count == 8


def test_breakdowns(live_programme, campaign, partner):
    other = CampaignFactory(programme=live_programme, slug="four-a-pain", title="Four à pain")
    for _ in range(4):
        add_visit(campaign.pk, "affiche")
    for _ in range(10):
        add_visit(campaign.pk, "partenaire", "fablab-lille")
    add_visit(other.pk, "partenaire", "fablab-lille")
    from django.utils import timezone

    now = timezone.now()
    contribute_at(campaign, now, "30", "affiche")
    contribute_at(campaign, now, "20", "partenaire", ref="fablab-lille")
    contribute_at(other, now, "15", "partenaire", ref="fablab-lille")
    contribute_at(campaign, now, "50")  # direct
    programme = breakdown(live_programme)
    rows = {row.key: row for row in programme.rows}
    assert (rows[("affiche", "")].visits, rows[("affiche", "")].contributions) == (4, 1)
    assert rows[("affiche", "")].conversion == 25.0
    partner_row = rows[("partenaire", "fablab-lille")]
    assert (partner_row.visits, partner_row.contributions, partner_row.amount_cents) == (
        11,
        2,
        3500,
    )
    assert "Fab lab de Lille" in partner_row.label
    direct = rows[("direct", "")]
    assert direct.conversion is None and direct.amount_cents == 5000
    assert programme.total.amount_cents == 11500 and programme.total.visits == 15
    assert programme.conversion == 20.0  # 3 tracked contributions / 15 visits
    one = breakdown(live_programme, campaign=other)
    assert {row.key for row in one.rows} == {("partenaire", "fablab-lille")}
    by_campaign = breakdown(live_programme, partner=partner)
    assert by_campaign.by == "campaign"
    assert {r.key[0]: (r.visits, r.contributions) for r in by_campaign.rows} == {
        campaign.pk: (10, 1),
        other.pk: (1, 1),
    }


PAGE = "/gestion/mel/programmes/mel-makers-2020/suivi/canaux/"


def test_the_channels_page(campaign, partner, manager, viewer, other_manager):
    add_visit(campaign.pk, "bus")
    for user in (manager, viewer):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        page = client.get(PAGE)
        assert page.status_code == 200 and "Bus and tram" in page.content.decode()
        assert client.get(PAGE + f"?campagne={campaign.slug}").status_code == 200
        assert client.get(PAGE + "?partenaire=fablab-lille").status_code == 200
    client = Client()
    client.force_login(other_manager)
    assert client.get(PAGE).status_code == 404
    assert Client().get(PAGE).status_code == 302


@pytest.mark.parametrize(
    "query",
    [
        "?campagne=nexiste-pas",
        "?campagne=<script>alert(1)</script>",
        "?campagne=%00",
        "?partenaire=" + "9" * 40,
        "?partenaire=" + "x" * 10000,
    ],
)
def test_bad_filters(campaign, manager, query):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    response = client.get(PAGE + query)
    assert response.status_code == 400
    assert b"<script>alert" not in response.content


def test_the_channel_vocabulary():
    assert channels.tracked_url("https://x.fr/c/atelier/", "affiche") == (
        "https://x.fr/c/atelier/?canal=affiche"
    )
    assert channels.partner_link("/c/atelier/?lang=fr", "fablab-lille") == (
        "/c/atelier/?lang=fr&canal=partenaire&ref=fablab-lille"
    )
    with pytest.raises(ValueError):
        channels.tracked_url("/c/a/", "<b>")
    with pytest.raises(ValueError):
        channels.partner_link("/c/a/", "")
    assert channels.normalise("") == "direct" and channels.normalise("BUS") == "bus"
    assert channels.label("inventé") == "inventé"
    assert set(channels.LINK_CHANNELS) >= {"affiche", "bus", "magazine", "reseaux", "email"}
    from django.utils import translation

    with translation.override("fr"):
        assert channels.label("reseaux") == "Réseaux sociaux"
