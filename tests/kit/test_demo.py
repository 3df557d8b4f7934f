"""The kit part of the demo: the ten 2019 laureates' kits released, the winter edition's
live campaigns with kits, one waiting for the organiser's release."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tremplin.campaigns.enums import CampaignState
from tremplin.demo import data
from tremplin.demo.load import load_demo
from tremplin.kit.enums import KitState
from tremplin.kit.models import KitVersion, PosterFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    cache.clear()


def test_demo_kits(demo):
    released_2019 = KitVersion.objects.filter(
        campaign__programme__slug=data.PROGRAMME_2019["slug"], state=KitState.RELEASED
    )
    assert released_2019.values("campaign").distinct().count() == 10
    winter = KitVersion.objects.filter(
        campaign__programme__slug="tremplin-makers-lille-hiver",
        campaign__state=CampaignState.LIVE,
    )
    live = winter.values("campaign").distinct().count()
    assert live >= 2
    assert winter.filter(state=KitState.PROOF).count() == 1
    assert winter.filter(state=KitState.RELEASED).count() == live - 1
    assert PosterFormat.objects.filter(code="flyer-a5").exists()
    version = released_2019.first()
    kinds = set(version.items.values_list("kind", "variant"))
    assert {
        ("poster", "a4"),
        ("poster", "a3"),
        ("poster", "abribus"),
        ("poster", "x-flyer-a5"),
    } <= kinds
    assert ("visual", "share") in kinds
    assert all(item.file for item in version.items.exclude(kind="text"))
