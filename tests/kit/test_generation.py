"""A kit version end to end: every item made, visuals of the exact sizes, every QR code
decoded to its tracked link, texts with their links, approval and page changes making new
versions, the release, the printers' ZIP."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image

from tests.kit.helpers import decode_qr, pdf_facts, render_pdf
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.page import PageChanges, update_campaign_page
from tremplin.kit import downloads, generation, registry
from tremplin.kit.content import content_of
from tremplin.kit.enums import KitState
from tremplin.kit.errors import KitError
from tremplin.kit.formats import builtin_formats
from tremplin.kit.models import KitVersion
from tremplin.kit.release import release, set_kit_state

pytestmark = pytest.mark.django_db
BASE = "https://tremplin.example/c/atelier-velo/"


@pytest.fixture
def version(campaign):
    return generation.request_kit(campaign, reason="approved", run="now")


def test_every_item_is_made_and_the_version_is_a_proof(campaign, version):
    assert version.state == KitState.PROOF
    planned = registry.plan(content_of(campaign))
    assert version.items_total == len(planned) == version.items.count() == version.items_done
    kinds = {item.kind for item in version.items.all()}
    assert kinds == {"poster", "visual", "text", "press"}
    assert version.progress_percent == 100


def test_visuals_have_exact_sizes_alt_texts_and_qr(version):
    sizes = {"square": (1080, 1080), "portrait": (1080, 1350), "story": (1080, 1920)}
    sizes["share"] = (1200, 630)
    for item in version.items.filter(kind="visual"):
        image = Image.open(item.file.open("rb"))
        assert image.size == sizes[item.variant]
        assert image.format == "PNG"
        assert "Atelier vélo solidaire" in item.alt_text
        assert item.details["alt_text_en"].startswith("Visual of the campaign")
        found = decode_qr(image.convert("RGB"))
        if item.variant == "share":
            assert found == []
        else:
            assert found == [f"{BASE}?canal=reseaux"], item.variant


def test_every_pdf_qr_decodes_to_its_channel(version):
    expected = {"a4": "affiche", "a3": "affiche", "abribus": "bus"}
    for item in version.items.filter(kind="poster"):
        data = item.file.open("rb").read()
        assert decode_qr(render_pdf(data, long_side=2400)) == [
            f"{BASE}?canal={expected[item.variant]}"
        ]
    for item in version.items.filter(kind="press"):
        data = item.file.open("rb").read()
        assert all(font["embedded"] for font in pdf_facts(data)["fonts"])
        assert decode_qr(render_pdf(data, long_side=2400)) == [f"{BASE}?canal=presse"]


def test_texts_in_both_languages_with_tracked_links(version):
    texts = version.items.filter(kind="text")
    assert {t.language for t in texts} == {"fr", "en"}
    by_key = {(t.variant, t.language): t for t in texts}
    assert by_key[("email", "fr")].tracked_url == f"{BASE}?canal=email"
    assert f"{BASE}?canal=email" in by_key[("email", "en")].body
    assert by_key[("magazine", "fr")].tracked_url == f"{BASE}?canal=magazine"
    assert f"{BASE}?canal=magazine" in by_key[("magazine", "fr")].body
    facebook = by_key[("facebook-short", "en")]
    assert facebook.tracked_url == f"{BASE}?canal=reseaux&utm_source=facebook"
    assert facebook.tracked_url in facebook.body
    for variant in ("facebook", "linkedin", "mastodon", "instagram"):
        assert len(by_key[(f"{variant}-short", "fr")].body) <= 280
    assert (
        "Soutenez" in by_key[("facebook-short", "fr")].body
        or by_key[("facebook-short", "fr")].body != facebook.body
    )


def test_approval_makes_the_kit_through_the_signal(
    campaign, manager, django_capture_on_commit_callbacks
):
    from tremplin.campaigns.models import Campaign
    from tremplin.campaigns.review import approve

    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.IN_REVIEW)
    campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        approve(campaign, user=manager)
    version = KitVersion.objects.get(campaign=campaign)
    assert version.reason == "approved"
    assert version.state == KitState.PROOF
    from django.core import mail

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # Each in their language (the maker's is French).
    assert "prêt à vérifier" in subjects[campaign.application.maker.email]
    assert manager.email in subjects  # the organiser's team is told too


def test_content_change_regenerates_and_needs_a_new_release(
    campaign, version, manager, maker, django_capture_on_commit_callbacks
):
    release(version, user=manager)
    version.refresh_from_db()
    assert version.state == KitState.RELEASED
    # A change that is not in the kit (a reward) makes no new version.
    with django_capture_on_commit_callbacks(execute=True):
        update_campaign_page(campaign, user=maker, changes=PageChanges(fields={"video_url": ""}))
    assert KitVersion.objects.filter(campaign=campaign).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        update_campaign_page(
            campaign, user=maker, changes=PageChanges(fields={"title": "Atelier vélo pour tous"})
        )
    newer = KitVersion.objects.get(campaign=campaign, number=2)
    assert newer.reason == "changed"
    assert newer.state == KitState.PROOF  # waits for a new release
    version.refresh_from_db()
    assert version.state == KitState.RELEASED  # printers keep the released one meanwhile
    poster = newer.items.get(kind="poster", variant="a4")
    assert "Atelier vélo pour tous" in content_of(campaign).title
    assert poster.file.name != version.items.get(kind="poster", variant="a4").file.name
    release(newer, user=manager)
    version.refresh_from_db()
    newer.refresh_from_db()
    assert (version.state, newer.state) == (KitState.SUPERSEDED, KitState.RELEASED)
    # Earlier versions are kept, labelled.
    assert version.items.count() == newer.items.count()


def test_only_the_latest_proof_can_be_released(campaign, version, manager):
    newer = generation.request_kit(campaign, reason="manual", force=True, run="now")
    version.refresh_from_db()
    assert version.state == KitState.SUPERSEDED  # an unreleased proof is replaced at once
    with pytest.raises(KitError):
        release(version, user=manager)
    release(newer, user=manager)
    with pytest.raises(KitError):
        release(newer, user=manager)  # already released


def test_release_needs_an_organiser_editor(version, maker, viewer):
    for user in (maker, viewer):
        with pytest.raises(KitError):
            release(version, user=user)
    version.refresh_from_db()
    assert version.state == KitState.PROOF


def test_the_transition_table_is_enforced(version):
    with pytest.raises(KitError):
        set_kit_state(version, KitState.GENERATING, action="tremplin.kit.generated")


def test_a_failing_generator_fails_the_version(campaign, monkeypatch):
    from tremplin.kit import visuals

    def broken(content, size):
        raise RuntimeError("boom")

    monkeypatch.setattr(visuals, "render_visual", broken)
    version = generation.request_kit(campaign, reason="approved", run="now")
    assert version.state == KitState.FAILED
    assert "boom" in version.error
    again = generation.request_kit(campaign, reason="manual", run="now")
    assert again is not None and again.number == 2  # a failed version is made again


def test_print_zip_has_the_posters_and_a_manifest(campaign, version, manager, kit_programme):
    release(version, user=manager)
    a3 = next(s for s in builtin_formats() if s.code == "a3")
    data, count = downloads.print_zip(kit_programme, a3)
    assert count == 1
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"manifest.csv", "manifest.json", "atelier-velo-a3-v1.pdf"} == names
    manifest = json.loads(archive.read("manifest.json"))
    [row] = manifest["posters"]
    assert row["quantity"] == 20 and row["campaign"] == "Atelier vélo solidaire"
    assert row["laureate"]
    assert pdf_facts(archive.read("atelier-velo-a3-v1.pdf"))["trim"][2:] == (
        17 + 297,
        17 + 420,
    )
    assert b"laureate,campaign,format" in archive.read("manifest.csv")


def test_the_teaser_is_an_item_of_the_kit_when_it_is_on(campaign, settings, tmp_path):
    """With ``KIT_TEASER`` on, the version holds the 30-second vertical MP4 (in the video
    group, linked with ``?canal=video``); without ffmpeg the item says why instead of
    failing the kit."""
    from tremplin.kit import teaser_kind
    from tremplin.kit.errors import FfmpegMissing
    from tremplin.kit.ffmpeg import probe

    settings.KIT_TEASER = True
    made = generation.request_kit(campaign, reason="approved", run="now")
    assert made.state == KitState.PROOF
    item = made.items.get(kind="teaser")
    assert item.tracked_url.endswith("?canal=video")
    path = tmp_path / "teaser.mp4"
    path.write_bytes(item.file.read())
    info = probe(path)
    assert (info.width, info.height, info.codec) == (1080, 1920, "h264")
    assert abs(info.duration - 30.0) < 0.1

    def missing(*args, **kwargs):
        raise FfmpegMissing("ffmpeg is not installed")

    original = teaser_kind.make_teaser
    teaser_kind.make_teaser = missing
    try:
        unit = registry.plan(content_of(campaign))[-1]
        result = teaser_kind.TEASER.make(content_of(campaign), unit)
    finally:
        teaser_kind.make_teaser = original
    assert result.data is None
    assert result.warnings == [{"code": "ffmpeg_missing", "message": "ffmpeg is not installed"}]


def test_the_kit_never_prints_the_makers_e_mail_for_a_name(campaign, maker):
    """A maker without a name (or erased: their e-mail is then a pseudonym) is not named by
    their e-mail on posters and texts: the name is left out."""
    campaign.application.maker_name = ""
    campaign.application.save(update_fields=["maker_name"])
    maker.full_name = ""
    maker.save(update_fields=["full_name"])
    content = content_of(campaign)
    assert content.maker_name == ""
    assert maker.email not in repr(content)
