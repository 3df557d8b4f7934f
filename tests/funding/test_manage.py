"""The organiser's funding pages and who may see them: the maker, another maker, the
coach, a manager and a viewer of the organiser, a member of another organiser, a
contributor and an anonymous visitor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.factories import UserFactory
from tests.funding.helpers import checkout, contribute, key
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.models import AuditLog
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import MatchRule
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchfundingPot
from tremplin.funding.offline import record_offline

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def people(campaign, manager, viewer, other_manager):
    coach = UserFactory(is_coach=True)
    Campaign.objects.filter(pk=campaign.pk).update(coach=coach)
    contributor = UserFactory()
    start_checkout(
        campaign,
        {"amount": "25", "name": "Contributeur", "email": contributor.email},
        idempotency_key=key(),
        user=contributor,
    )
    return {
        "maker": campaign.application.maker,
        "other_maker": CampaignFactory().application.maker,
        "coach": coach,
        "manager": manager,
        "viewer": viewer,
        "other_organiser": other_manager,
        "contributor": contributor,
        "anonymous": None,
    }


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _manage_urls(organiser, campaign) -> dict[str, str]:
    org, slug = organiser.slug, campaign.slug
    return {
        "offline": reverse("funding_manage:offline", args=[org, slug]),
        "import": reverse("funding_manage:import", args=[org, slug]),
        "pot": reverse("funding_manage:pot", args=[org, campaign.programme.slug]),
        "statement": reverse("funding_manage:statement", args=[org, slug]),
        "statement_export": reverse("funding_manage:statement_export", args=[org, slug]),
        "contributions": reverse("funding_manage:contributions", args=[org, slug]),
        "contributions_export": reverse("funding_manage:contributions_export", args=[org, slug]),
    }


READ_VIEWS = ("pot", "statement", "statement_export", "contributions", "contributions_export")
EDIT_VIEWS = ("offline", "import")


@pytest.mark.parametrize(
    ("who", "read", "edit"),
    [
        ("manager", 200, 200),
        ("viewer", 200, 403),
        ("other_organiser", 404, 404),
        ("maker", 404, 404),
        ("other_maker", 404, 404),
        ("coach", 404, 404),
        ("contributor", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_back_office_get_permissions(people, organiser, campaign, who, read, edit):
    client = _client(people[who])
    urls = _manage_urls(organiser, campaign)
    for name in READ_VIEWS:
        assert client.get(urls[name]).status_code == read, name
    for name in EDIT_VIEWS:
        assert client.get(urls[name]).status_code == edit, name


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("viewer", 403),
        ("other_organiser", 404),
        ("maker", 404),
        ("other_maker", 404),
        ("coach", 404),
        ("contributor", 404),
        ("anonymous", 302),
    ],
)
def test_back_office_posts_refused(people, organiser, campaign, manager, who, status):
    client = _client(people[who])
    urls = _manage_urls(organiser, campaign)
    offline = record_offline(
        campaign,
        OfflineRow(D("10"), "Cash", "cash", timezone.localdate()),
        user=manager,
    )
    before = Contribution.objects.count()
    posts = {
        urls["offline"]: {
            "amount": "10",
            "source": "cash",
            "name": "X",
            "key": key(),
            "received_on": timezone.localdate().isoformat(),
        },
        urls["import"]: {"key": key()},
        urls["pot"]: {"funder_name": "X", "budget": "10", "rule": "ratio", "ratio": "1"},
        reverse("funding_manage:settle", args=[organiser.slug, campaign.slug]): {},
        reverse(
            "funding_manage:offline_refund", args=[organiser.slug, campaign.slug, offline.pk]
        ): {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == status, url
    assert Contribution.objects.count() == before
    assert not MatchfundingPot.objects.exists()
    offline.refresh_from_db()
    assert offline.state == "confirmed"


def test_another_organisers_campaign_is_404_for_a_manager(manager, organiser):
    elsewhere = CampaignFactory()
    client = _client(manager)
    for url in _manage_urls(organiser, elsewhere).values():
        if "abondement" in url:
            continue
        assert client.get(url).status_code == 404, url
    assert (
        client.get(
            reverse("funding_manage:pot", args=[organiser.slug, elsewhere.programme.slug])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("maker", 200),
        ("other_maker", 404),
        ("coach", 404),
        ("manager", 404),
        ("viewer", 404),
        ("other_organiser", 404),
        ("contributor", 404),
        ("anonymous", 302),
    ],
)
def test_maker_offline_page_permissions(people, campaign, who, status):
    client = _client(people[who])
    url = reverse("funding:offline_maker", args=[campaign.slug])
    assert client.get(url).status_code == status
    before = Contribution.objects.count()
    response = client.post(
        url,
        {
            "amount": "10",
            "source": "cash",
            "name": "X",
            "key": key(),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    if who == "maker":
        assert response.status_code == 302
        assert Contribution.objects.count() == before + 1
    else:
        assert response.status_code == status
        assert Contribution.objects.count() == before


@pytest.mark.parametrize(
    "who",
    [
        "maker",
        "other_maker",
        "coach",
        "manager",
        "viewer",
        "other_organiser",
        "contributor",
        "anonymous",
    ],
)
def test_public_pages_for_everyone(people, campaign, who):
    client = _client(people[who])
    assert client.get(reverse("funding:contribute", args=[campaign.slug])).status_code == 200
    mine = Contribution.objects.get(email=people["contributor"].email)
    thanks = reverse("funding:thanks", args=[mine.idempotency_key])
    assert client.get(thanks).status_code == 200


def test_draft_campaign_contribute_page_is_404_even_for_its_team(people, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.DRAFT)
    for who in ("maker", "manager", "coach"):
        url = reverse("funding:contribute", args=[campaign.slug])
        assert _client(people[who]).get(url).status_code == 404


# --- the matchfunding pot form ------------------------------------------------------------------


def _pot_data(**overrides) -> dict:
    return {
        "funder_name": "Métropole Européenne de Lille",
        "budget": "10 000",
        "rule": MatchRule.RATIO,
        "ratio": "1",
        "cap_per_contribution": "",
        "cap_per_campaign": "1 500",
        "grant_amount": "",
        "grant_threshold_percent": "",
        **overrides,
    }


def test_manager_sets_up_the_pot(client_for, manager, organiser, live_programme):
    url = reverse("funding_manage:pot", args=[organiser.slug, live_programme.slug])
    response = client_for(manager).post(url, _pot_data(counts_toward_goal="on"))
    assert response.status_code == 302
    pot = MatchfundingPot.objects.get()
    assert pot.budget == D("10000")
    assert pot.cap_per_campaign == D("1500")
    # Saved on the programme's crowdfunding settings (campaigns decides the outcome with it).
    settings = CampaignSettings.objects.get(programme=live_programme)
    assert settings.matched_counts_toward_goal
    assert client_for(manager).get(url).context["form"]["counts_toward_goal"].value() is True
    assert AuditLog.objects.filter(action="tremplin.matchfunding.created").count() == 1
    response = client_for(manager).post(url, _pot_data(ratio="0,5"))
    assert response.status_code == 302
    pot.refresh_from_db()
    assert pot.ratio == D("0.5")
    assert AuditLog.objects.filter(action="tremplin.matchfunding.changed").count() == 1
    changed = AuditLog.objects.get(action="tremplin.matchfunding.changed").data["changed"]
    assert "counts_toward_goal" in changed
    settings.refresh_from_db()
    assert not settings.matched_counts_toward_goal


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"funder_name": ""}, "funder_name"),
        ({"funder_name": "<script>x</script>"}, "funder_name"),
        ({"budget": ""}, "budget"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "abc"}, "budget"),
        ({"budget": "1e9"}, "budget"),
        ({"rule": "magic"}, "rule"),
        ({"ratio": ""}, "ratio"),
        ({"ratio": "0"}, "ratio"),
        ({"ratio": "11"}, "ratio"),
        ({"ratio": "NaN"}, "ratio"),
        ({"cap_per_campaign": "0"}, "cap_per_campaign"),
        ({"cap_per_contribution": "-5"}, "cap_per_contribution"),
        ({"rule": MatchRule.THRESHOLD_GRANT}, "grant_amount"),
        (
            {
                "rule": MatchRule.THRESHOLD_GRANT,
                "grant_amount": "500",
                "grant_threshold_percent": "0",
            },
            "grant_threshold_percent",
        ),
        (
            {
                "rule": MatchRule.THRESHOLD_GRANT,
                "grant_amount": "500",
                "grant_threshold_percent": "x",
            },
            "grant_threshold_percent",
        ),
    ],
)
def test_bad_pot_input_is_a_400(client_for, manager, organiser, live_programme, overrides, field):
    url = reverse("funding_manage:pot", args=[organiser.slug, live_programme.slug])
    response = client_for(manager).post(url, _pot_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not MatchfundingPot.objects.exists()


def test_budget_cannot_go_below_what_is_allocated(client_for, manager, organiser, campaign):
    pot = MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="MEL",
        budget=D("1000"),
        rule=MatchRule.RATIO,
        ratio=D("1"),
    )
    contribute(campaign, "300")
    url = reverse("funding_manage:pot", args=[organiser.slug, campaign.programme.slug])
    response = client_for(manager).post(url, _pot_data(budget="299,99"))
    assert response.status_code == 400
    assert response.context["form"].errors["budget"]
    pot.refresh_from_db()
    assert pot.budget == D("1000.00")
    assert pot.allocated == D("300.00")


def test_viewer_reads_the_pot_read_only(client_for, viewer, organiser, live_programme):
    MatchfundingPot.objects.create(
        programme=live_programme, funder_name="MEL", budget=D("10"), rule=MatchRule.RATIO
    )
    response = client_for(viewer).get(
        reverse("funding_manage:pot", args=[organiser.slug, live_programme.slug])
    )
    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert "Save the pot" not in response.content.decode()


# --- statement and lists ------------------------------------------------------------------------


def test_statement_page_and_csv(client_for, manager, organiser, campaign):
    contribute(campaign, "25")
    record_offline(
        campaign, OfflineRow(D("10"), "Cash", "cash", timezone.localdate()), user=manager
    )
    client = client_for(manager)
    page = client.get(reverse("funding_manage:statement", args=[organiser.slug, campaign.slug]))
    assert page.status_code == 200
    assert page.context["statement"].online_amount == D("25.00")
    assert page.context["statement"].offline_amount == D("10.00")
    export = client.get(
        reverse("funding_manage:statement_export", args=[organiser.slug, campaign.slug])
    )
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "Raised online (€);25,00" in text
    assert "Raised offline (€);10,00" in text


def test_settle_from_the_statement_page(client_for, manager, organiser, campaign):
    contribute(campaign, "25")
    url = reverse("funding_manage:settle", args=[organiser.slug, campaign.slug])
    client = client_for(manager)
    client.post(url)  # still live: refused with a message
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.LIVE
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SUCCEEDED)
    assert client.post(url).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SETTLED
    assert AuditLog.objects.filter(action="tremplin.campaign.settlement").count() == 1


def test_contributions_list_filters_and_export(client_for, manager, organiser, campaign, reward):
    contribute(campaign, "25", name="Alice Online", channel="affiche")
    contribute(campaign, "30", name="Bob Reward", reward=reward.pk)
    checkout(campaign, "40", name="Chloé Pending")
    record_offline(
        campaign,
        OfflineRow(D("10"), "Dan Cash", "cash", timezone.localdate(), reference="R-1"),
        user=manager,
    )
    client = client_for(manager)
    url = reverse("funding_manage:contributions", args=[organiser.slug, campaign.slug])

    def names(query: dict) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {c.name for c in response.context["page"].object_list}

    assert names({}) == {"Alice Online", "Bob Reward", "Chloé Pending", "Dan Cash"}
    assert names({"state": "pending"}) == {"Chloé Pending"}
    assert names({"source": "cash"}) == {"Dan Cash"}
    assert names({"reward": str(reward.pk)}) == {"Bob Reward"}
    assert names({"q": "r-1"}) == {"Dan Cash"}
    assert "Alice Online" not in names({"reward": "none", "state": "pending"})
    bad = client.get(url, {"state": "nope"})
    assert bad.status_code == 400
    export = client.get(
        reverse("funding_manage:contributions_export", args=[organiser.slug, campaign.slug]),
        {"state": "confirmed"},
    )
    text = export.content.decode("utf-8-sig")
    assert "Alice Online" in text and "Dan Cash" in text and "Chloé Pending" not in text
    assert AuditLog.objects.filter(action="tremplin.contributions.exported").count() == 1


def test_export_neutralises_formulas(client_for, manager, organiser, campaign):
    start_checkout(
        campaign,
        {
            "amount": "25",
            "name": '=HYPERLINK("http://x")',
            "email": "a@example.org",
            "message": "+cmd",
        },
        idempotency_key=key(),
    )
    export = client_for(manager).get(
        reverse("funding_manage:contributions_export", args=[organiser.slug, campaign.slug])
    )
    text = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'+cmd" in text


def test_contributions_list_has_no_n_plus_one(
    client_for, manager, organiser, campaign, reward, django_assert_max_num_queries
):
    client = client_for(manager)
    url = reverse("funding_manage:contributions", args=[organiser.slug, campaign.slug])

    def add(count: int) -> None:
        for i in range(count):
            start_checkout(
                campaign,
                {
                    "amount": "25",
                    "reward": reward.pk if i % 2 else None,
                    "name": f"N{i}",
                    "email": "n@example.org",
                },
                idempotency_key=key(),
            )
        Contribution.objects.filter(source="online").update(recorded_by=manager)

    reward.stock = None
    reward.save()
    add(2)
    client.get(url)  # warm up (session, content types)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    add(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
