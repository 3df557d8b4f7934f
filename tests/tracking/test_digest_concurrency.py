"""The daily digest is sent once even with two workers: on PostgreSQL, two threads send
the day's digests at the same instant. Without the claim (a naive read, check, write) both
send every digest; with the conditional UPDATE of ``sent_at``, each goes once."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from tests.concurrency import run_together
from tests.factories import MembershipFactory
from tests.tracking.alert_helpers import live_campaign, live_programme
from tremplin.tracking import digest
from tremplin.tracking.models import DigestDelivery

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 2


@pytest.fixture
def three_recipients(organiser, manager, viewer):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    MembershipFactory(organiser=organiser, role="admin")
    live_campaign(live_programme(organiser), raised="300")
    return 3


def test_without_the_claim_two_workers_send_every_digest_twice(three_recipients, monkeypatch):
    read_all = threading.Barrier(WORKERS)

    def read_check_write(delivery_id, now):
        current = DigestDelivery.objects.get(pk=delivery_id)
        read_all.wait(timeout=30)  # both have read "not sent", neither has written
        if current.sent_at is not None:
            return False
        DigestDelivery.objects.filter(pk=delivery_id).update(sent_at=now)
        return True

    monkeypatch.setattr(digest, "_claim_delivery", read_check_write)
    outcomes = run_together(WORKERS, lambda i: digest.send_daily_digests()["sent"])
    assert outcomes == [three_recipients, three_recipients], outcomes
    assert len(mail.outbox) == 2 * three_recipients  # every digest went twice


def test_with_the_claim_two_workers_send_each_digest_once(three_recipients, monkeypatch):
    real_claim = digest._claim_delivery
    both_ready = threading.Barrier(WORKERS)

    def claim_together(delivery_id, now):
        both_ready.wait(timeout=30)  # the same instant as above, then the real claim
        return real_claim(delivery_id, now)

    monkeypatch.setattr(digest, "_claim_delivery", claim_together)
    outcomes = run_together(WORKERS, lambda i: digest.send_daily_digests()["sent"])
    assert sum(outcomes) == three_recipients, outcomes
    assert len(mail.outbox) == three_recipients
    assert sorted(m.to[0] for m in mail.outbox) == sorted({m.to[0] for m in mail.outbox})
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == three_recipients
