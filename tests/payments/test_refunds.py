"""Refunds happen exactly once: retried on provider errors, never sent twice, even when
the process dies between the provider's answer and our save."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payments.helpers import payment_for, totals, webhook
from tremplin.core.models import AuditLog
from tremplin.funding.enums import ContributionState
from tremplin.payments import services
from tremplin.payments.enums import PaymentState, RefundState
from tremplin.payments.models import Refund
from tremplin.sandbox import api
from tremplin.sandbox.models import SandboxCharge

pytestmark = pytest.mark.django_db


def confirmed_payment(campaign, amount="50.00"):
    payment = payment_for(campaign, amount)
    api.pay(payment.provider_reference, "4242424242424242")
    assert webhook(payment).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    return payment


def charge_of(payment) -> SandboxCharge:
    return SandboxCharge.objects.get(public_id=payment.provider_reference)


def test_a_refund_is_done_once_and_the_totals_go_down(campaign, django_capture_on_commit_callbacks):
    payment = confirmed_payment(campaign)
    assert totals(campaign)[:2] == (Decimal("50.00"), 1)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.request_refund(payment)
    refund.refresh_from_db()
    assert refund.state == RefundState.DONE
    assert refund.attempts == 1
    assert refund.provider_reference.startswith("re_")
    assert refund.amount == Decimal("50.00")
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)
    payment.contribution.refresh_from_db()
    assert payment.contribution.state == ContributionState.REFUNDED
    # Asking again, attempting again: nothing more happens.
    assert services.request_refund(payment).pk == refund.pk
    again = services.attempt_refund(refund.pk, now=timezone.now() + timedelta(days=1))
    assert again.state == RefundState.DONE and again.attempts == 1
    assert len(charge_of(payment).refund_keys) == 1
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)
    assert AuditLog.objects.filter(action="tremplin.refund.done").count() == 1


def test_only_a_confirmed_payment_can_be_refunded(campaign):
    payment = payment_for(campaign)
    with pytest.raises(services.PaymentError):
        services.request_refund(payment)
    assert not Refund.objects.exists()


def test_provider_errors_are_retried_with_backoff_then_done_once(campaign, settings):
    settings.SANDBOX_REFUND_FAILURES = 2
    payment = confirmed_payment(campaign, "35.00")
    refund = services.request_refund(payment)  # its task is not run: we drive the attempts
    now = timezone.now()

    first = services.attempt_refund(refund.pk, now=now)
    assert first.state == RefundState.CREATED
    assert first.attempts == 1
    assert "503" in first.last_error
    assert first.next_attempt_at > now
    # Not due yet: a task or sweep running now leaves it alone.
    assert services.attempt_refund(refund.pk, now=now).attempts == 1
    assert services.retry_due_refunds(now=now) == 0

    later = first.next_attempt_at + timedelta(seconds=1)
    assert services.retry_due_refunds(now=later) == 0  # second attempt: still failing
    second = Refund.objects.get(pk=refund.pk)
    assert second.attempts == 2 and second.state == RefundState.CREATED
    assert second.next_attempt_at - later > first.next_attempt_at - now  # backoff grows

    assert services.retry_due_refunds(now=second.next_attempt_at + timedelta(seconds=1)) == 1
    done = Refund.objects.get(pk=refund.pk)
    assert done.state == RefundState.DONE and done.attempts == 3
    charge = charge_of(payment)
    assert charge.state == "refunded"
    assert charge.refund_attempts == 3
    assert len(charge.refund_keys) == 1
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)
    assert AuditLog.objects.filter(action="tremplin.refund.retry_scheduled").count() == 2


def test_a_crash_between_the_provider_and_our_save_never_refunds_twice(campaign, monkeypatch):
    payment = confirmed_payment(campaign, "42.00")
    refund = services.request_refund(payment)
    real_done = services._refund_done

    def crash(refund_pk, reference):
        raise SystemExit("the worker died here")

    monkeypatch.setattr(services, "_refund_done", crash)
    now = timezone.now()
    with pytest.raises(SystemExit):
        services.attempt_refund(refund.pk, now=now)
    # The provider refunded, we never recorded it.
    charge = charge_of(payment)
    assert charge.state == "refunded"
    crashed = Refund.objects.get(pk=refund.pk)
    assert crashed.state == RefundState.CREATED and crashed.attempts == 1
    assert totals(campaign)[:2] == (Decimal("42.00"), 1)

    monkeypatch.setattr(services, "_refund_done", real_done)
    # Another worker, while the first one's lease runs: nothing.
    assert services.attempt_refund(refund.pk, now=now).attempts == 1
    # Once the lease is over, the retry sends the same key: the same refund comes back.
    retried = services.attempt_refund(refund.pk, now=crashed.next_attempt_at)
    assert retried.state == RefundState.DONE
    assert retried.attempts == 2
    charge.refresh_from_db()
    assert list(charge.refund_keys.values()) == [retried.provider_reference]
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)


def test_a_refund_the_provider_rejects_fails_for_good(campaign):
    payment = confirmed_payment(campaign)
    SandboxCharge.objects.filter(public_id=payment.provider_reference).update(state="declined")
    refund = services.attempt_refund(services.request_refund(payment).pk)
    assert refund.state == RefundState.FAILED
    assert "charge_not_refundable" in refund.last_error
    assert totals(campaign)[:2] == (Decimal("50.00"), 1)
    assert AuditLog.objects.filter(action="tremplin.refund.failed").count() == 1
    # A failed refund is not attempted again by the sweep.
    assert services.retry_due_refunds(now=timezone.now() + timedelta(days=2)) == 0


def test_gives_up_after_the_maximum_attempts(campaign, settings):
    settings.SANDBOX_REFUND_FAILURES = 100
    payment = confirmed_payment(campaign)
    refund = services.request_refund(payment)
    now = timezone.now()
    for _ in range(services.MAX_REFUND_ATTEMPTS):
        now += timedelta(days=1)
        refund = services.attempt_refund(refund.pk, now=now)
    assert refund.state == RefundState.FAILED
    assert refund.attempts == services.MAX_REFUND_ATTEMPTS
    assert charge_of(payment).state == "succeeded"


def test_concurrent_attempts_while_one_holds_the_lease(campaign):
    """The claim is a lease: a second worker arriving while the first is at the provider
    sees the refund not due and leaves it alone."""
    payment = confirmed_payment(campaign)
    refund = services.request_refund(payment)
    now = timezone.now()
    claimed = services._claim_refund(refund.pk, now)
    assert claimed is not None
    assert services._claim_refund(refund.pk, now) is None
    assert services._claim_refund(refund.pk, now + timedelta(seconds=5)) is None
