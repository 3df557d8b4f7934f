"""What the organiser does with a refund the provider refused for good (FAILED): retry it,
or record that the money was given back outside the platform (a bank transfer).

- ``retry_refund``: FAILED → CREATED, the attempt cycle again (``services.attempt_refund``,
  queued once the transaction commits) with the refund's own idempotency key
  (``refund_idempotency_key``: the refund's pk), so the provider refunds at most once even
  if an earlier attempt had gone through after all.
- ``record_refund_outside``: FAILED → OUTSIDE, with who, when, why and the transfer's
  reference. The money is back with the contributor: ``signals.refund_done`` is sent, as for
  a refund done by the provider (funding: the contribution becomes REFUNDED, the totals go
  down), and the ledger counts it as refunded.

Both lock the refund row, check ``REFUND_TRANSITIONS`` and write the audit log. Who may do
it (the organiser's managers) is checked by the view (``funding.manage_views``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tremplin.core.audit import log_action
from tremplin.payments import actions, signals
from tremplin.payments.enums import PaymentState, RefundState
from tremplin.payments.models import Refund
from tremplin.payments.services import (
    PaymentError,
    _check_refund_transition,
    _enqueue_attempt,
    _lock_payment,
    _organiser,
)

MAX_REASON = 500
MAX_REFERENCE = 100


def _lock_refund(refund_pk: int) -> Refund:
    return (
        Refund.objects.select_for_update(of=("self",))
        .select_related("payment__contribution__campaign__programme")
        .get(pk=refund_pk)
    )


def retry_refund(refund_pk: int, *, user) -> Refund:
    """A FAILED refund goes back to the attempt cycle (its first new attempt is queued on
    commit). Raises PaymentError when the refund is not FAILED."""
    with transaction.atomic():
        refund = _lock_refund(refund_pk)
        if refund.state != RefundState.FAILED:
            raise PaymentError(f"a {refund.state} refund cannot be retried")
        _check_refund_transition(refund, RefundState.CREATED)
        previous_error = refund.last_error
        refund.state = RefundState.CREATED
        refund.attempts = 0
        refund.next_attempt_at = None
        refund.save(update_fields=["state", "attempts", "next_attempt_at"])
        log_action(
            actions.REFUND_RETRIED,
            obj=refund.payment,
            user=user,
            organiser=_organiser(refund.payment),
            data={"refund": refund.pk, "error": previous_error[:200]},
        )
        transaction.on_commit(lambda: _enqueue_attempt(refund_pk, None))
    return refund


def record_refund_outside(refund_pk: int, *, user, reason: str, reference: str) -> Refund:
    """The organiser gave a FAILED refund's money back outside the platform: OUTSIDE, with
    ``reason`` and the transfer's ``reference`` (both required, cleaned by the form), and
    the contribution counted as refunded. Raises PaymentError when the refund is not
    FAILED or a value is missing."""
    reason, reference = reason.strip(), reference.strip()
    if not reason or not reference:
        raise PaymentError("a reason and a reference are required")
    if len(reason) > MAX_REASON or len(reference) > MAX_REFERENCE:
        raise PaymentError("the reason or the reference is too long")
    with transaction.atomic():
        refund = _lock_refund(refund_pk)
        if refund.state != RefundState.FAILED:
            raise PaymentError(f"a {refund.state} refund cannot be recorded as made outside")
        _check_refund_transition(refund, RefundState.OUTSIDE)
        refund.state = RefundState.OUTSIDE
        refund.done_at = timezone.now()
        refund.next_attempt_at = None
        refund.recorded_by = user if getattr(user, "is_authenticated", False) else None
        refund.outside_reason = reason
        refund.outside_reference = reference
        refund.save(
            update_fields=[
                "state",
                "done_at",
                "next_attempt_at",
                "recorded_by",
                "outside_reason",
                "outside_reference",
            ]
        )
        payment = _lock_payment(refund.payment_id)
        refund.payment = payment
        log_action(
            actions.REFUND_RECORDED_OUTSIDE,
            obj=payment,
            user=user,
            organiser=_organiser(payment),
            data={
                "refund": refund.pk,
                "amount": str(refund.amount),
                "reason": reason[:200],
                "reference": reference,
            },
        )
        if payment.state == PaymentState.CONFIRMED:
            signals.refund_done.send(sender=Refund, refund=refund)
    return refund
