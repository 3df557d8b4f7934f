"""Completing a made kit version (kit/completion.py): the teaser planned since it was made is
added to a released version, and nothing else changes; a second run, or two at once, adds
nothing; versions still generating, failed, superseded or made from older content are left
alone; without ffmpeg the teaser item says so. The teaser's encoding is replaced by a
stand-in here (tests/kit/test_generation.py and test_teaser.py run the real ffmpeg)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from tests.concurrency import run_together
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import describe
from tremplin.core.models import AuditLog
from tremplin.kit import actions, completion, generation, relay, teaser_kind
from tremplin.kit.enums import ItemGroup, KitState
from tremplin.kit.models import KitItem, KitVersion
from tremplin.kit.release import release, set_kit_state

pytestmark = pytest.mark.django_db
FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42 a stand-in teaser"


def stand_in(campaign, path):
    path.write_bytes(FAKE_MP4)
    return path


@pytest.fixture
def encodes(monkeypatch):
    """The teaser's encoding, replaced by a stand-in that counts its calls."""
    calls = []

    def counted(campaign, path):
        calls.append(campaign.pk)
        return stand_in(campaign, path)

    monkeypatch.setattr(teaser_kind, "make_teaser", counted)
    return calls


@pytest.fixture
def released(campaign, manager):
    """A released version made while the teaser was off (as the demo makes them)."""
    version = generation.request_kit(campaign, reason="approved", run="now")
    assert not version.items.filter(kind=teaser_kind.KIND).exists()
    return release(version, user=manager)


def snapshot(version: KitVersion) -> list[tuple]:
    return list(
        version.items.order_by("pk").values_list(
            "pk", "kind", "variant", "language", "file", "body", "position", "warnings"
        )
    )


def completed_entries(version: KitVersion) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=actions.KIT_COMPLETED, object_id=str(version.pk)))


def test_the_teaser_is_added_to_a_released_version_and_nothing_else(
    released, manager, settings, encodes
):
    settings.KIT_TEASER = True
    before = snapshot(released)
    count = len(before)

    assert completion.complete_version(released.pk) == completion.COMPLETED

    version = KitVersion.objects.get(pk=released.pk)
    assert snapshot(version)[:count] == before  # the items it had, untouched
    [teaser] = version.items.exclude(pk__in=[row[0] for row in before])
    assert (teaser.kind, teaser.variant, teaser.language) == ("teaser", "vertical", "fr")
    assert teaser.group == ItemGroup.VIDEO
    assert teaser.file.read() == FAKE_MP4
    assert teaser.file.name.endswith(f"{version.campaign.slug}-v1-teaser-vertical-fr.mp4")
    assert teaser.tracked_url.endswith("?canal=video")
    assert teaser.position == count  # last, where the generation puts it
    assert teaser.label == "Vidéo teaser (30 s, 1080 × 1920)"  # the site's language
    # The version keeps its state and its release; its counts follow.
    assert version.state == KitState.RELEASED
    assert (version.released_at, version.released_by) == (released.released_at, manager)
    assert version.items_total == version.items_done == count + 1
    assert version.completing_until is None  # the claim is given back
    # What partners relay: the released kit, now with its teaser.
    relayed = relay.released_items([version.campaign])[version.campaign_id]
    assert teaser in relayed and len(relayed) == count + 1
    [entry] = completed_entries(version)
    assert entry.data == {"number": 1, "added": [teaser.label], "items": count + 1}
    assert entry.organiser_id == version.campaign.programme.organiser_id
    with translation.override("fr"):
        from tremplin.core.audit import action_label

        assert action_label(entry.action) == "Kit de communication complété (éléments ajoutés)"
        assert ("éléments ajoutés", teaser.label) in describe(entry)


def test_a_second_run_adds_nothing(released, settings, encodes):
    settings.KIT_TEASER = True
    assert completion.complete_version(released.pk) == completion.COMPLETED
    after_first = snapshot(released)
    assert completion.complete_version(released.pk) == completion.COMPLETE
    assert snapshot(released) == after_first
    assert released.items.filter(kind="teaser").count() == 1
    assert len(encodes) == 1  # not even made again
    assert len(completed_entries(released)) == 1


def test_with_nothing_planned_since_nothing_is_added(released, encodes):
    # KIT_TEASER is off in the tests: the version already has every planned item.
    before = snapshot(released)
    assert completion.complete_version(released.pk) == completion.COMPLETE
    assert snapshot(released) == before
    released.refresh_from_db()
    assert released.completing_until is None  # no claim taken for nothing
    assert encodes == [] and completed_entries(released) == []


def test_a_proof_waiting_for_its_release_is_completed_too(campaign, settings, encodes):
    version = generation.request_kit(campaign, reason="approved", run="now")
    settings.KIT_TEASER = True
    assert completion.complete_version(version.pk) == completion.COMPLETED
    version.refresh_from_db()
    assert version.state == KitState.PROOF and version.released_at is None
    assert version.items.filter(kind="teaser").count() == 1


