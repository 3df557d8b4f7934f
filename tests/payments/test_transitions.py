"""The payment and refund state tables (``payments.enums``) and their use by the
transitions."""

from __future__ import annotations

import pytest

from tests.payments.helpers import payment_for
from tremplin.core.errors import DomainError
from tremplin.payments import services
from tremplin.payments.enums import (
    PAYMENT_OPEN,
    PAYMENT_TRANSITIONS,
    REFUND_FINAL,
    REFUND_TRANSITIONS,
    PaymentState,
    RefundState,
)
from tremplin.payments.models import Payment, Refund


def test_every_state_has_its_row():
    assert set(PAYMENT_TRANSITIONS) == set(PaymentState.values)
    assert set(REFUND_TRANSITIONS) == set(RefundState.values)
    for table, states in ((PAYMENT_TRANSITIONS, PaymentState), (REFUND_TRANSITIONS, RefundState)):
        for targets in table.values():
            assert targets <= set(states.values)


def test_a_confirmed_payment_never_changes_state():
    assert PAYMENT_TRANSITIONS[PaymentState.CONFIRMED] == set()
    assert all(PaymentState.CONFIRMED in PAYMENT_TRANSITIONS[s] for s in PaymentState.values[:2])


def test_a_late_confirmation_is_allowed():
    for state in (PaymentState.FAILED, PaymentState.CANCELLED):
        assert PaymentState.CONFIRMED in PAYMENT_TRANSITIONS[state]
    assert set(PaymentState.values) - {PaymentState.CONFIRMED} == services.CONFIRMABLE
    assert services.FAILABLE == services.CANCELLABLE == set(PAYMENT_OPEN)


def test_a_done_refund_is_final():
    assert REFUND_TRANSITIONS[RefundState.DONE] == set()
    assert REFUND_TRANSITIONS[RefundState.OUTSIDE] == set()
    assert set(REFUND_FINAL) == {RefundState.DONE, RefundState.FAILED, RefundState.OUTSIDE}
    assert REFUND_TRANSITIONS[RefundState.CREATED] == {RefundState.DONE, RefundState.FAILED}


def test_a_failed_refund_is_retried_or_recorded_outside():
    assert REFUND_TRANSITIONS[RefundState.FAILED] == {
        RefundState.DONE,
        RefundState.CREATED,
        RefundState.OUTSIDE,
    }


def test_payment_error_is_a_domain_error():
    assert issubclass(services.PaymentError, DomainError)


def test_a_transition_outside_the_table_is_refused():
    confirmed = Payment(state=PaymentState.CONFIRMED)
    with pytest.raises(services.PaymentError):
        services._check_payment_transition(confirmed, PaymentState.FAILED)
    services._check_payment_transition(confirmed, PaymentState.CONFIRMED)  # no change
    with pytest.raises(services.PaymentError):
        services._check_refund_transition(Refund(state=RefundState.DONE), RefundState.FAILED)


@pytest.mark.django_db
def test_the_transitions_check_the_table(campaign, monkeypatch):
    """A failure or a cancellation the table refuses is refused by the verb too, and
    nothing changes."""
    payment = payment_for(campaign)
    narrowed = {**PAYMENT_TRANSITIONS, PaymentState.PENDING: {PaymentState.CONFIRMED}}
    monkeypatch.setattr(services, "PAYMENT_TRANSITIONS", narrowed)
    with pytest.raises(services.PaymentError):
        services.fail_payment(payment.pk, reason="card_declined")
    with pytest.raises(services.PaymentError):
        services.cancel_payment(payment.pk)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
