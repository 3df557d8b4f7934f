"""The partners' relay portal: who sees what, tracked links, the calendar, what the relay
brought, marking relays (with bad input), and the dashboard's link."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.kit.world import build, contribution, login
from tremplin.core.dates import PARIS
from tremplin.core.models import AuditLog
from tremplin.kit import relay
from tremplin.kit.errors import RelayError
from tremplin.kit.models import RelayMark

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _programme_url(world, partner=None):
    return reverse(
        "kit:relay_programme", args=[(partner or world.partner).slug, world.programme.slug]
    )


# --- permissions --------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, world):
    for url in (reverse("kit:relay_home"), _programme_url(world)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "role", ["maker", "manager", "viewer", "other_partner", "foreign_partner", "other_manager"]
)
def test_only_the_partners_members_open_its_portal(world, role):
    response = login(world.users[role]).get(_programme_url(world))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["maker", "manager", "viewer", "other_manager"])
def test_the_home_is_for_partner_members(world, role):
    assert login(world.users[role]).get(reverse("kit:relay_home")).status_code == 404


def test_a_partner_of_another_programme_gets_404(world):
    from tests import factories

    elsewhere = factories.ProgrammeFactory(organiser=world.organiser, slug="autre-programme")
    url = reverse("kit:relay_programme", args=[world.partner.slug, elsewhere.slug])
    assert login(world.users["partner"]).get(url).status_code == 404


def test_a_member_sees_the_laureates_with_tracked_links(world):
    client = login(world.users["partner"])
    home = client.get(reverse("kit:relay_home"))
    assert home.status_code == 200
    assert _programme_url(world) in home.content.decode()
    response = client.get(_programme_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Atelier vélo" in html and "Teintures végétales" in html
    assert "Brouillon" not in html  # a draft is not a laureate to relay yet
    card = next(c for c in response.context["cards"] if c["campaign"] == world.live)
    query = parse_qs(urlsplit(card["link"]).query)
    assert query == {"canal": ["partenaire"], "ref": ["universite-de-lille"]}
    assert card["link"] in html.replace("&amp;", "&")
    # The widget's snippet is there for a live campaign, not for one that has not started.
    assert reverse("kit:widget", args=[world.live.slug]) in html
    assert reverse("kit:widget", args=[world.approved.slug]) not in html
    assert 'data-copy="link-atelier-velo"' in html
    assert "<script>" not in html  # copy buttons are a static file (CSP)


def test_the_dashboard_links_the_portal_for_partner_members_only(world):
    html = login(world.users["partner"]).get(reverse("core:dashboard")).content.decode()
    assert reverse("kit:relay_home") in html
    html = login(world.users["maker"]).get(reverse("core:dashboard")).content.decode()
    assert reverse("kit:relay_home") not in html


# --- what the relay brought ----------------------------------------------------------------


def test_what_the_relay_brought_counts_its_confirmed_contributions_only(world):
    contribution(world.live, "40", ref="universite-de-lille")
    contribution(world.live, "25.50", ref="universite-de-lille")
    contribution(world.live, "100", ref="universite-de-lille", state="refunded")
    contribution(world.live, "70", ref="maker-faire-lille")
    contribution(world.live, "90", ref="universite-de-lille", channel="affiche-qr")
    contribution(world.live, "15")
    brought = relay.results(world.partner, [world.live, world.approved])
    assert brought.of(world.live).contributions == 2
    assert brought.of(world.live).amount == Decimal("65.50")
    assert brought.of(world.approved).contributions == 0
    assert brought.total.amount == Decimal("65.50")
    response = login(world.users["partner"]).get(_programme_url(world))
    html = response.content.decode()
    assert "65,50" in html
    other = relay.results(world.other_partner, [world.live])
    assert other.of(world.live).amount == Decimal("70.00")


def test_what_the_relay_brought_counts_the_visits_of_its_links(world):
    """Visits come from tracking's aggregate counters: a visit through the partner's link
    counts for it, not for another partner nor for another channel."""
    from datetime import date

    from tremplin.tracking.models import ChannelVisit

    day = date(2026, 1, 5)
    ChannelVisit.objects.create(
        campaign=world.live, day=day, channel="partenaire", ref="universite-de-lille", count=7
    )
    ChannelVisit.objects.create(
        campaign=world.live,
        day=date(2026, 1, 6),
        channel="partenaire",
        ref="universite-de-lille",
        count=3,
    )
    ChannelVisit.objects.create(
        campaign=world.live, day=day, channel="partenaire", ref="maker-faire-lille", count=50
    )
    ChannelVisit.objects.create(campaign=world.live, day=day, channel="affiche", count=90)
    brought = relay.results(world.partner, [world.live, world.approved])
    assert brought.of(world.live).visits == 10
    assert brought.of(world.approved).visits == 0
    assert brought.total.visits == 10
    assert relay.results(world.other_partner, [world.live]).of(world.live).visits == 50


# --- the calendar ---------------------------------------------------------------------------


def test_the_calendar_has_launch_day_mid_campaign_and_the_last_72_hours_in_paris_time(world):
    campaign = world.live
    campaign.starts_at = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
    campaign.ends_at = datetime(2026, 4, 1, 23, 59, tzinfo=PARIS)  # after the change to CEST
    moments = relay.calendar(campaign)
    assert [m.kind for m in moments] == ["launch", "middle", "last"]
    launch, middle, last = moments
    assert launch.starts == datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
    assert launch.ends == datetime(2026, 3, 3, 0, 0, tzinfo=PARIS)
    assert middle.starts.date() == date(2026, 3, 17)
    assert last.starts == datetime(2026, 3, 29, 23, 59, tzinfo=PARIS)
    assert last.ends == campaign.ends_at
    assert str(last.starts.utcoffset()) == "2:00:00"  # summer time in Paris
    assert relay.calendar(world.draft.__class__(starts_at=None, ends_at=None)) == []


def test_the_calendar_file_holds_three_events_per_dated_campaign(world):
    response = login(world.users["partner"]).get(
        reverse("kit:relay_calendar", args=[world.partner.slug, world.programme.slug])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 6
    assert all("ref=universite-de-lille" in str(e["url"]) for e in events)
    assert (
        login(world.users["other_partner"])
        .get(reverse("kit:relay_calendar", args=[world.partner.slug, world.programme.slug]))
        .status_code
        == 404
    )


# --- marking relays -------------------------------------------------------------------------


def _mark_url(world, campaign=None, partner=None):
    return reverse(
        "kit:relay_mark",
        args=[(partner or world.partner).slug, world.programme.slug, (campaign or world.live).slug],
    )


def _today():
    return timezone.now().astimezone(PARIS).date()


def test_a_member_marks_edits_and_deletes_a_relay(world):
    client = login(world.users["partner"])
    response = client.post(
        _mark_url(world),
        {"relayed_on": _today().isoformat(), "place": "newsletter", "detail": "Lettre de mars"},
    )
    assert response.status_code == 302
    mark = RelayMark.objects.get()
    assert (mark.partner, mark.campaign, mark.place) == (world.partner, world.live, "newsletter")
    assert mark.created_by == world.users["partner"]
    assert AuditLog.objects.filter(action="tremplin.kit.relay_marked").count() == 1
    assert "Lettre de mars" in client.get(_programme_url(world)).content.decode()

    edit = reverse("kit:relay_edit", args=[world.partner.slug, world.programme.slug, mark.pk])
    assert client.get(edit).status_code == 200
    yesterday = (_today() - timedelta(days=1)).isoformat()
    response = client.post(
        edit, {"relayed_on": yesterday, "place": "instagram", "link": "https://instagram.com/p/x"}
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert (mark.place, mark.relayed_on.isoformat()) == ("instagram", yesterday)

    delete = reverse("kit:relay_delete", args=[world.partner.slug, world.programme.slug, mark.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not RelayMark.objects.exists()
    assert AuditLog.objects.filter(action="tremplin.kit.relay_deleted").count() == 1


def test_another_partners_member_cannot_touch_the_relay(world):
    mark = relay.mark_relay(
        world.partner, world.live, by=world.users["partner"], relayed_on=_today(), place="website"
    )
    for role in ("other_partner", "foreign_partner", "manager", "viewer", "maker"):
        client = login(world.users[role])
        for name in ("kit:relay_edit", "kit:relay_delete"):
            url = reverse(name, args=[world.partner.slug, world.programme.slug, mark.pk])
            assert (
                client.post(url, {"relayed_on": _today().isoformat(), "place": "x"}).status_code
                == 404
            )
        # Through its own partner's address, the other partner does not find it either.
        own = reverse(
            "kit:relay_delete", args=[world.other_partner.slug, world.programme.slug, mark.pk]
        )
        assert client.post(own).status_code == 404
    assert RelayMark.objects.get().place == "website"


def test_the_domain_refuses_a_non_member_and_a_campaign_of_another_programme(world):
    with pytest.raises(RelayError):
        relay.mark_relay(
            world.partner,
            world.live,
            by=world.users["other_partner"],
            relayed_on=_today(),
            place="website",
        )
    with pytest.raises(RelayError):
        relay.mark_relay(
            world.partner,
            world.draft,
            by=world.users["partner"],
            relayed_on=_today(),
            place="website",
        )
    from tests.campaigns.factories import CampaignFactory

    foreign = CampaignFactory()
    with pytest.raises(RelayError):
        relay.mark_relay(
            world.partner, foreign, by=world.users["partner"], relayed_on=_today(), place="website"
        )
    assert not RelayMark.objects.exists()


def test_marking_a_draft_or_an_unknown_campaign_answers_404(world):
    client = login(world.users["partner"])
    data = {"relayed_on": _today().isoformat(), "place": "website"}
    assert client.post(_mark_url(world, world.draft), data).status_code == 404
    url = reverse("kit:relay_mark", args=[world.partner.slug, world.programme.slug, "nope"])
    assert client.post(url, data).status_code == 404
    assert login(world.users["other_partner"]).post(_mark_url(world), data).status_code == 404
    assert not RelayMark.objects.exists()


BAD = [
    {},
    {"relayed_on": "", "place": ""},
    {"relayed_on": "2026-02-30", "place": "website"},
    {"relayed_on": "9" * 40, "place": "website"},
    {"relayed_on": "a\x00b", "place": "website"},
    {"relayed_on": "2026-01-10", "place": "a\x00b"},
    {"relayed_on": "2026-01-10", "place": "<script>alert(1)</script>"},
    {"relayed_on": "2026-01-10", "place": "website", "detail": "x" * 10_000},
    {"relayed_on": "2026-01-10", "place": "website", "detail": "a\x00b"},
    {"relayed_on": "2026-01-10", "place": "website", "link": "javascript:alert(1)"},
    {"relayed_on": "2026-01-10", "place": "website", "link": "https://" + "a" * 600 + ".fr"},
    {"relayed_on": "1999-12-31", "place": "website"},
    {"relayed_on": "2999-01-01", "place": "website"},
]


@pytest.mark.parametrize("data", BAD)
def test_bad_input_is_refused_with_400_and_changes_nothing(world, data):
    client = login(world.users["partner"])
    response = client.post(_mark_url(world), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not RelayMark.objects.exists()
    mark = relay.mark_relay(
        world.partner, world.live, by=world.users["partner"], relayed_on=_today(), place="website"
    )
    edit = reverse("kit:relay_edit", args=[world.partner.slug, world.programme.slug, mark.pk])
    assert client.post(edit, data).status_code == 400
    mark.refresh_from_db()
    assert (mark.place, mark.relayed_on, mark.detail) == ("website", _today(), "")


# --- the organiser sees each partner's relay on the campaign's page ---------------------


def test_the_organiser_sees_what_each_partner_relayed_and_brought(world):
    relay.mark_relay(
        world.partner, world.live, by=world.users["partner"], relayed_on=_today(), place="website"
    )
    contribution(world.live, "40", ref="universite-de-lille")
    contribution(world.live, "60", ref="maker-faire-lille")
    contribution(world.live, "99", ref="universite-de-lille", state="refunded")
    rows = {row.partner.slug: row for row in relay.campaign_relays(world.live)}
    assert set(rows) == {"universite-de-lille", "maker-faire-lille"}
    assert len(rows["universite-de-lille"].marks) == 1
    assert rows["universite-de-lille"].brought.amount == Decimal("40.00")
    assert rows["maker-faire-lille"].brought.contributions == 1
    for role in ("manager", "viewer"):
        url = reverse("campaigns_manage:detail", args=["mel", world.live.slug])
        html = login(world.users[role]).get(url).content.decode()
        assert "Université de Lille" in html and "Maker Faire Lille" in html
    # The maker's backstage shows the widget, not the partners' table.
    html = (
        login(world.users["maker"])
        .get(reverse("campaigns:backstage", args=[world.live.slug]))
        .content.decode()
    )
    assert "Maker Faire Lille" not in html
