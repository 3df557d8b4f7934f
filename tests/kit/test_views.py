"""The kit's pages: who may see and do what (maker, organiser, viewer, partner member, other
organiser → 404, anonymous), the release and the texts through the back-office, the formats
form with bad input, the share image as the campaign page's OpenGraph image."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PartnerMembershipFactory, UserFactory
from tremplin.kit import generation
from tremplin.kit.enums import KitState
from tremplin.kit.models import KitVersion, PosterFormat
from tremplin.kit.release import release

pytestmark = pytest.mark.django_db


def client(user=None) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.fixture
def version(campaign):
    return generation.request_kit(campaign, reason="approved", run="now")


@pytest.fixture
def partner_member(kit_programme):
    partner = kit_programme.partners.first()
    return PartnerMembershipFactory(partner=partner).user


def urls(version):
    campaign = version.campaign
    poster = version.items.get(kind="poster", variant="a4")
    text = version.items.filter(kind="text").first()
    return {
        "proof": f"/mes-campagnes/{campaign.slug}/kit/",
        "file": f"/kit/{campaign.slug}/v{version.number}/fichier/{poster.pk}/",
        "progress": f"/kit/{campaign.slug}/v{version.number}/progression/",
        "manage": f"/gestion/mel/kits/campagnes/{campaign.slug}/",
        "text": f"/gestion/mel/kits/campagnes/{campaign.slug}/v{version.number}/textes/{text.pk}/",
        "programme": f"/gestion/mel/kits/programmes/{campaign.programme.slug}/",
        "formats": "/gestion/mel/kits/formats/",
    }


def test_who_sees_what(version, maker, manager, viewer, other_manager, partner_member):
    paths = urls(version)
    stranger = UserFactory()
    expected = {
        # proof, file, progress (maker and organiser's team); back-office (team only)
        "maker": (maker, {"proof": 200, "file": 200, "progress": 200, "manage": 404}),
        "manager": (manager, {"proof": 404, "file": 200, "manage": 200, "text": 200}),
        "viewer": (viewer, {"proof": 404, "file": 200, "manage": 200, "text": 403}),
        "other_manager": (
            other_manager,
            {"proof": 404, "file": 404, "manage": 404, "text": 404, "programme": 404},
        ),
        "partner": (partner_member, {"proof": 404, "file": 404, "manage": 404, "formats": 404}),
        "stranger": (stranger, {"proof": 404, "file": 404, "progress": 404}),
    }
    for role, (user, statuses) in expected.items():
        browser = client(user)
        for name, status in statuses.items():
            assert browser.get(paths[name]).status_code == status, (role, name)
    anonymous = client()
    for name in ("proof", "file", "manage", "formats"):
        response = anonymous.get(paths[name])
        assert response.status_code == 302 and "/comptes/" in response["Location"], name


def test_the_organiser_releases_from_the_back_office(version, manager, viewer, maker):
    path = urls(version)["manage"]
    assert (
        client(viewer).post(path, {"action": "release", "version": version.pk}).status_code == 403
    )
    assert client(maker).post(path, {"action": "release", "version": version.pk}).status_code == 404
    version.refresh_from_db()
    assert version.state == KitState.PROOF
    page = client(manager).get(path).content.decode()
    assert "Release version 1" in page and "Proof to check" in page
    response = client(manager).post(path, {"action": "release", "version": version.pk})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == KitState.RELEASED
    # Twice: a clear refusal, nothing changes.
    again = client(manager).post(path, {"action": "release", "version": version.pk})
    assert again.status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"action": "release", "version": "9" * 40},
        {"action": "release", "version": "a\x00b"},
        {"action": "release"},
        {"action": "<script>"},
        {},
    ],
)
def test_release_bad_input(version, manager, data):
    response = client(manager).post(urls(version)["manage"], data)
    assert response.status_code in (400, 404)
    version.refresh_from_db()
    assert version.state == KitState.PROOF


def test_regenerate_makes_a_new_version(version, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client(manager).post(urls(version)["manage"], {"action": "regenerate"})
    assert response.status_code == 302
    assert KitVersion.objects.filter(campaign=version.campaign).count() == 2
    version.refresh_from_db()
    assert version.state == KitState.SUPERSEDED


def test_edit_a_text_and_bad_input(version, manager, viewer):
    path = urls(version)["text"]
    item = version.items.filter(kind="text").first()
    assert client(viewer).post(path, {"body": "Nouveau"}).status_code == 403
    for body in ("", "   ", "a\x00b", "x" * 10001):
        response = client(manager).post(path, {"body": body})
        assert response.status_code == 400, body
    item.refresh_from_db()
    assert item.edited_at is None
    html = "<script>alert(1)</script> Soutenez-nous !"
    assert client(manager).post(path, {"body": html}).status_code == 302
    item.refresh_from_db()
    assert item.body == html and item.edited_by == manager
    page = client(manager).get(urls(version)["manage"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    release(version, user=manager)
    assert client(manager).post(path, {"body": "Trop tard"}).status_code == 400
    item.refresh_from_db()
    assert item.body == html


def test_press_release_edit_remakes_its_pdf(version, manager):
    item = version.items.get(kind="press", language="fr")
    before = item.file.open("rb").read()
    path = f"/gestion/mel/kits/campagnes/{version.campaign.slug}/v1/textes/{item.pk}/"
    response = client(manager).post(path, {"body": "Un titre neuf\n\nUn paragraphe neuf."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.file.open("rb").read() != before


def test_formats_form_and_bad_input(manager, viewer, organiser):
    path = "/gestion/mel/kits/formats/"
    good = {
        "name": "Quai de métro",
        "code": "quai",
        "width_mm": "4000",
        "height_mm": "3000",
        "bleed_mm": "10",
        "reading_distance_cm": "600",
        "channel": "metro",
        "quantity": "4",
    }
    assert client(viewer).post(path, good).status_code == 403
    bad_values = [
        {"name": ""},
        {"name": "x" * 500},
        {"name": "a\x00b"},
        {"code": "a4"},  # a built-in code
        {"code": "<script>"},
        {"width_mm": "9" * 40},
        {"width_mm": "10"},
        {"height_mm": "-5"},
        {"height_mm": "1e308"},
        {"bleed_mm": "50"},
        {"reading_distance_cm": "NaN"},
        {"channel": "a b/c"},
        {"channel": "<script>"},
        {"quantity": "0"},
        {"quantity": "9" * 40},
    ]
    for change in bad_values:
        response = client(manager).post(path, {**good, **change})
        assert response.status_code == 400, change
    assert not PosterFormat.objects.exists()
    assert client(manager).post(path, good).status_code == 302
    created = PosterFormat.objects.get(organiser=organiser)
    assert (created.width_mm, created.channel) == (4000, "metro")
    assert client(manager).post(path, good).status_code == 400  # the same code twice
    edit = f"/gestion/mel/kits/formats/{created.pk}/"
    assert client(manager).post(edit, {**good, "bleed_mm": "abc"}).status_code == 400
    assert client(manager).post(edit, {**good, "bleed_mm": "3"}).status_code == 302
    created.refresh_from_db()
    assert created.bleed_mm == 3
    assert client(viewer).post(edit, {"action": "delete"}).status_code == 403
    assert client(manager).post(edit, {"action": "delete"}).status_code == 302
    assert not PosterFormat.objects.exists()


def test_other_organiser_cannot_touch_a_format(manager, other_manager, organiser):
    from tremplin.kit.formats import add_format

    row = add_format(
        organiser,
        user=manager,
        values={
            "name": "Flyer",
            "code": "flyer",
            "width_mm": 148,
            "height_mm": 210,
            "bleed_mm": 3,
            "reading_distance_cm": 40,
            "channel": "flyer",
            "quantity": 100,
        },
    )
    edit = f"/gestion/autre/kits/formats/{row.pk}/"
    assert client(other_manager).post(edit, {"action": "delete"}).status_code == 404
    assert client(other_manager).get(f"/gestion/mel/kits/formats/{row.pk}/").status_code == 404
    assert PosterFormat.objects.filter(pk=row.pk).exists()


def test_print_zip_for_the_organiser_only_when_released(version, manager, viewer, other_manager):
    path = f"/gestion/mel/kits/programmes/{version.campaign.programme.slug}/impression/a4.zip"
    assert client(manager).get(path).status_code == 404  # nothing released yet
    release(version, user=manager)
    response = client(viewer).get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert client(other_manager).get(path).status_code == 404
    assert client(manager).get(path.replace("a4.zip", "nope.zip")).status_code == 404


def test_share_image_is_the_og_image_once_released(version, manager, campaign):
    page = client().get(f"/c/{campaign.slug}/").content.decode()
    assert "partage.png" not in page
    share = f"/kit/{campaign.slug}/v1/partage.png"
    assert client().get(share).status_code == 404  # not released
    release(version, user=manager)
    from django.core.cache import cache

    cache.clear()
    page = client().get(f"/c/{campaign.slug}/").content.decode()
    assert f'content="https://tremplin.example{share}"' in page
    response = client().get(share)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_short_link_redirects_tracked(campaign):
    response = client().get(f"/k/{campaign.slug}/bus/")
    assert response.status_code == 302
    assert response["Location"] == f"https://tremplin.example/c/{campaign.slug}/?canal=bus"
    assert client().get("/k/nope/bus/").status_code == 404


def test_progress_fragment_while_generating(campaign, maker):
    version = generation.request_kit(campaign, reason="approved", run="later")
    response = client(maker).get(f"/kit/{campaign.slug}/v{version.number}/progression/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<progress" in body and 'hx-trigger="every 2s"' in body
    generation.generate_version(version.pk)
    done = client(maker).get(
        f"/kit/{campaign.slug}/v{version.number}/progression/", HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"
    assert 'value="100"' in done.content.decode()


def test_a_file_lost_by_the_storage_is_a_404_never_a_500(version, manager):
    release(version, user=manager)
    poster = version.items.get(kind="poster", variant="a4")
    poster.file.storage.delete(poster.file.name)
    assert client(manager).get(urls(version)["file"]).status_code == 404
    path = f"/gestion/mel/kits/programmes/{version.campaign.programme.slug}/impression/a4.zip"
    assert client(manager).get(path).status_code == 404  # nothing left to print


def test_printers_signed_link(version, manager, monkeypatch):
    from django.core import signing

    from tremplin.kit.downloads import PRINTER_LINK_DAYS, printer_token

    programme = version.campaign.programme
    token = printer_token(programme, "abribus")
    path = f"/kit/imprimeur/{token}/"
    assert client().get(path).status_code == 404  # nothing released yet
    release(version, user=manager)
    response = client().get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    page = client(manager).get(f"/gestion/mel/kits/programmes/{programme.slug}/").content.decode()
    assert "/kit/imprimeur/" in page
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client().get(f"/kit/imprimeur/{tampered}/").status_code == 404
    assert client().get("/kit/imprimeur/%00/").status_code == 404
    other = signing.dumps({"p": programme.pk, "f": "nope"}, salt="tremplin.kit.printer")
    assert client().get(f"/kit/imprimeur/{other}/").status_code == 404
    later = __import__("time").time() + (PRINTER_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client().get(path).status_code == 404  # expired
