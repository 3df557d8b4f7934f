"""Under concurrency, on PostgreSQL with real threads (on SQLite every write transaction is
serialised anyway: BEGIN IMMEDIATE):

- a reward with a stock of 10 and 50 buyers at the same instant: exactly 10 held; the same
  race with a read-check-write instead of the conditional UPDATE oversells;
- one idempotency key posted by many threads: one contribution, one hold;
- a matchfunding pot shared by many campaigns is never overspent; without the pot's row
  lock it is;
- a failing campaign closed twice at once, its refunds attempted by several workers at
  once: every payment refunded exactly once."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.concurrency import run_together
from tests.funding.helpers import checkout_data, contribute, key
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.funding import checkout as checkout_module
from tremplin.funding import matchfunding, settlement
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import AllocationState, MatchRule
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot
from tremplin.funding.offline import record_offline
from tremplin.payments import services as payments
from tremplin.payments.enums import RefundState
from tremplin.payments.models import Refund
from tremplin.sandbox.models import SandboxCharge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]

D = Decimal
BUYERS = 50
STOCK = 10


def _buy(campaign, reward):
    def work(i: int):
        contribution = start_checkout(
            campaign,
            checkout_data(amount="20", reward=reward.pk, email=f"buyer{i}@example.org"),
            idempotency_key=key(),
        )
        return "held" if contribution.reward_id else "no reward"

    return work


def test_stock_of_10_and_50_buyers_sells_exactly_10(campaign):
    reward = RewardFactory(campaign=campaign, min_amount="20.00", stock=STOCK)
    outcomes = run_together(BUYERS, _buy(campaign, reward))
    assert outcomes.count("held") == STOCK, outcomes
    assert outcomes.count("sold_out") == BUYERS - STOCK, outcomes
    reward.refresh_from_db()
    assert reward.claimed == STOCK
    assert Contribution.objects.filter(reward=reward).count() == STOCK


def test_without_the_conditional_update_the_stock_is_oversold(campaign, monkeypatch):
    """The same race with a naive hold: read the stock, check it, write claimed + 1.
    Every buyer reads before any writes, so all of them "get" a reward: oversold. This is
    what the conditional UPDATE (and the reward_never_oversold check) prevent."""
    reward = RewardFactory(campaign=campaign, min_amount="20.00", stock=STOCK)
    read_all = threading.Barrier(BUYERS)

    def read_check_write(reward_id: int) -> bool:
        current = RewardTier.objects.get(pk=reward_id)
        read_all.wait(timeout=30)  # everybody has read, nobody has written yet
        if current.stock is not None and current.claimed >= current.stock:
            return False
        RewardTier.objects.filter(pk=reward_id).update(claimed=current.claimed + 1)
        return True

    monkeypatch.setattr(checkout_module, "hold_reward", read_check_write)
    outcomes = run_together(BUYERS, _buy(campaign, reward))
    sold = Contribution.objects.filter(reward=reward).count()
    assert outcomes.count("held") == sold
    assert sold > STOCK  # oversold
    reward.refresh_from_db()
    assert reward.claimed < sold  # and the counter lost updates


def test_one_key_from_many_threads_makes_one_contribution(campaign):
    reward = RewardFactory(campaign=campaign, min_amount="20.00", stock=STOCK)
    same = key()

    def work(i: int):
        return start_checkout(
            campaign, checkout_data(amount="20", reward=reward.pk), idempotency_key=same
        ).pk

    outcomes = run_together(10, work)
    assert len(set(outcomes)) == 1, outcomes
    assert Contribution.objects.count() == 1
    reward.refresh_from_db()
    assert reward.claimed == 1


# --- matchfunding ---------------------------------------------------------------------------------

CAMPAIGNS = 8


def _pot_race(programme) -> tuple[list, MatchfundingPot]:
    pot = MatchfundingPot.objects.create(
        programme=programme,
        funder_name="MEL",
        budget=D("100.00"),
        rule=MatchRule.RATIO,
        ratio=D("1"),
    )
    campaigns = [CampaignFactory(programme=programme) for _ in range(CAMPAIGNS)]
    recorder = campaigns[0].application.maker

    def work(i: int):
        row = OfflineRow(D("40"), f"Donateur {i}", "cheque", timezone.localdate())
        return record_offline(campaigns[i], row, user=recorder).pk

    return run_together(CAMPAIGNS, work), pot


def test_pot_is_never_overspent_under_concurrency(live_programme, monkeypatch):
    real_lock = matchfunding._lock_pot

    def slow_lock(programme_id):
        pot = real_lock(programme_id)
        time.sleep(0.02)  # hold the lock a little: the others queue behind it
        return pot

    monkeypatch.setattr(matchfunding, "_lock_pot", slow_lock)
    outcomes, pot = _pot_race(live_programme)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    pot.refresh_from_db()
    allocated = sum(
        MatchAllocation.objects.filter(pot=pot, state=AllocationState.CONFIRMED).values_list(
            "amount", flat=True
        ),
        D("0"),
    )
    assert allocated == pot.allocated == pot.budget == D("100.00")
    matched = sum(Campaign.objects.values_list("matched_amount", flat=True), D("0"))
    assert matched == D("100.00")


def test_without_the_pot_lock_it_is_overspent(live_programme, monkeypatch):
    """Without the row lock every thread reads the same remaining budget and allocates
    from it: more is promised than the pot holds."""
    read_all = threading.Barrier(CAMPAIGNS)

    def no_lock(programme_id):
        pot = MatchfundingPot.objects.filter(programme_id=programme_id).first()
        read_all.wait(timeout=30)
        return pot

    def naive_add(pot, amount):  # read-modify-write, as code without the lock would
        MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=pot.allocated + amount)

    monkeypatch.setattr(matchfunding, "_lock_pot", no_lock)
    monkeypatch.setattr(matchfunding, "_add_allocated", naive_add)
    _outcomes, pot = _pot_race(live_programme)
    promised = sum(MatchAllocation.objects.values_list("amount", flat=True), D("0"))
    assert promised > pot.budget


# --- refunds at a failed close --------------------------------------------------------------


def test_failed_close_refunds_exactly_once_under_concurrency(campaign, settings):
    settings.SANDBOX_REFUND_FAILURES = 1  # each refund fails once with a 503 first
    for i in range(6):
        contribute(campaign, "25", email=f"c{i}@example.org")
    Campaign.objects.filter(pk=campaign.pk).update(
        state="failed", ends_at=timezone.now(), closed_at=timezone.now()
    )
    campaign.refresh_from_db()

    closes = run_together(3, lambda i: settlement.close_funds(campaign).refunds_requested)
    assert sorted(closes) == [0, 0, 6], closes
    assert Refund.objects.count() == 6
    later = timezone.now() + timezone.timedelta(hours=7)
    run_together(4, lambda i: payments.retry_due_refunds(now=later))
    refunds = list(Refund.objects.all())
    assert {r.state for r in refunds} == {RefundState.DONE}
    assert all(
        len(charge.refund_keys) == 1 for charge in SandboxCharge.objects.filter(state="refunded")
    )
    campaign.refresh_from_db()
    assert campaign.raised_amount == D("0.00")
    assert campaign.contributor_count == 0
