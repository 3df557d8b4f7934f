"""The relay part of the demo: the Université de Lille's member has relayed two live
winter campaigns and sees, on the portal, the contributions that came through its links."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.kit.world import login
from tremplin.core.models import Partner, User
from tremplin.demo import data
from tremplin.demo.load import DEMO_LOGINS, load_demo
from tremplin.funding.models import Contribution
from tremplin.kit import relay
from tremplin.kit.models import RelayMark

pytestmark = pytest.mark.django_db


def test_the_university_has_relayed_two_campaigns_and_sees_what_it_brought():
    load_demo()
    partner = Partner.objects.get(slug="universite-de-lille", organiser__slug="mel")
    member = User.objects.get(email=data.MEL_PARTNERS[0].member.email)
    assert any(login_.email == member.email for login_ in DEMO_LOGINS)
    marks = RelayMark.objects.filter(partner=partner)
    assert marks.values("campaign").distinct().count() == 2
    assert all(m.created_by == member for m in marks)

    # (the 2019 edition's contributions came through the partners' links too: demo/tracking.py)
    brought = Contribution.objects.filter(
        channel="partenaire",
        attribution__ref=partner.slug,
        campaign__programme__slug="tremplin-makers-lille-hiver",
    )
    assert brought.count() > 0
    expected = sum((c.amount for c in brought.filter(state="confirmed")), Decimal("0"))

    client = login(member)
    home = client.get(reverse("kit:relay_home"))
    assert home.status_code == 200
    url = reverse("kit:relay_programme", args=[partner.slug, "tremplin-makers-lille-hiver"])
    assert url in home.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["total"].amount == expected > 0
    assert response.context["total"].contributions == brought.count()
    campaigns = [card["campaign"] for card in response.context["cards"]]
    totals = relay.results(partner, campaigns)
    assert sum(b.contributions for b in totals.by_campaign.values()) == brought.count()
    # The dashboard leads there.
    assert reverse("kit:relay_home") in client.get(reverse("core:dashboard")).content.decode()


def test_a_live_winter_video_has_captions_made_from_its_transcript():
    from django.test import Client

    from tremplin.campaigns.models import Campaign
    from tremplin.kit.captions import parse_webvtt

    load_demo()
    captioned = Campaign.objects.exclude(video_captions="").get()
    assert captioned.video_url and captioned.video_transcript
    assert len(parse_webvtt(captioned.video_captions.read())) > 5
    html = Client().get(reverse("campaigns:campaign", args=[captioned.slug])).content.decode()
    assert reverse("kit:captions", args=[captioned.slug]) in html
