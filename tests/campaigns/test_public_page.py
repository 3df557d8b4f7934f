"""The public campaign page: what a visitor sees, what stays private, and how fast."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.calls.helpers import image_bytes
from tests.campaigns.conftest import english_client
from tests.campaigns.factories import (
    CampaignFactory,
    CommentFactory,
    ContributionFactory,
    RewardFactory,
    UpdateFactory,
)
from tests.campaigns.helpers import outside_templates
from tremplin.campaigns.enums import CampaignState, CommentState
from tremplin.campaigns.models import Campaign, CampaignImage
from tremplin.funding.models import MatchfundingPot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def url(campaign) -> str:
    return reverse("campaigns:campaign", args=[campaign.slug])


def page(campaign, user=None, query: str = "") -> str:
    response = english_client(user).get(url(campaign) + query)
    assert response.status_code == 200
    return response.content.decode()


def add_image(campaign, alt="Le prototype"):
    image = CampaignImage(campaign=campaign, alt_text=alt)
    image.image.save("proto.jpg", ContentFile(image_bytes("JPEG")), save=True)
    return image


def test_the_page_shows_the_campaign(world):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        raised_amount=Decimal("1250.50"),
        contributor_count=12,
        ends_at=timezone.now() + timedelta(days=12, hours=5),
        description=(
            "<p>Une <strong>belle</strong> histoire.</p>"
            '<a href="https://x.org" rel="noopener nofollow">x</a>'
        ),
    )
    add_image(campaign)
    html = page(campaign)
    assert "<h1>Atelier vélo</h1>" in html
    assert campaign.pitch in html
    assert "<p>Une <strong>belle</strong> histoire.</p>" in html
    assert "€1,250.50" in html and "€5,000" in html
    assert '<progress id="figures-title-bar" max="100" value="25"' in html
    assert "25 % of the goal" in html
    assert "<strong>12</strong> contributors" in html
    assert "<strong>12</strong> days left" in html
    assert 'alt="Le prototype"' in html
    assert reverse("funding:contribute", args=[campaign.slug]) in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.startswith("http://testserver/media/public/campaigns/")
    assert '<meta property="og:title" content="Atelier vélo">' in html
    assert '<meta property="og:image:alt" content="Le prototype">' in html


def test_matched_funds_are_shown_separately_with_the_funder(world):
    campaign = world.campaign
    MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="Métropole Européenne de Lille",
        budget=Decimal("50000"),
        rule="ratio",
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        raised_amount=Decimal("2500"), matched_amount=Decimal("1250")
    )
    html = page(campaign)
    assert "+ €1,250 matched by Métropole Européenne de Lille" in html
    assert "€2,500</strong> raised" in html


def test_text_typed_by_people_is_escaped(world):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        title="<script>alert(1)</script>", pitch='<img src=x onerror="alert(2)">'
    )
    CommentFactory(campaign=campaign, author_name="<b>Eve</b>", body="<script>alert(3)</script>")
    RewardFactory(campaign=campaign, title="<i>Merci</i>", description="<script>x</script>")
    html = page(campaign)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "&lt;i&gt;Merci&lt;/i&gt;" in html


@pytest.mark.parametrize(
    ("video_url", "player"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1",
        ),
        (
            "https://www.dailymotion.com/video/x7tgad0",
            "https://www.dailymotion.com/embed/video/x7tgad0?autoplay=1",
        ),
        (
            "https://videos.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://videos.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1",
        ),
    ],
)
def test_video_facade_makes_no_third_party_request_before_the_click(world, video_url, player):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(video_url=video_url)
    html = page(campaign)
    # the player is there, inert, inside a <template>
    template = re.search(r"<template>(.*?)</template>", html, flags=re.S).group(1)
    assert f'<iframe class="video-frame" src="{player}"' in template
    # nothing outside the template loads anything from another site
    visible = outside_templates(html)
    assert "<iframe" not in visible
    assert "<video" not in visible and "<embed" not in visible and "<object" not in visible
    for attribute in re.findall(r'\b(?:src|srcset|poster|data)="([^"]*)"', visible):
        assert not attribute.startswith(("http://", "https://", "//")), attribute
    for link in re.findall(r'<link[^>]+href="([^"]*)"', visible):
        assert not link.startswith(("http://", "https://", "//")), link
    assert "data-video-play" in visible  # the button that loads it
    assert "ytimg" not in html  # no thumbnail from the host either


def test_rewards_with_remaining_stock_and_sold_out(world):
    campaign = world.campaign
    RewardFactory(campaign=campaign, title="Carte", stock=10, claimed=3, min_amount="15")
    RewardFactory(campaign=campaign, title="Lampe", stock=5, claimed=5)
    RewardFactory(campaign=campaign, title="Merci", stock=None)
    html = page(campaign)
    assert "7 left of 10" in html
    assert "From €15" in html
    assert "Sold out" in html
    assert "Unlimited" in html


def test_contributor_list_respects_anonymity_and_lists_confirmed_only(world):
    campaign = world.campaign
    now = timezone.now()
    ContributionFactory(campaign=campaign, name="Alice Visible", amount="30", confirmed_at=now)
    ContributionFactory(
        campaign=campaign, name="Bob Cache", amount="40", hide_name=True, confirmed_at=now
    )
    ContributionFactory(
        campaign=campaign, name="Carole Discrete", amount="777", hide_amount=True, confirmed_at=now
    )
    ContributionFactory(campaign=campaign, name="Denis Pending", state="pending")
    ContributionFactory(campaign=campaign, name="Eve Refunded", state="refunded")
    html = page(campaign)
    contributors = html.split('id="contributors-title"', 1)[1]
    assert "Alice Visible" in contributors and "€30" in contributors
    assert "Bob Cache" not in html and "Anonymous" in contributors and "€40" in contributors
    assert "Carole Discrete" in contributors and "€777" not in html
    assert "Denis Pending" not in html and "Eve Refunded" not in html


def test_contributors_newest_first_and_paginated():
    campaign = CampaignFactory()
    now = timezone.now()
    for i in range(25):
        ContributionFactory(
            campaign=campaign, name=f"Donateur {i:02d}", confirmed_at=now - timedelta(minutes=i)
        )
    first = page(campaign)
    assert first.index("Donateur 00") < first.index("Donateur 01")
    assert "Donateur 19" in first and "Donateur 20" not in first
    assert "?contributeurs=2#contributors" in first
    second = page(campaign, query="?contributeurs=2")
    assert "Donateur 20" in second and "Donateur 24" in second and "Donateur 00" not in second
    assert page(campaign, query="?contributeurs=abc")  # a bad page number is page 1


def test_comments_news_and_hidden_comments(world):
    campaign = world.campaign
    parent = CommentFactory(campaign=campaign, body="Quand la livraison ?")
    CommentFactory(
        campaign=campaign,
        author=world.maker,
        author_name="Marie Maker",
        body="En décembre !",
        reply_to=parent,
    )
    CommentFactory(campaign=campaign, body="Contenu masqué", state=CommentState.HIDDEN)
    UpdateFactory(campaign=campaign, title="Les prototypes sont prêts")
    html = page(campaign)
    assert "Quand la livraison ?" in html and "En décembre !" in html
    assert "Contenu masqué" not in html
    assert "Les prototypes sont prêts" in html
    assert reverse("campaigns:report_comment", args=[campaign.slug, parent.pk]) in html
    assert "Log in to leave a comment" in html


def test_a_closed_campaign_has_no_contribute_button(world):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        state=CampaignState.SUCCEEDED, raised_amount=Decimal("6000")
    )
    html = page(campaign)
    assert reverse("funding:contribute", args=[campaign.slug]) not in html
    assert "The goal was reached" in html


def test_a_live_campaign_past_its_deadline_shows_it_is_over(world):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    html = page(campaign)
    assert reverse("funding:contribute", args=[campaign.slug]) not in html
    assert "contributions are closed" in html


@pytest.mark.parametrize(
    "state",
    [
        CampaignState.DRAFT,
        CampaignState.IN_REVIEW,
        CampaignState.CHANGES_REQUESTED,
        CampaignState.APPROVED,
        CampaignState.SCHEDULED,
    ],
)
def test_a_page_not_public_yet(world, state):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    for person in (
        None,
        world.other_maker,
        world.other_coach,
        world.other_manager,
        world.contributor,
    ):
        assert english_client(person).get(url(campaign)).status_code == 404
    for person in (world.maker, world.coach, world.manager, world.viewer):
        response = english_client(person).get(url(campaign))
        assert response.status_code == 200
        assert "Preview: this page is not public yet" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
        assert reverse("funding:contribute", args=[campaign.slug]) not in response.content.decode()


def test_unknown_campaign_is_404(db):
    assert english_client().get("/c/nothing-here/").status_code == 404


def _later(monkeypatch, seconds: float) -> None:
    """Move the clock forward: Django's ``timezone.now``, the cache's ``time.time``."""
    now, wall = timezone.now(), time.time()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=seconds))
    monkeypatch.setattr(time, "time", lambda: wall + seconds)


def test_the_total_is_at_most_two_seconds_stale_through_the_anonymous_page_cache(
    world, monkeypatch, django_assert_num_queries
):
    from tremplin.campaigns.public_views import PAGE_VERSION_REUSE

    campaign = world.campaign
    assert "€0</strong> raised" in page(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("42"), contributor_count=1)
    with django_assert_num_queries(0):  # the page and its version, both from the cache
        assert "€0</strong> raised" in page(campaign)
    _later(monkeypatch, PAGE_VERSION_REUSE)
    assert "€42</strong> raised" in page(campaign)  # the version read again: a new key
    # a logged-in visitor (the maker checking the total) always sees it at once
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("50"), contributor_count=2)
    html = english_client(world.contributor).get(url(campaign)).content.decode()
    assert "€50</strong> raised" in html


def test_the_contribute_button_goes_at_the_deadline_even_with_a_remembered_version(
    world, monkeypatch
):
    campaign = world.campaign
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() + timedelta(seconds=3))
    contribute = reverse("funding:contribute", args=[campaign.slug])
    assert contribute in page(campaign)
    _later(monkeypatch, 1.5)
    assert contribute in page(campaign)  # version remembered, page cached: both ≤ deadline
    _later(monkeypatch, 3.5)
    assert contribute not in page(campaign)


def test_the_anonymous_page_is_cached_and_holds_nothing_per_visitor(world):
    campaign = world.campaign
    CommentFactory(campaign=campaign, body="Premier")
    first = english_client().get(url(campaign))
    assert not first.cookies  # no CSRF cookie, no session: storable
    assert "csrfmiddlewaretoken" not in first.content.decode()
    CommentFactory(campaign=campaign, body="Second")  # within the TTL: not seen yet
    assert "Second" not in english_client().get(url(campaign)).content.decode()
    cache.clear()
    assert "Second" in english_client().get(url(campaign)).content.decode()


def _queries(django_assert_max_num_queries, campaign, user, limit):
    browser = english_client(user)
    with django_assert_max_num_queries(limit):
        response = browser.get(url(campaign))
    assert response.status_code == 200


def _fill(campaign, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        RewardFactory(campaign=campaign)
        UpdateFactory(campaign=campaign)
        parent = CommentFactory(campaign=campaign)
        CommentFactory(campaign=campaign, reply_to=parent)
        ContributionFactory(campaign=campaign, confirmed_at=now - timedelta(minutes=i))
        add_image(campaign, alt=f"Image {i}")


@pytest.mark.parametrize("n", [2, 20])
def test_no_n_plus_one_anonymous(django_assert_max_num_queries, n):
    campaign = CampaignFactory()
    _fill(campaign, n)
    cache.clear()
    # 8 + 1: the released communication kit's share image, the page's OpenGraph image
    # (campaigns.signals.share_image, answered by the kit).
    _queries(django_assert_max_num_queries, campaign, None, 9)


@pytest.mark.parametrize("n", [2, 20])
def test_no_n_plus_one_logged_in(django_assert_max_num_queries, n, world):
    campaign = CampaignFactory()
    _fill(campaign, n)
    _queries(django_assert_max_num_queries, campaign, world.contributor, 10)


def test_the_programme_page_lists_its_public_campaigns(world):
    campaign = world.campaign
    hidden = CampaignFactory(programme=campaign.programme, state=CampaignState.DRAFT)
    html = english_client().get(reverse("calls:programme", args=[campaign.programme.slug]))
    text = html.content.decode()
    assert reverse("campaigns:campaign", args=[campaign.slug]) in text
    assert "Live: contribute now" in text
    assert reverse("campaigns:campaign", args=[hidden.slug]) not in text


def test_a_description_written_around_the_services_is_still_sanitised(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(
        description='<p>ok</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    html = page(world.campaign)
    assert "<p>ok</p>" in html
    assert "alert(1)" not in html and "onerror" not in html
