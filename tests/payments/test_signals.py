"""The signals payments sends (``payments.signals``): each once, with the instance, inside
the transaction that changed the row (so a receiver's refusal undoes the change), and
funding's receivers connected under their dispatch_uid."""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection

from tests.payments.helpers import payment_for, totals
from tremplin.funding.enums import ContributionState
from tremplin.funding.receivers import (
    payment_confirmed_receiver,
    payment_failed_receiver,
    refund_done_receiver,
)
from tremplin.payments import services, signals
from tremplin.payments.enums import PaymentState, RefundState
from tremplin.payments.models import Payment, Refund
from tremplin.sandbox import api

pytestmark = pytest.mark.django_db


@contextmanager
def recording(signal):
    """Every sending of ``signal`` while inside: (sender, kwargs, in a transaction, the
    row's state as the database has it at that moment)."""
    calls = []

    def receiver(sender, **kwargs):
        instance = kwargs.get("payment") or kwargs.get("refund")
        stored = type(instance).objects.values_list("state", flat=True).get(pk=instance.pk)
        calls.append((sender, kwargs, connection.in_atomic_block, stored))

    signal.connect(receiver, dispatch_uid="tests.recording", weak=False)
    try:
        yield calls
    finally:
        signal.disconnect(dispatch_uid="tests.recording")


def test_funding_receivers_are_connected_once():
    for signal, receiver in (
        (signals.payment_confirmed, payment_confirmed_receiver),
        (signals.payment_failed, payment_failed_receiver),
        (signals.refund_done, refund_done_receiver),
    ):
        refs = [entry[1] for entry in signal.receivers]
        live = [ref() if isinstance(ref, weakref.ReferenceType) else ref for ref in refs]
        assert live.count(receiver) == 1


def test_payment_confirmed_is_sent_once_inside_the_transaction(campaign):
    payment = payment_for(campaign, "30.00")
    with recording(signals.payment_confirmed) as calls:
        services.confirm_payment(payment.pk)
        services.confirm_payment(payment.pk)  # a duplicate: no second signal
    assert len(calls) == 1
    sender, kwargs, atomic, stored = calls[0]
    assert sender is Payment
    assert isinstance(kwargs["payment"], Payment) and kwargs["payment"].pk == payment.pk
    assert atomic and stored == PaymentState.CONFIRMED


def test_payment_failed_is_sent_once_and_not_after_a_confirmation(campaign):
    payment = payment_for(campaign)
    with recording(signals.payment_failed) as calls:
        services.fail_payment(payment.pk, reason="card_declined")
        services.fail_payment(payment.pk, reason="card_declined")
    assert len(calls) == 1
    sender, kwargs, atomic, stored = calls[0]
    assert sender is Payment and kwargs["payment"].pk == payment.pk
    assert atomic and stored == PaymentState.FAILED
    confirmed = payment_for(campaign)
    services.confirm_payment(confirmed.pk)
    with recording(signals.payment_failed) as calls:
        services.fail_payment(confirmed.pk, reason="late")  # ignored: never un-confirmed
    assert calls == []


def test_cancelling_sends_nothing(campaign):
    payment = payment_for(campaign)
    with recording(signals.payment_failed) as failed, recording(signals.payment_confirmed) as ok:
        services.cancel_payment(payment.pk, reason="checkout_expired")
    assert failed == [] and ok == []


def test_refund_done_is_sent_once_with_the_refund(campaign):
    payment = payment_for(campaign, "42.00")
    api.pay(payment.provider_reference, "4242424242424242")
    services.confirm_payment(payment.pk)
    refund = services.request_refund(payment)
    with recording(signals.refund_done) as calls:
        services.attempt_refund(refund.pk)
        services.attempt_refund(refund.pk)
    assert len(calls) == 1
    sender, kwargs, atomic, stored = calls[0]
    assert sender is Refund and kwargs["refund"].pk == refund.pk
    assert kwargs["refund"].payment.state == PaymentState.CONFIRMED
    assert atomic and stored == RefundState.DONE
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)


def test_a_receiver_that_fails_undoes_the_confirmation(campaign):
    """The receivers run in the payment's transaction: an error there rolls the payment
    back too (nothing is confirmed, nothing counted)."""
    payment = payment_for(campaign, "30.00")

    def broken(sender, payment, **kwargs):
        raise RuntimeError("the receiver failed")

    signals.payment_confirmed.connect(broken, dispatch_uid="tests.broken", weak=False)
    try:
        with pytest.raises(RuntimeError):
            services.confirm_payment(payment.pk)
    finally:
        signals.payment_confirmed.disconnect(dispatch_uid="tests.broken")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert payment.contribution.state == ContributionState.PENDING
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)