def test_a_run_that_finds_the_teaser_saved_meanwhile_saves_nothing(released, settings, monkeypatch):
    """Two runs both past the claim (say a lease that ran out while the first was still
    encoding): the second finds the item under the version's lock and keeps the first."""
    settings.KIT_TEASER = True
    monkeypatch.setattr(completion, "_claim", lambda version_id: timezone.now())
    monkeypatch.setattr(completion, "_renew", lambda version_id, claim: claim)
    inner: list[str] = []
    encoding = []

    def teaser_while_another_run_saves_it(campaign, path):
        encoding.append(campaign.pk)
        if len(encoding) == 1:  # the other run makes and saves it while this one encodes
            inner.append(completion.complete_version(released.pk))
        path.write_bytes(FAKE_MP4)
        return path

    monkeypatch.setattr(teaser_kind, "make_teaser", teaser_while_another_run_saves_it)
    assert completion.complete_version(released.pk) == completion.COMPLETE
    assert inner == [completion.COMPLETED] and len(encoding) == 2
    assert released.items.filter(kind="teaser").count() == 1
    assert len(completed_entries(released)) == 1


def test_a_version_claimed_by_another_worker_is_left_to_it(released, settings, encodes):
    settings.KIT_TEASER = True
    busy_until = timezone.now() + timedelta(minutes=3)
    KitVersion.objects.filter(pk=released.pk).update(completing_until=busy_until)
    assert completion.complete_version(released.pk) == completion.BUSY
    assert not released.items.filter(kind="teaser").exists() and encodes == []
    released.refresh_from_db()
    assert released.completing_until == busy_until


def test_the_claim_of_a_killed_worker_runs_out(released, settings, encodes):
    settings.KIT_TEASER = True
    KitVersion.objects.filter(pk=released.pk).update(
        completing_until=timezone.now() - timedelta(seconds=1)
    )
    assert completion.complete_version(released.pk) == completion.COMPLETED
    assert released.items.filter(kind="teaser").count() == 1


def test_the_lease_is_shorter_than_the_recovery_of_a_stuck_task(settings):
    settings.TASK_RUNNING_TIMEOUT = 15 * 60
    assert completion._lease() == completion.CLAIM_LEASE < timedelta(minutes=15)
    settings.TASK_RUNNING_TIMEOUT = 60
    assert completion._lease() == timedelta(seconds=30)


def test_a_version_being_generated_is_left_alone(campaign, settings, encodes):
    settings.KIT_TEASER = True
    version = generation.request_kit(campaign, reason="approved", run="later")
    assert version.state == KitState.GENERATING
    assert completion.complete_version(version.pk) == completion.NOT_READY
    assert not version.items.exists() and encodes == []
    version.refresh_from_db()
    assert version.completing_until is None


def test_a_failed_version_is_left_alone(campaign, settings, monkeypatch, encodes):
    from tremplin.kit import visuals

    def broken(content, size):
        raise RuntimeError("boom")

    monkeypatch.setattr(visuals, "render_visual", broken)
    failed = generation.request_kit(campaign, reason="approved", run="now")
    assert failed.state == KitState.FAILED
    monkeypatch.undo()
    settings.KIT_TEASER = True
    before = snapshot(failed)
    assert completion.complete_version(failed.pk) == completion.NOT_READY
    assert snapshot(failed) == before
    failed.refresh_from_db()
    assert failed.state == KitState.FAILED


def test_a_superseded_version_is_left_alone(released, settings, encodes):
    set_kit_state(released, KitState.SUPERSEDED, action=actions.KIT_SUPERSEDED)
    settings.KIT_TEASER = True
    assert completion.complete_version(released.pk) == completion.NOT_READY
    assert not released.items.filter(kind="teaser").exists() and encodes == []


def test_a_version_made_from_older_content_is_left_alone(released, settings, encodes):
    """The page changed since: a teaser of the new title would not match the posters."""
    Campaign.objects.filter(pk=released.campaign_id).update(title="Un autre titre")
    settings.KIT_TEASER = True
    assert completion.complete_version(released.pk) == completion.CHANGED
    assert not released.items.filter(kind="teaser").exists() and encodes == []


def test_a_version_deleted_meanwhile_is_nothing_to_do():
    assert completion.complete_version(10**9) == completion.NOT_READY


def test_without_ffmpeg_the_teaser_item_says_so(released, settings, monkeypatch):
    import imageio_ffmpeg

    def missing():
        raise RuntimeError("No ffmpeg exe could be found. Install ffmpeg on your system.")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    settings.KIT_TEASER = True
    assert completion.complete_version(released.pk) == completion.COMPLETED
    teaser = released.items.get(kind="teaser")
    assert not teaser.file
    [warning] = teaser.warnings
    assert warning["code"] == "ffmpeg_missing"
    assert "imageio-ffmpeg" in warning["message"] and teaser.body == warning["message"]
    released.refresh_from_db()
    assert released.state == KitState.RELEASED


