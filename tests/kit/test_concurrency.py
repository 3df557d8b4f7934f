"""Under concurrency, on PostgreSQL with real threads: page changes at the same instant make
numbered versions one after the other (the campaign's row lock), exactly one left current;
the same race without the lock makes duplicates."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.concurrency import run_together
from tremplin.kit import generation
from tremplin.kit.enums import KitState
from tremplin.kit.models import KitVersion

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]
THREADS = 6


def _request(campaign):
    def work(i: int):
        version = generation.request_kit(campaign, reason="changed", force=True, run="later")
        return version.number

    return work


def test_simultaneous_requests_make_one_current_version(campaign):
    outcomes = run_together(THREADS, _request(campaign))
    assert sorted(outcomes) == list(range(1, THREADS + 1)), outcomes
    versions = KitVersion.objects.filter(campaign=campaign)
    assert versions.filter(state=KitState.GENERATING).count() == 1
    assert versions.filter(state=KitState.SUPERSEDED).count() == THREADS - 1
    assert versions.get(state=KitState.GENERATING).number == THREADS


def test_without_the_lock_the_race_makes_duplicates(campaign, monkeypatch):
    def no_lock(campaign_or_id):
        time.sleep(0.3)  # everyone reads the latest version before anyone writes

    monkeypatch.setattr(generation, "lock_campaign", no_lock)
    outcomes = run_together(THREADS, _request(campaign))
    versions = KitVersion.objects.filter(campaign=campaign)
    current = versions.filter(state=KitState.GENERATING).count()
    assert "IntegrityError" in outcomes or current > 1, outcomes
