"""The embeddable progress card and badge: what they show, that they are cached like the
campaign page and follow its totals, that only they may be framed by other sites, and the
snippet shown to the maker, the organiser and the partners (not to others)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.kit.world import build, login
from tremplin.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_widget_shows_the_progress_and_a_tracked_link(world):
    response = Client().get(reverse("kit:widget", args=[world.live.slug]))
    assert response.status_code == 200
    html = _text(response)
    assert "Atelier vélo" in html
    assert "1 250" in html and "4 000" in html
    assert 'value="31"' in html  # 1 250 of 4 000: 31 %
    assert "?canal=widget" in html
    assert 'target="_blank"' in html
    assert "<script" not in html and "<form" not in html


def test_the_widget_and_badge_may_be_framed_anywhere(world):
    for name in ("kit:widget", "kit:badge"):
        for _ in range(2):  # rendered, then from the page cache
            response = Client().get(reverse(name, args=[world.live.slug]))
            assert response.status_code == 200
            assert _policy(response)["frame-ancestors"] == ["*"]
            assert "X-Frame-Options" not in response
            assert _policy(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("campaigns:campaign", args=[w.live.slug]),
        lambda w: reverse("calls:programme", args=[w.programme.slug]),
        lambda w: "/",
        lambda w: reverse("account_login"),
    ],
)
def test_every_other_page_refuses_to_be_framed(world, url):
    response = Client().get(url(world))
    assert _policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_widget_is_cached_like_the_campaign_page_and_follows_its_totals(
    world, django_assert_max_num_queries
):
    url = reverse("kit:widget", args=[world.live.slug])
    first = Client().get(url)
    with django_assert_max_num_queries(0):  # the version is reused: no query at all
        assert Client().get(url).content == first.content
    Campaign.objects.filter(pk=world.live.pk).update(raised_amount=Decimal("2000.00"))
    from django.core.cache import cache

    cache.clear()  # (the version is reused for 2 seconds; the cache is emptied instead)
    assert "2 000" in _text(Client().get(url))


def test_the_badge_is_an_accessible_svg(world):
    response = Client().get(reverse("kit:badge", args=[world.live.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.get("role") == "img"
    svg = "{http://www.w3.org/2000/svg}"
    assert "Atelier vélo" in root.find(f"{svg}title").text
    assert int(root.get("width")) == 360
    bar = root.findall(f"{svg}rect")[2]
    assert int(bar.get("width")) == round(328 * 31 / 100)
    assert b"<script" not in response.content


def test_a_title_with_markup_is_escaped_in_the_badge_and_widget(world):
    Campaign.objects.filter(pk=world.live.pk).update(title='<script>alert(1)</script>"&')
    badge = Client().get(reverse("kit:badge", args=[world.live.slug]))
    ET.fromstring(badge.content)  # noqa: S314 (still well-formed XML)
    assert b"<script>" not in badge.content
    widget = Client().get(reverse("kit:widget", args=[world.live.slug]))
    assert b"<script>alert" not in widget.content


@pytest.mark.parametrize("slug", ["teintures", "brouillon", "nope", "9" * 40])
def test_no_widget_before_the_campaign_is_public(world, slug):
    assert Client().get(reverse("kit:widget", args=[slug])).status_code == 404
    assert Client().get(reverse("kit:badge", args=[slug])).status_code == 404


def test_the_widget_answers_get_only(world):
    assert Client().post(reverse("kit:widget", args=[world.live.slug])).status_code == 405


@pytest.mark.parametrize("role", ["maker", "manager", "viewer"])
def test_the_maker_and_organiser_see_the_snippet(world, role):
    url = (
        reverse("campaigns:backstage", args=[world.live.slug])
        if role == "maker"
        else reverse("campaigns_manage:detail", args=["mel", world.live.slug])
    )
    html = login(world.users[role]).get(url).content.decode()
    assert "kit-widget-snippet" in html
    assert "&lt;iframe src=&quot;" in html  # shown as text, never an iframe of our page
    assert reverse("kit:widget", args=[world.live.slug]) in html
    assert reverse("kit:badge", args=[world.live.slug]) in html


def test_the_snippet_waits_for_the_launch(world):
    html = (
        login(world.users["manager"])
        .get(reverse("campaigns_manage:detail", args=["mel", world.approved.slug]))
        .content.decode()
    )
    assert "kit-widget-snippet" not in html
    assert reverse("kit:widget", args=[world.approved.slug]) not in html
