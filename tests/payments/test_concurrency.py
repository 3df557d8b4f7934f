"""Concurrency on PostgreSQL (real threads, real row locks): a webhook delivered several
times at once counts once. First the race without the lock, then the real thing: 20
clients × 100 contributions to one campaign, every webhook delivered 2–3 times in random
order from several threads → exact totals and a clean ledger.

Skipped on SQLite, where every write transaction is serialised anyway (BEGIN IMMEDIATE)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F

from tests.campaigns.factories import CampaignFactory
from tests.payments.helpers import payment_for, replaced_receiver, totals, webhook
from tremplin.campaigns.models import Campaign
from tremplin.core.models import AuditLog
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.funding.receivers import payment_confirmed_receiver
from tremplin.payments import services
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.payments.signals import payment_confirmed
from tremplin.sandbox import api, delivery
from tremplin.sandbox.models import SandboxWebhook

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

GOOD, DECLINED = "4242424242424242", "4000000000000002"


def run_threads(target, args_list, timeout=300) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrapped(*args):
        try:
            target(*args)
        except BaseException as error:  # collected and re-raised by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors


def naive_payment_confirmed_receiver(sender, payment, **kwargs) -> None:
    """A receiver that trusts the payment lock: no lock of its own, totals with F()."""
    Contribution.objects.filter(pk=payment.contribution_id).update(
        state=ContributionState.CONFIRMED
    )
    Campaign.objects.filter(pk=payment.contribution.campaign_id).update(
        raised_amount=F("raised_amount") + payment.amount,
        contributor_count=F("contributor_count") + 1,
    )


@contextmanager
def naive_receiver():
    """funding's receiver of ``payment_confirmed`` replaced by the naive one meanwhile."""
    with replaced_receiver(
        payment_confirmed,
        "funding.payment_confirmed",
        payment_confirmed_receiver,
        naive_payment_confirmed_receiver,
    ):
        yield


def same_webhook_twice_at_once(payment) -> None:
    errors = run_threads(lambda: webhook(payment), [() for _ in range(2)])
    assert not errors, errors


def test_without_the_lock_a_duplicate_webhook_counts_twice(monkeypatch):
    """Both deliveries read the payment PENDING before either writes, and both count it:
    this is the double count that ``select_for_update`` prevents."""
    campaign = CampaignFactory()
    payment = payment_for(campaign, "40.00")
    barrier = threading.Barrier(2)

    def read_without_lock(payment_pk):
        fresh = Payment.objects.select_related("contribution__campaign__programme").get(
            pk=payment_pk
        )
        barrier.wait(timeout=10)  # both have read PENDING; neither has written
        return fresh

    monkeypatch.setattr(services, "_lock_payment", read_without_lock)
    with naive_receiver():
        same_webhook_twice_at_once(payment)
    assert totals(campaign)[:2] == (Decimal("80.00"), 2)  # counted twice
    confirmed = AuditLog.objects.filter(
        action="tremplin.payment.confirmed", object_id=str(payment.pk)
    )
    assert confirmed.count() == 2


def test_with_the_lock_the_same_race_counts_once(monkeypatch):
    """The same race, the same naive receiver, the real lock (held a little longer so
    that the second delivery waits on it): counted once."""
    campaign = CampaignFactory()
    payment = payment_for(campaign, "40.00")
    real_lock = services._lock_payment

    def slow_lock(payment_pk):
        locked = real_lock(payment_pk)
        time.sleep(0.2)
        return locked

    monkeypatch.setattr(services, "_lock_payment", slow_lock)
    with naive_receiver():
        same_webhook_twice_at_once(payment)
    assert totals(campaign)[:2] == (Decimal("40.00"), 1)
    confirmed = AuditLog.objects.filter(
        action="tremplin.payment.confirmed", object_id=str(payment.pk)
    )
    assert confirmed.count() == 1


CLIENTS = 20
PER_CLIENT = 100
SENDERS = 8


def test_twenty_clients_a_hundred_contributions_each_with_chaotic_webhooks(settings):
    settings.SANDBOX_CHAOS = True
    settings.SANDBOX_CHAOS_MAX_DUPLICATES = 2  # each webhook delivered 2–3 times
    settings.SANDBOX_CHAOS_MAX_DELAY = 0
    settings.SANDBOX_WEBHOOK_DELIVERY = "poll"  # our sender threads deliver them
    campaign = CampaignFactory(goal=Decimal("1000000.00"))
    expected: dict[str, Decimal] = {}  # charge id -> amount, for the paid ones
    declined: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        for i in range(PER_CLIENT):
            amount = Decimal(rng.randint(500, 20000)) / 100
            contribution = start_checkout(
                campaign,
                {
                    "amount": str(amount).replace(".", ","),
                    "name": f"Client {n}-{i}",
                    "email": f"client{n}.{i}@example.org",
                },
                idempotency_key=uuid.uuid4().hex,
            )
            payment = services.create_payment(contribution)
            card = DECLINED if i % 10 == 9 else GOOD
            api.pay(payment.provider_reference, card)
            with lock:
                if card == GOOD:
                    expected[payment.provider_reference] = amount
                else:
                    declined.append(payment.provider_reference)

    errors = run_threads(client, [(n,) for n in range(CLIENTS)])
    assert not errors, errors[:3]
    assert Payment.objects.count() == CLIENTS * PER_CLIENT
    webhooks = list(SandboxWebhook.objects.values_list("pk", flat=True))
    assert 2 * CLIENTS * PER_CLIENT <= len(webhooks) <= 3 * CLIENTS * PER_CLIENT
    random.shuffle(webhooks)

    def sender(chunk: list[int]) -> None:
        for pk in chunk:
            assert delivery.deliver(pk) is True

    chunks = [webhooks[i::SENDERS] for i in range(SENDERS)]
    errors = run_threads(sender, [(chunk,) for chunk in chunks])
    assert not errors, errors[:3]
    assert not SandboxWebhook.objects.filter(delivered_at__isnull=True).exists()

    raised, count, _ = totals(campaign)
    assert count == len(expected) == CLIENTS * PER_CLIENT * 9 // 10
    assert raised == sum(expected.values())
    assert Payment.objects.filter(state=PaymentState.CONFIRMED).count() == len(expected)
    assert Payment.objects.filter(state=PaymentState.FAILED).count() == len(declined)
    assert AuditLog.objects.filter(action="tremplin.payment.confirmed").count() == len(expected)
    out = StringIO()
    call_command("audit-ledger", stdout=out)
    assert out.getvalue().startswith("Ledger clean")
