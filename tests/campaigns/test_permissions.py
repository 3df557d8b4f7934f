"""Who may open which campaign page: every view, every kind of person. Another organiser's
campaign, another maker's backstage, another coach's review answer 404 (nothing leaks)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import english_client
from tests.campaigns.factories import CommentFactory
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign

pytestmark = pytest.mark.django_db

PEOPLE = (
    "maker",
    "other_maker",
    "coach",
    "other_coach",
    "manager",
    "viewer",
    "other_manager",
    "contributor",
    "anonymous",
)
LOGIN = "login"

# view → expected status for each person (LOGIN: redirected to the login page)
GET_EXPECTATIONS = {
    "campaign": dict.fromkeys(PEOPLE, 200),
    "updates": dict.fromkeys(PEOPLE, 200),
    "report_comment": dict.fromkeys(PEOPLE, 200),
    "mine": {**dict.fromkeys(PEOPLE, 200), "anonymous": LOGIN},
    "backstage": {**dict.fromkeys(PEOPLE, 404), "maker": 200, "anonymous": LOGIN},
    "edit": {**dict.fromkeys(PEOPLE, 404), "maker": 200, "anonymous": LOGIN},
    "coach_review": {**dict.fromkeys(PEOPLE, 404), "coach": 200, "anonymous": LOGIN},
    "manage_list": {
        **dict.fromkeys(PEOPLE, 404),
        "manager": 200,
        "viewer": 200,
        "anonymous": LOGIN,
    },
    "manage_create": {
        **dict.fromkeys(PEOPLE, 404),
        "manager": 200,
        "viewer": 403,
        "anonymous": LOGIN,
    },
    "manage_detail": {
        **dict.fromkeys(PEOPLE, 404),
        "manager": 200,
        "viewer": 200,
        "anonymous": LOGIN,
    },
    "manage_settings": {
        **dict.fromkeys(PEOPLE, 404),
        "manager": 200,
        "viewer": 200,
        "anonymous": LOGIN,
    },
}


def view_url(name: str, world, comment=None) -> str:
    campaign = world.campaign
    org = campaign.programme.organiser.slug
    return {
        "campaign": lambda: reverse("campaigns:campaign", args=[campaign.slug]),
        "updates": lambda: reverse("campaigns:updates", args=[campaign.slug]),
        "report_comment": lambda: reverse(
            "campaigns:report_comment", args=[campaign.slug, comment.pk]
        ),
        "mine": lambda: reverse("campaigns:mine"),
        "backstage": lambda: reverse("campaigns:backstage", args=[campaign.slug]),
        "edit": lambda: reverse("campaigns:edit", args=[campaign.slug]),
        "coach_review": lambda: reverse("campaigns:coach_review", args=[campaign.slug]),
        "manage_list": lambda: reverse("campaigns_manage:list", args=[org]),
        "manage_create": lambda: reverse("campaigns_manage:create", args=[org]),
        "manage_detail": lambda: reverse("campaigns_manage:detail", args=[org, campaign.slug]),
        "manage_settings": lambda: reverse(
            "campaigns_manage:settings", args=[org, campaign.programme.slug]
        ),
    }[name]()


def check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("view", sorted(GET_EXPECTATIONS))
def test_get_permissions(world, view):
    comment = CommentFactory(campaign=world.campaign)
    url = view_url(view, world, comment)
    for person, user in world.people().items():
        response = english_client(user).get(url)
        try:
            check(response, GET_EXPECTATIONS[view][person])
        except AssertionError:
            raise AssertionError(f"{view} as {person}: {response.status_code}") from None


def test_other_organiser_sees_nothing_through_its_own_slug(world):
    """A member of another organiser asking for this campaign under their own organiser."""
    other_org = world.other_manager.organiser_memberships.get().organiser.slug
    browser = english_client(world.other_manager)
    assert (
        browser.get(
            reverse("campaigns_manage:detail", args=[other_org, world.campaign.slug])
        ).status_code
        == 404
    )
    assert (
        browser.get(
            reverse("campaigns_manage:settings", args=[other_org, world.campaign.programme.slug])
        ).status_code
        == 404
    )
    listing = browser.get(reverse("campaigns_manage:list", args=[other_org]))
    assert world.campaign.title not in listing.content.decode()


def test_post_permissions_on_the_organiser_detail(world):
    url = view_url("manage_detail", world)
    data = {"action": "coach", "coach": ""}
    for person, expected in [
        ("viewer", 403),
        ("other_manager", 404),
        ("maker", 404),
        ("coach", 404),
        ("anonymous", LOGIN),
    ]:
        check(english_client(world.people()[person]).post(url, data), expected)
    world.campaign.refresh_from_db()
    assert world.campaign.coach == world.coach  # nothing changed
    check(english_client(world.manager).post(url, data), 302)


def test_post_permissions_on_the_settings(world):
    url = view_url("manage_settings", world)
    data = {
        "funding_rule": "all_or_nothing",
        "min_contribution": "2",
        "max_contribution": "100",
        "fee_percent": "0",
        "payment_provider": "sandbox",
    }
    check(english_client(world.viewer).post(url, data), 403)
    check(english_client(world.other_manager).post(url, data), 404)
    check(english_client(world.maker).post(url, data), 404)
    world.campaign.programme.campaign_settings.refresh_from_db()
    assert world.campaign.programme.campaign_settings.min_contribution != 2


@pytest.mark.parametrize("person", ["other_maker", "coach", "manager", "contributor"])
def test_only_the_maker_posts_to_the_backstage(world, person):
    url = view_url("backstage", world)
    response = english_client(world.people()[person]).post(
        url, {"action": "update", "title": "Intrus", "body": "Non"}
    )
    assert response.status_code == 404
    assert not world.campaign.updates.exists()


@pytest.mark.parametrize("person", ["maker", "other_coach", "manager"])
def test_only_the_assigned_coach_reviews(world, person):
    Campaign.objects.filter(pk=world.campaign.pk).update(state=CampaignState.IN_REVIEW)
    url = view_url("coach_review", world)
    response = english_client(world.people()[person]).post(url, {"action": "approve"})
    assert response.status_code == 404
    world.campaign.refresh_from_db()
    assert world.campaign.state == CampaignState.IN_REVIEW


def test_a_coach_without_the_flag_is_not_a_coach(world):
    world.coach.is_coach = False
    world.coach.save()
    assert english_client(world.coach).get(view_url("coach_review", world)).status_code == 404


def test_anonymous_comment_goes_to_login(world):
    response = english_client().post(
        reverse("campaigns:comment", args=[world.campaign.slug]),
        {"author_name": "X", "body": "Y"},
    )
    check(response, LOGIN)
    assert not world.campaign.comments.exists()
