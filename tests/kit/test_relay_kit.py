"""The released kit on the partners' portal: its items, their texts with the partner's own
tracked link, and downloads for the partner's members only; a proof is never shown."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.kit.world import build, login
from tremplin.kit.enums import KitState
from tremplin.kit.links import tracked_url
from tremplin.kit.models import KitItem, KitVersion

pytestmark = pytest.mark.django_db


def _version(campaign, number: int, state: str) -> KitVersion:
    version = KitVersion.objects.create(
        campaign=campaign, number=number, state=state, reason="approved", fingerprint="x" * 64
    )
    link = tracked_url(campaign.slug, "reseaux-sociaux")
    text = KitItem.objects.create(
        version=version,
        kind="text",
        group="text",
        variant="post-court",
        language="fr",
        label=f"Post court v{number}",
        body=f"Soutenez l'atelier ! {link}",
        tracked_url=link,
        position=1,
    )
    visual = KitItem(
        version=version,
        kind="visual",
        group="visual",
        variant="1080x1080",
        label=f"Visuel carré v{number}",
        media_type="image/png",
        alt_text="L'atelier vélo et ses bénévoles",
        position=2,
    )
    visual.file.save(f"visuel-v{number}.png", ContentFile(b"\x89PNG v%d" % number), save=True)
    return version, text, visual


@pytest.fixture
def world():
    return build()


def _portal(world):
    return reverse("kit:relay_programme", args=[world.partner.slug, world.programme.slug])


def _download(world, item, partner=None):
    return reverse(
        "kit:relay_kit_item", args=[(partner or world.partner).slug, world.programme.slug, item.pk]
    )


def test_the_released_kit_is_shown_with_the_partners_own_link(world):
    _old, _, old_visual = _version(world.live, 1, KitState.SUPERSEDED)
    _released, text, visual = _version(world.live, 2, KitState.RELEASED)
    _proof, proof_text, proof_visual = _version(world.live, 3, KitState.PROOF)
    html = login(world.users["partner"]).get(_portal(world)).content.decode()
    assert "Post court v2" in html and "Visuel carré v2" in html
    # Neither the proof nor the old version (their labels and downloads, not a bare
    # "v3": a random CSRF token may hold those two characters).
    for number, item in ((1, old_visual), (3, proof_text), (3, proof_visual)):
        assert f"Post court v{number}" not in html and f"Visuel carré v{number}" not in html
        assert _download(world, item) not in html
    assert "L&#x27;atelier vélo et ses bénévoles" in html
    # The text carries the partner's tracked link, not the social networks' one.
    assert "canal=partenaire&amp;ref=universite-de-lille" in html
    assert "canal=reseaux-sociaux" not in html
    assert _download(world, visual) in html


def test_only_the_partners_members_download_a_released_item(world):
    _released, text, visual = _version(world.live, 1, KitState.RELEASED)
    response = login(world.users["partner"]).get(_download(world, visual))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG v1"
    assert "attachment" in response["Content-Disposition"]
    for role in ("other_partner", "foreign_partner", "maker", "manager", "viewer"):
        assert login(world.users[role]).get(_download(world, visual)).status_code == 404
    other = _download(world, visual, partner=world.other_partner)
    assert login(world.users["other_partner"]).get(other).status_code == 200  # its own door
    assert login(world.users["partner"]).get(_download(world, text)).status_code == 404  # no file


def test_a_proof_or_a_superseded_item_is_not_downloadable(world):
    _proof, _, proof_visual = _version(world.live, 1, KitState.PROOF)
    assert login(world.users["partner"]).get(_download(world, proof_visual)).status_code == 404
    assert (
        login(world.users["partner"])
        .get(
            reverse(
                "kit:relay_kit_item", args=[world.partner.slug, world.programme.slug, 987654321]
            )
        )
        .status_code
        == 404
    )


def test_a_campaign_without_a_released_kit_says_so(world):
    html = login(world.users["partner"]).get(_portal(world)).content.decode()
    assert "once the organiser has released it" in html or "une fois que l" in html
