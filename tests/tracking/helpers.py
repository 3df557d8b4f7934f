"""Helpers of the tracking tests: a simulated clock, contributions through the real funding
and payments services at chosen moments, and an independent recomputation of a campaign's
daily figures straight from the rows (the oracle the series are checked against)."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

from django.utils import timezone

from tests.funding.helpers import checkout_data, key, pay
from tremplin.core.dates import PARIS
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution, MatchAllocation
from tremplin.funding.offline import record_offline, record_offline_refund
from tremplin.payments import services as payments
from tremplin.sandbox import api


@contextlib.contextmanager
def clock(moment: datetime.datetime):
    """``timezone.now()`` is ``moment`` inside the block (the services read it there)."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield moment
    finally:
        timezone.now = real


def paris(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def checkout(campaign, amount="25", channel="", attribution=None) -> Contribution:
    return start_checkout(
        campaign,
        checkout_data(amount=amount),
        idempotency_key=key(),
        channel=channel,
        attribution=attribution or {},
    )


def contribute_at(campaign, moment, amount="25", channel="", **attribution) -> Contribution:
    with clock(moment):
        contribution = checkout(campaign, amount, channel, attribution)
        pay(contribution)
    contribution.refresh_from_db()
    return contribution


def open_at(campaign, moment, amount="25", channel=""):
    """A checkout paid at the provider whose webhook has not arrived yet."""
    with clock(moment):
        contribution = checkout(campaign, amount, channel)
        payment = payments.create_payment(contribution)
        api.pay(payment.provider_reference, "4242424242424242")
    return payment


def webhook_at(payment, moment) -> None:
    with clock(moment):
        payments.confirm_payment(payment.pk)


def refund_at(contribution: Contribution, moment, capture) -> None:
    with clock(moment):
        if contribution.source == ContributionSource.ONLINE:
            payment = contribution.payments.get(state="confirmed")
            with capture(execute=True):
                payments.request_refund(payment)
        else:
            record_offline_refund(contribution, user=None)


def offline_at(campaign, moment, received_on, amount="40") -> Contribution:
    with clock(moment):
        row = OfflineRow(
            amount=Decimal(amount), name="Chèque", source="cheque", received_on=received_on
        )
        return record_offline(campaign, row, user=None, key=key())


def expected(campaign, day: datetime.date, channel: str = "") -> dict:
    """The figures of ``campaign`` at the end of ``day`` recomputed from its rows, one by
    one, in Python (no shared code with tracking.series)."""
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS)
    end = start + datetime.timedelta(days=1)
    first = timezone.localtime(campaign.starts_at, PARIS).date()
    counts_from_start = day == first
    raised = Decimal("0")
    contributors = new = refunds = 0
    new_amount = refunded = Decimal("0")
    for c in Contribution.objects.filter(campaign=campaign):
        if c.state not in (ContributionState.CONFIRMED, ContributionState.REFUNDED):
            continue
        if channel and (c.channel or "direct") != channel:
            continue
        confirmed = c.confirmed_at < end
        refunded_by_end = c.refunded_at is not None and c.refunded_at < end
        if confirmed and not refunded_by_end:
            raised += c.amount
            contributors += 1
        if (counts_from_start or c.confirmed_at >= start) and confirmed:
            new += 1
            new_amount += c.amount
        refunded_today = c.refunded_at is not None and c.refunded_at < end
        if refunded_today and (counts_from_start or c.refunded_at >= start):
            refunds += 1
            refunded += c.amount
    matched = Decimal("0")
    for a in MatchAllocation.objects.filter(campaign=campaign).select_related("contribution"):
        if channel and (a.contribution is None or (a.contribution.channel or "direct") != channel):
            continue
        if a.created_at < end and (a.released_at is None or a.released_at >= end):
            matched += a.amount
    return {
        "raised_cents": int(raised * 100),
        "matched_cents": int(matched * 100),
        "contributors": contributors,
        "new_contributions": new,
        "new_cents": int(new_amount * 100),
        "refunds": refunds,
        "refunded_cents": int(refunded * 100),
    }


def figures(row) -> dict:
    return {
        "raised_cents": row.raised_cents,
        "matched_cents": row.matched_cents,
        "contributors": row.contributors,
        "new_contributions": row.new_contributions,
        "new_cents": row.new_cents,
        "refunds": row.refunds,
        "refunded_cents": row.refunded_cents,
    }
