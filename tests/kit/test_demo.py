"""The kit part of the demo: the ten 2019 laureates' kits released, the winter edition's
live campaigns with kits, one waiting for the organiser's release."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tremplin.campaigns.enums import CampaignState
from tremplin.demo import data
from tremplin.demo.load import load_demo
from tremplin.kit.enums import KitState
from tremplin.kit.models import KitItem, KitVersion, PosterFormat

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


def test_the_demo_queues_the_teaser_of_every_kit_for_the_worker(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With KIT_TEASER on (as `tremplin demo` runs), the kits are made at load time without
    their teaser (fast start) and the completion of each is queued for the worker, after
    the demo's transaction; once run, every kit has its teaser."""
    from django_tasks import default_task_backend

    from tremplin.kit import completion, teaser_kind
    from tremplin.kit.tasks import complete_kit

    settings.KIT_TEASER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    encoded = []

    def stand_in(campaign, path):
        encoded.append(campaign.pk)
        path.write_bytes(b"a stand-in teaser")
        return path

    monkeypatch.setattr(teaser_kind, "make_teaser", stand_in)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_demo()
    assert not [r for r in default_task_backend.results if r.task.func is complete_kit.func]
    for callback in callbacks:  # the transaction commits
        callback()
    cache.clear()

    assert settings.KIT_TEASER is True  # given back after the load
    assert encoded == [] and not KitItem.objects.filter(kind="teaser").exists()
    queued = [r for r in default_task_backend.results if r.task.func is complete_kit.func]
    kits = KitVersion.objects.filter(
        campaign__programme__slug__in=[data.PROGRAMME_2019["slug"], "tremplin-makers-lille-hiver"]
    )
    assert sorted(r.args[0] for r in queued) == sorted(kits.values_list("pk", flat=True))
    assert len(queued) == KitVersion.objects.count() >= 12

    # The worker runs them: every kit, released or waiting, gains its teaser; but the first
    # kit of the 2019 laureate who erased their account (demo/privacy.py): its items went
    # with their data, and the organiser made that campaign's kit again and released it, so
    # the first is superseded (left alone, no data made again) and the new one gains its
    # teaser.
    outcomes = {r.args[0]: completion.complete_version(r.args[0]) for r in queued}
    erased_kits = kits.filter(campaign__application__maker__email__endswith="@erased.invalid")
    emptied, remade = erased_kits.order_by("number")
    assert outcomes.pop(emptied.pk) == completion.NOT_READY
    assert not emptied.items.exists() and emptied.state != KitState.RELEASED
    assert remade.state == KitState.RELEASED and remade.items.filter(kind="teaser").count() == 1
    assert "@erased.invalid" not in "".join(remade.items.values_list("body", flat=True))
    assert set(outcomes.values()) == {completion.COMPLETED}
    for version in kits.exclude(pk=emptied.pk):
        assert version.items.filter(kind="teaser").count() == 1, version
    assert len(encoded) == len(outcomes)
    # the ten 2019 laureates' kits are released, with their teasers
    latest_2019 = {
        v.campaign_id: v
        for v in kits.filter(campaign__programme__slug=data.PROGRAMME_2019["slug"]).order_by(
            "number"
        )
    }
    assert len(latest_2019) == 10
    for version in latest_2019.values():
        assert version.state == KitState.RELEASED
        assert version.items.filter(kind="teaser").count() == 1


def test_without_the_teaser_the_demo_queues_nothing(settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert settings.KIT_TEASER is False  # the tests' settings
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert not [r for r in default_task_backend.results if "complete_kit" in r.task.name]
