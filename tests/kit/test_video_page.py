"""The maker's video page (upload, captions, transcript), with bad input; the public
page's player with its captions; the files served to the player; the kit's rule."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.calls.helpers import image_bytes
from tests.kit.media import VTT, tiny_video
from tests.kit.world import build, login
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import AuditLog
from tremplin.kit import video
from tremplin.kit.captions import parse_webvtt
from tremplin.kit.errors import KitError

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def _url(campaign) -> str:
    return reverse("kit:video_page", args=[campaign.slug])


def _mp4(name="film.mp4"):
    return SimpleUploadedFile(name, tiny_video(), content_type="video/mp4")


def _vtt(data=VTT, name="sous-titres.vtt"):
    return SimpleUploadedFile(name, data, content_type="text/vtt")


def test_only_the_maker_opens_the_video_page(world, client):
    url = _url(world.live)
    assert client.get(url).status_code == 302  # anonymous: log in
    for role in ("manager", "viewer", "partner", "other_partner", "other_manager"):
        assert login(world.users[role]).get(url).status_code == 404
        assert login(world.users[role]).post(url, {"transcript": "x"}).status_code == 404
    assert login(world.users["maker"]).get(url).status_code == 200
    assert Campaign.objects.get(pk=world.live.pk).video_transcript == ""


def test_the_maker_uploads_a_video_and_its_captions(world):
    client = login(world.users["maker"])
    response = client.post(_url(world.live), {"video_file": _mp4(), "captions_file": _vtt()})
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(pk=world.live.pk)
    assert campaign.video_file.name.endswith(".mp4")
    assert "film" not in campaign.video_file.name  # a random name
    stored = campaign.video_captions.read()
    assert [c.text for c in parse_webvtt(stored)] == [
        "Bonjour, je suis Malik.",
        "Je répare des vélos.",
    ]
    assert video.video_status(campaign).in_kit
    video.require_video_for_kit(campaign)
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"tremplin.kit.video_changed", "tremplin.kit.captions_changed"} <= actions

    # The public page plays it with its captions track.
    html = Client().get(reverse("campaigns:campaign", args=[campaign.slug])).content.decode()
    assert "<video" in html
    assert f'src="{reverse("kit:video", args=[campaign.slug])}"' in html
    assert '<track kind="captions" srclang="fr"' in html
    assert reverse("kit:captions", args=[campaign.slug]) in html

    served = Client().get(reverse("kit:captions", args=[campaign.slug]))
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(served.streaming_content) == stored
    film = Client().get(reverse("kit:video", args=[campaign.slug]))
    assert film["Content-Type"] == "video/mp4"
    assert b"".join(film.streaming_content) == tiny_video()


def test_captions_made_from_the_transcript_fill_the_uploaded_video(world):
    client = login(world.users["maker"])
    client.post(_url(world.live), {"video_file": _mp4()})
    assert not video.video_status(Campaign.objects.get(pk=world.live.pk)).in_kit
    response = client.post(
        _url(world.live),
        {"transcript": "Bonjour. Je répare des vélos à Lille.", "make_captions": "on"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=world.live.pk)
    assert campaign.video_transcript == "Bonjour. Je répare des vélos à Lille."
    cues = parse_webvtt(campaign.video_captions.read())
    assert [c.text for c in cues] == ["Bonjour.", "Je répare des vélos à Lille."]
    assert 1.7 <= cues[-1].end <= 2.0  # spread over the 2-second video


def test_a_linked_video_shows_its_captions_and_transcript_beside(world):
    Campaign.objects.filter(pk=world.live.pk).update(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    client = login(world.users["maker"])
    client.post(
        _url(world.live), {"transcript": "Bonjour à toutes et à tous.", "make_captions": "on"}
    )
    html = Client().get(reverse("campaigns:campaign", args=[world.live.slug])).content.decode()
    assert "video-facade" in html
    assert "Bonjour à toutes et à tous." in html
    assert reverse("kit:captions", args=[world.live.slug]) in html
    assert "<video" not in html


def test_a_video_without_captions_stays_out_of_the_kit(world):
    Campaign.objects.filter(pk=world.live.pk).update(video_url="https://vimeo.com/76979871")
    campaign = Campaign.objects.get(pk=world.live.pk)
    assert not video.video_status(campaign).in_kit
    with pytest.raises(KitError, match="captions"):
        video.require_video_for_kit(campaign)
    html = (
        login(world.users["maker"])
        .get(reverse("campaigns:backstage", args=[campaign.slug]))
        .content.decode()
    )
    assert "stays out of the kit" in html or "reste hors du kit" in html


def _renamed_png():
    return SimpleUploadedFile("photo.mp4", image_bytes("PNG"), content_type="video/mp4")


def _fake_mp4():
    return SimpleUploadedFile(
        "fake.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00garbage" * 500, content_type="video/mp4"
    )


BAD_POSTS = {
    "png renamed": lambda: {"video_file": _renamed_png()},
    "text as video": lambda: {"video_file": SimpleUploadedFile("a.mp4", b"hello world" * 10)},
    "mp4 header, no video": lambda: {"video_file": _fake_mp4()},
    "empty video": lambda: {"video_file": SimpleUploadedFile("a.mp4", b"")},
    "upload and remove": lambda: {"video_file": _mp4(), "remove_video": "on"},
    "invalid vtt": lambda: {"captions_file": _vtt(b"WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nA\n")},
    "srt as vtt": lambda: {"captions_file": _vtt(b"1\n00:00:00,000 --> 00:00:01,000\nA\n")},
    "nul in vtt": lambda: {
        "captions_file": _vtt(b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA\x00\n")
    },
    "image as vtt": lambda: {"captions_file": _vtt(image_bytes("PNG"))},
    "huge vtt": lambda: {"captions_file": _vtt(b"WEBVTT\n\n" + b"x" * 600_000)},
    "nul in transcript": lambda: {"transcript": "a\x00b", "make_captions": "on"},
    "huge transcript": lambda: {"transcript": "mot " * 6000, "make_captions": "on"},
    "captions from nothing": lambda: {"make_captions": "on"},
    "file and transcript": lambda: {
        "captions_file": _vtt(),
        "transcript": "Bonjour.",
        "make_captions": "on",
    },
    "html transcript only": lambda: {
        "transcript": "<script>alert(1)</script>",
        "captions_file": _vtt(b"WEBVTT"),
    },
}


@pytest.mark.parametrize("name", BAD_POSTS)
def test_bad_input_is_refused_with_400_and_changes_nothing(world, name):
    client = login(world.users["maker"])
    before = Campaign.objects.get(pk=world.live.pk)
    response = client.post(_url(world.live), BAD_POSTS[name]())
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    after = Campaign.objects.get(pk=world.live.pk)
    assert (
        after.video_file.name,
        after.video_captions.name,
        after.video_transcript,
        after.updated_at,
    ) == (
        before.video_file.name,
        before.video_captions.name,
        before.video_transcript,
        before.updated_at,
    )
    assert not AuditLog.objects.filter(action__startswith="tremplin.kit.").exists()


def test_a_video_too_large_is_refused(world, monkeypatch):
    monkeypatch.setattr(video, "MAX_VIDEO_BYTES", 1000)
    response = login(world.users["maker"]).post(_url(world.live), {"video_file": _mp4()})
    assert response.status_code == 400
    assert not Campaign.objects.get(pk=world.live.pk).video_file


def test_a_video_too_long_is_refused(world, monkeypatch):
    monkeypatch.setattr(video, "MAX_VIDEO_SECONDS", 1)
    response = login(world.users["maker"]).post(_url(world.live), {"video_file": _mp4()})
    assert response.status_code == 400
    assert not Campaign.objects.get(pk=world.live.pk).video_file


def test_without_ffmpeg_the_upload_says_so(world, monkeypatch):
    import imageio_ffmpeg

    def missing():
        raise RuntimeError("No ffmpeg exe could be found.")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    response = login(world.users["maker"]).post(_url(world.live), {"video_file": _mp4()})
    assert response.status_code == 400
    assert "ffmpeg" in response.content.decode()


def test_in_review_the_video_is_frozen_but_captions_may_change(world):
    Campaign.objects.filter(pk=world.live.pk).update(state=CampaignState.IN_REVIEW)
    client = login(world.users["maker"])
    page = client.get(_url(world.live)).content.decode()
    assert 'name="video_file"' not in page
    response = client.post(_url(world.live), {"video_file": _mp4(), "captions_file": _vtt()})
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=world.live.pk)
    assert not campaign.video_file and campaign.video_captions
    with pytest.raises(KitError):
        video.set_video_file(campaign, by=world.users["maker"], upload=_mp4(), kind="mp4")


def test_the_player_files_of_a_page_not_public_yet_are_for_its_team_only(world):
    draft = world.draft
    draft.video_file.save("x.mp4", ContentFile(tiny_video()), save=False)
    draft.video_captions.save("x.vtt", ContentFile(VTT), save=True)
    for name in ("kit:video", "kit:captions"):
        url = reverse(name, args=[draft.slug])
        assert Client().get(url).status_code == 404
        assert login(world.users["partner"]).get(url).status_code == 404
        assert login(world.users["other_manager"]).get(url).status_code == 404
        assert login(world.users["manager"]).get(url).status_code == 200
        assert login(draft.maker).get(url).status_code == 200
    # Nothing to play: 404, not 500.
    assert Client().get(reverse("kit:video", args=[world.live.slug])).status_code == 404
    assert Client().get(reverse("kit:captions", args=[world.live.slug])).status_code == 404


def test_removing_the_video_and_the_captions(world):
    client = login(world.users["maker"])
    client.post(_url(world.live), {"video_file": _mp4(), "captions_file": _vtt()})
    response = client.post(_url(world.live), {"remove_video": "on", "remove_captions": "on"})
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=world.live.pk)
    assert not campaign.video_file and not campaign.video_captions


def test_the_video_is_served_in_byte_ranges_for_the_players(world):
    world.live.video_file.save("x.mp4", ContentFile(tiny_video()), save=True)
    url = reverse("kit:video", args=[world.live.slug])
    data = tiny_video()
    whole = Client().get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = Client().get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part.content == data[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert Client().get(url, HTTP_RANGE="bytes=-5").content == data[-5:]
    assert Client().get(url, HTTP_RANGE="bytes=100-").content == data[100:]
    too_far = Client().get(url, HTTP_RANGE=f"bytes={len(data) + 5}-")
    assert too_far.status_code == 416
    for junk in ("bytes=5-1", "bytes=" + "9" * 40 + "-", "items=0-1", "bytes=a\x00-"):
        assert Client().get(url, HTTP_RANGE=junk).status_code in (200, 416)
