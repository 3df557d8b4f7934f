"""Receipt numbers stay unique and gap-free per beneficiary and year under concurrency, on
PostgreSQL with real threads: 50 payments of a campaign that has already succeeded are
confirmed at the same instant (late confirmations: each gift's receipt is issued as its
confirmation commits). Without the counter's row lock, the same race numbers receipts
twice (the test shows it)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency import run_together
from tests.donors.conftest import ADDRESS, close_now, give
from tests.funding.helpers import checkout
from tremplin.donors import receipts as receipts_module
from tremplin.donors.models import Receipt, ReceiptCounter
from tremplin.funding.models import Contribution
from tremplin.payments import services as payments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]

GIFTS = 50


def _paid_but_unconfirmed(campaign) -> list[int]:
    """GIFTS checkouts whose payments were opened while the campaign was live, then the
    campaign succeeds (another gift reached the goal); their confirmations (what the
    provider's webhook calls: ``payments.confirm_payment``) come after, all at once."""
    payment_pks = []
    for i in range(GIFTS):
        contribution = checkout(campaign, "10", email=f"donor{i}@example.org")
        Contribution.objects.filter(pk=contribution.pk).update(**ADDRESS)
        payment_pks.append(payments.create_payment(contribution).pk)
    give(campaign, "150", email="first@example.org")
    close_now(campaign)
    assert Receipt.objects.count() == 1
    # The counter row of the year exists (the first receipt made it).
    ReceiptCounter.objects.get(year=timezone.localdate().year)
    return payment_pks


def _confirm(payment_pks):
    def work(i: int):
        payments.confirm_payment(payment_pks[i])
        return "confirmed"

    return work


def test_50_concurrent_confirmations_get_gap_free_numbers(campaign, entitled):
    payment_pks = _paid_but_unconfirmed(campaign)
    outcomes = run_together(GIFTS, _confirm(payment_pks))
    assert outcomes == ["confirmed"] * GIFTS, outcomes
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, GIFTS + 2))
    counter = ReceiptCounter.objects.get()
    assert counter.last_number == GIFTS + 1


def test_without_the_counter_lock_numbers_collide(campaign, entitled, monkeypatch):
    """The same race with the counter read without its row lock: every issuer reads the
    same last number before any writes, so they all take the same next number; the unique
    constraint refuses all but one, and those gifts get no receipt."""
    payment_pks = _paid_but_unconfirmed(campaign)
    read_all = threading.Barrier(GIFTS)

    def read_without_lock(organiser_id, key, year):
        counter = ReceiptCounter.objects.get(
            organiser_id=organiser_id, beneficiary_key=key, year=year
        )
        with contextlib.suppress(threading.BrokenBarrierError):
            read_all.wait(timeout=20)  # everybody has read, nobody has written yet
        return counter

    monkeypatch.setattr(receipts_module, "_read_counter", read_without_lock)
    run_together(GIFTS, _confirm(payment_pks))
    confirmed = Contribution.objects.filter(state="confirmed").count()
    issued = Receipt.objects.count()
    assert confirmed == GIFTS + 1  # the money side is unaffected
    assert issued < GIFTS + 1, "without the lock some gifts should have lost their receipt"