def test_a_teaser_that_fails_leaves_the_version_as_it_was(released, settings, monkeypatch):
    """ffmpeg failing: the task fails (its error in the task table), the released version
    keeps its items and state, its claim is given back so a later run can try again."""

    def failing(campaign, path):
        raise RuntimeError("ffmpeg crashed")

    monkeypatch.setattr(teaser_kind, "make_teaser", failing)
    settings.KIT_TEASER = True
    before = snapshot(released)
    with pytest.raises(RuntimeError, match="ffmpeg crashed"):
        completion.complete_version(released.pk)
    released.refresh_from_db()
    assert snapshot(released) == before
    assert released.state == KitState.RELEASED and released.completing_until is None
    assert completed_entries(released) == []

    monkeypatch.undo()  # ffmpeg works again: a later run adds the teaser
    monkeypatch.setattr(teaser_kind, "make_teaser", stand_in)
    assert completion.complete_version(released.pk) == completion.COMPLETED


def test_the_task_completes_the_version(released, settings, encodes):
    from tremplin.kit.tasks import complete_kit

    settings.KIT_TEASER = True
    result = complete_kit.enqueue(released.pk)  # the tests' backend runs it at once
    assert result.return_value == completion.COMPLETED
    assert released.items.filter(kind="teaser").count() == 1


# --- two workers at once (PostgreSQL, real threads) ------------------------------------------


def _slow_teaser(monkeypatch, seconds: float = 0.5):
    import time

    calls = []

    def slow(campaign, path):
        calls.append(campaign.pk)
        time.sleep(seconds)  # both workers are under way before either saves
        path.write_bytes(FAKE_MP4)
        return path

    monkeypatch.setattr(teaser_kind, "make_teaser", slow)
    return calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")
def test_two_workers_at_once_make_one_teaser(released, settings, monkeypatch):
    settings.KIT_TEASER = True
    calls = _slow_teaser(monkeypatch)
    outcomes = run_together(2, lambda i: completion.complete_version(released.pk))
    assert sorted(outcomes) == [completion.BUSY, completion.COMPLETED], outcomes
    assert len(calls) == 1  # the claim: made once
    assert KitItem.objects.filter(version=released, kind="teaser").count() == 1
    assert len(completed_entries(released)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")
def test_without_the_claim_both_make_it_and_one_is_saved(released, settings, monkeypatch):
    """The claim only saves the work: with both past it, the row lock and the check keep
    one teaser."""
    settings.KIT_TEASER = True
    calls = _slow_teaser(monkeypatch)
    monkeypatch.setattr(completion, "_claim", lambda version_id: timezone.now())
    monkeypatch.setattr(completion, "_renew", lambda version_id, claim: claim)
    outcomes = run_together(2, lambda i: completion.complete_version(released.pk))
    assert sorted(outcomes) == [completion.COMPLETE, completion.COMPLETED], outcomes
    assert len(calls) == 2
    assert KitItem.objects.filter(version=released, kind="teaser").count() == 1
    version = KitVersion.objects.get(pk=released.pk)
    assert version.items_done == version.items_total == version.items.count()


def test_the_teaser_shows_on_the_kit_pages_once_made(released, maker, manager, settings, encodes):
    """The maker's proof, the organiser's kit page and the partners' portal list the
    released kit's items: the teaser joins them, its file served as an MP4."""
    from django.test import Client

    from tests.factories import PartnerMembershipFactory

    campaign = released.campaign
    partner = campaign.programme.partners.first()
    member = PartnerMembershipFactory(partner=partner).user
    pages = {
        maker: f"/mes-campagnes/{campaign.slug}/kit/",
        manager: f"/gestion/mel/kits/campagnes/{campaign.slug}/",
        member: f"/relais/{partner.slug}/{campaign.programme.slug}/",
    }
    browsers = {}
    for user in pages:
        browsers[user] = Client(HTTP_ACCEPT_LANGUAGE="en")
        browsers[user].force_login(user)
    for user, path in pages.items():
        page = browsers[user].get(path)
        assert page.status_code == 200, path
        assert "Vidéo teaser" not in page.content.decode(), path

    settings.KIT_TEASER = True
    assert completion.complete_version(released.pk) == completion.COMPLETED
    teaser = released.items.get(kind="teaser")
    assert teaser.label.startswith("Vidéo teaser")
    file_url = f"/kit/{campaign.slug}/v{released.number}/fichier/{teaser.pk}/"
    relay_url = f"/relais/{partner.slug}/{campaign.programme.slug}/kit/{teaser.pk}/"
    for user, path in pages.items():
        html = browsers[user].get(path).content.decode()
        assert teaser.label in html, path
        assert (relay_url if user is member else file_url) in html, path
    response = browsers[maker].get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == FAKE_MP4
