"""Payments: every state change of a Payment or a Refund goes through here.

Each transition re-reads the row under ``select_for_update`` in a transaction, checks that
the change is allowed from the state it finds, writes, logs (``tremplin.payment.*``) and
sends its signal (``payments.signals``) in the SAME transaction, so the receivers (funding:
the campaign's totals) move exactly when the payment does. Hence:

* duplicate webhooks change nothing (the second finds the payment confirmed);
* a "failed" arriving after "confirmed" is ignored (and logged): a confirmed payment is
  never un-confirmed;
* a "confirmed" arriving after "failed" or "cancelled" confirms it: the provider says the
  money was taken, so it must be counted (funding re-claims the contribution, and flags it
  when its reward is gone). If the contribution was already paid by another payment, this
  one is cancelled and refunded instead: money is never counted twice nor kept silently.

Refunds happen exactly once: one Refund row per payment (unique); ``attempt_refund`` claims
it (attempts + 1 and a lease until the next attempt, under a lock), calls the provider with
an idempotency key that is the same on every attempt, and marks it DONE once. A crash
between the provider's answer and our save is harmless: the next attempt sends the same
key, the provider answers the same refund, and we mark it done then. Temporary provider
errors are retried with backoff (a task queued for later, and ``tremplin
reconcile-payments`` as a sweep)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError
from tremplin.core.models import Organiser
from tremplin.payments import signals
from tremplin.payments.availability import programme_provider
from tremplin.payments.enums import (
    PAYMENT_OPEN,
    PAYMENT_TRANSITIONS,
    REFUND_GIVEN_BACK,
    REFUND_TRANSITIONS,
    PaymentState,
    RefundState,
)
from tremplin.payments.models import Payment, Refund
from tremplin.payments.providers.base import (
    PaymentProvider,
    ProviderError,
    RefundRejected,
    UnknownProvider,
    get_provider,
    provider_for_payment,
)

logger = logging.getLogger(__name__)

# Where each transition may start from (see PAYMENT_TRANSITIONS).
CONFIRMABLE = {
    state for state, targets in PAYMENT_TRANSITIONS.items() if PaymentState.CONFIRMED in targets
}
FAILABLE = set(PAYMENT_OPEN)
CANCELLABLE = set(PAYMENT_OPEN)

MAX_REFUND_ATTEMPTS = 10

__all__ = [
    "PaymentError",
    "PaymentsNotSetUp",
    "attempt_refund",
    "cancel",
    "cancel_payment",
    "confirm_payment",
    "create_payment",
    "fail_payment",
    "get_provider",
    "payment_return_url",
    "reconcile_pending",
    "request_refund",
    "retry_due_refunds",
]


class PaymentError(DomainError):
    """A payment operation that is not allowed (e.g. refunding an unconfirmed payment)."""


def _check_payment_transition(payment: Payment, new_state: str) -> None:
    """Raise PaymentError when ``payment`` may not go from its state to ``new_state`` (see
    ``PAYMENT_TRANSITIONS``; staying in the same state is not a transition)."""
    if new_state != payment.state and new_state not in PAYMENT_TRANSITIONS[payment.state]:
        raise PaymentError(f"a {payment.state} payment cannot become {new_state}")


def _check_refund_transition(refund: Refund, new_state: str) -> None:
    """Raise PaymentError when ``refund`` may not go from its state to ``new_state`` (see
    ``REFUND_TRANSITIONS``)."""
    if new_state not in REFUND_TRANSITIONS[refund.state]:
        raise PaymentError(f"a {refund.state} refund cannot become {new_state}")


def _organiser(payment: Payment) -> Organiser:
    return Organiser(pk=payment.contribution.campaign.programme.organiser_id)


def _log(action: str, payment: Payment, obj=None, **data: Any) -> None:
    log_action(action, obj=obj or payment, organiser=_organiser(payment), data=data)


def _lock_payment(payment_pk: int) -> Payment:
    """The payment row, locked until the end of the transaction (only that row: the
    related rows are read, not locked)."""
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("contribution__campaign__programme")
        .get(pk=payment_pk)
    )


# --- URLs -------------------------------------------------------------------------------------


def return_token(payment_pk: int) -> str:
    return salted_hmac("tremplin.payments.return", str(payment_pk)).hexdigest()[:32]


def check_return_token(payment_pk: int, token: str) -> bool:
    return constant_time_compare(return_token(payment_pk), token)


def payment_return_url(payment: Payment) -> str:
    path = reverse("payments:return", args=[payment.pk, return_token(payment.pk)])
    return settings.SITE_URL + path


def webhook_url(provider: str) -> str:
    return settings.SITE_URL + reverse("payments:webhook", args=[provider])


# --- provider accounts ----------------------------------------------------------------------


def save_provider_account(organiser: Organiser, provider: str, values: dict, *, user=None):
    """Save an organiser's settings for ``provider``. The log names the settings that
    changed, never their values (and log_action masks secrets anyway)."""
    from tremplin.payments.models import ProviderAccount

    with transaction.atomic():
        account, created = ProviderAccount.objects.select_for_update().get_or_create(
            organiser=organiser, provider=provider, defaults={"settings": {}}
        )
        changed = sorted(
            name
            for name in set(values) | set(account.settings)
            if values.get(name) != account.settings.get(name)
        )
        account.settings = dict(values)
        account.save(update_fields=["settings", "updated_at"])
        log_action(
            "tremplin.payment_account.changed",
            obj=account,
            user=user,
            organiser=organiser,
            data={"provider": provider, "changed": changed, "created": created},
        )
    return account


# --- starting a payment -----------------------------------------------------------------------


class PaymentsNotSetUp(PaymentError):
    """The programme's provider cannot take payments here (none chosen, the sandbox while
    it is off, Stripe without its keys)."""


def provider_identifier(contribution) -> str:
    return programme_provider(contribution.campaign.programme)


def create_payment(contribution, *, provider: str | PaymentProvider | None = None) -> Payment:
    """Open a payment attempt for ``contribution`` at its programme's provider: a Payment
    row (CREATED), then the provider's checkout (PENDING, with ``checkout_url``). Raises
    ProviderError when the provider cannot be reached (the payment is then FAILED)."""
    organiser_id = contribution.campaign.programme.organiser_id
    if isinstance(provider, PaymentProvider):
        provider_obj = provider
    else:
        identifier = provider or provider_identifier(contribution)
        try:
            provider_obj = get_provider(identifier, organiser_id)
        except UnknownProvider:
            raise PaymentsNotSetUp(f"no payment provider {identifier!r}") from None
        if not provider_obj.is_available():
            raise PaymentsNotSetUp(f"the provider {identifier!r} is not available")
    payment = Payment.objects.create(
        contribution=contribution,
        provider=provider_obj.identifier,
        amount=contribution.amount,
        state=PaymentState.CREATED,
    )
    payment.contribution = contribution
    try:
        url = provider_obj.start(payment, payment_return_url(payment))
    except ProviderError as error:
        logger.warning("payment %s: the provider could not start it: %s", payment.pk, error)
        fail_payment(payment.pk, reason="provider_unavailable")
        raise
    with transaction.atomic():
        # Only a payment still CREATED becomes PENDING (nothing else can have touched it:
        # the donor has not seen the checkout URL yet, so no webhook can be on its way).
        opened = Payment.objects.filter(pk=payment.pk, state=PaymentState.CREATED).update(
            state=PaymentState.PENDING,
            checkout_url=url,
            provider_reference=payment.provider_reference,
            info=payment.info,
            updated_at=timezone.now(),
        )
        if opened:
            payment.state, payment.checkout_url = PaymentState.PENDING, url
        else:  # pragma: no cover (see above)
            payment.refresh_from_db()
        _log(
            "tremplin.payment.started",
            payment,
            provider=payment.provider,
            amount=str(payment.amount),
            contribution=contribution.pk,
        )
    return payment


# --- transitions --------------------------------------------------------------------------


def confirm_payment(
    payment_pk: int, *, provider_reference: str = "", info: dict | None = None
) -> Payment:
    """The provider says the money was taken. Idempotent; see the module docstring."""
    with transaction.atomic():
        payment = _lock_payment(payment_pk)
        if payment.state == PaymentState.CONFIRMED:
            return payment  # a duplicate: nothing to do
        if payment.state not in CONFIRMABLE:  # pragma: no cover (every state is listed)
            raise PaymentError(f"cannot confirm a {payment.state} payment")
        mismatch = bool(
            provider_reference
            and payment.provider_reference
            and provider_reference != payment.provider_reference
        )
        if mismatch:
            _log("tremplin.payment.reference_mismatch", payment, reference=provider_reference)
        else:
            paid_twice = _confirm_locked(payment, provider_reference, info or {})
    if mismatch:  # refused once the transaction is over, so that the log entry stays
        raise PaymentError("the provider's reference does not match this payment")
    if paid_twice:
        request_refund(payment)
    return payment


def _confirm_locked(payment: Payment, provider_reference: str, info: dict) -> bool:
    """Confirm the locked ``payment``; True when it turned out to be a second payment of
    an already paid contribution (then cancelled, to be refunded)."""
    previous = payment.state
    payment.provider_reference = payment.provider_reference or provider_reference
    payment.info = {**payment.info, **info}
    already_paid = (
        Payment.objects.filter(
            contribution_id=payment.contribution_id, state=PaymentState.CONFIRMED
        )
        .exclude(pk=payment.pk)
        .exists()
    )
    if already_paid:
        # The donor paid twice for one contribution: keep one, give this one back.
        _check_payment_transition(payment, PaymentState.CANCELLED)
        payment.state = PaymentState.CANCELLED
        payment.failure_reason = "duplicate_payment"
        payment.info["paid_twice"] = True
        payment.save(
            update_fields=["state", "failure_reason", "info", "provider_reference", "updated_at"]
        )
        _log("tremplin.payment.paid_twice", payment, previous=previous)
        return True
    _check_payment_transition(payment, PaymentState.CONFIRMED)
    payment.state = PaymentState.CONFIRMED
    payment.confirmed_at = timezone.now()
    payment.failure_reason = ""
    payment.save(
        update_fields=[
            "state",
            "confirmed_at",
            "failure_reason",
            "info",
            "provider_reference",
            "updated_at",
        ]
    )
    data: dict[str, Any] = {"from": previous, "amount": str(payment.amount)}
    if previous in (PaymentState.FAILED, PaymentState.CANCELLED):
        data["late"] = True
    _log("tremplin.payment.confirmed", payment, **data)
    signals.payment_confirmed.send(sender=Payment, payment=payment)
    return False


def fail_payment(payment_pk: int, *, reason: str) -> Payment:
    """The provider says the payment failed (declined, expired). Idempotent; never
    un-confirms: a failure after a confirmation is ignored and logged."""
    with transaction.atomic():
        payment = _lock_payment(payment_pk)
        if payment.state == PaymentState.CONFIRMED:
            _log("tremplin.payment.failure_ignored", payment, reason=reason[:200])
            return payment
        if payment.state not in FAILABLE:
            return payment  # already failed or cancelled: a duplicate
        previous = payment.state
        _check_payment_transition(payment, PaymentState.FAILED)
        payment.state = PaymentState.FAILED
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["state", "failure_reason", "updated_at"])
        _log("tremplin.payment.failed", payment, **{"from": previous, "reason": reason[:200]})
        signals.payment_failed.send(sender=Payment, payment=payment)
    return payment


def cancel_payment(payment_pk: int, *, reason: str = "") -> Payment:
    """Abandon a payment that was not made (the checkout expired on our side). Funding
    calls it and handles the contribution itself: no signal here. A payment that the
    provider confirms later is confirmed anyway (see confirm_payment)."""
    with transaction.atomic():
        payment = _lock_payment(payment_pk)
        if payment.state not in CANCELLABLE:
            return payment
        previous = payment.state
        _check_payment_transition(payment, PaymentState.CANCELLED)
        payment.state = PaymentState.CANCELLED
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["state", "failure_reason", "updated_at"])
        _log("tremplin.payment.cancelled", payment, **{"from": previous, "reason": reason[:200]})
    return payment


cancel = cancel_payment


# --- refunds ------------------------------------------------------------------------------


def refund_retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min… at most 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def request_refund(payment: Payment, *, user=None) -> Refund:
    """The one refund of a confirmed payment (or of a second payment of one
    contribution). Idempotent: asking again answers the same Refund. Its first attempt is
    queued once the transaction commits."""
    with transaction.atomic():
        locked = _lock_payment(payment.pk)
        paid_twice = locked.state == PaymentState.CANCELLED and locked.info.get("paid_twice")
        if locked.state != PaymentState.CONFIRMED and not paid_twice:
            raise PaymentError(f"cannot refund a {locked.state} payment")
        existing = Refund.objects.filter(payment=locked).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                refund = Refund.objects.create(payment=locked, amount=locked.amount)
        except IntegrityError:  # created meanwhile (SQLite: no row lock)
            return Refund.objects.get(payment=locked)
        log_action(
            "tremplin.refund.requested",
            obj=locked,
            user=user,
            organiser=_organiser(locked),
            data={"amount": str(refund.amount), "refund": refund.pk},
        )
        transaction.on_commit(lambda: _enqueue_attempt(refund.pk, None))
    return refund


def _enqueue_attempt(refund_pk: int, when: datetime | None) -> None:
    from tremplin.payments.tasks import attempt_refund_task

    try:
        if when is not None and when > timezone.now():
            backend = attempt_refund_task.get_backend()
            if not backend.supports_defer:
                return  # the sweep (tremplin reconcile-payments) will retry it
            attempt_refund_task.using(run_after=when).enqueue(refund_pk)
        else:
            attempt_refund_task.enqueue(refund_pk)
    except Exception:  # the queue is down: the sweep will retry it
        logger.exception("refund %s: could not queue its attempt", refund_pk)


def _claim_refund(refund_pk: int, now: datetime) -> Refund | None:
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__contribution__campaign__programme")
            .get(pk=refund_pk)
        )
        if refund.state != RefundState.CREATED:
            return None
        if refund.next_attempt_at is not None and refund.next_attempt_at > now:
            return None  # not due, or another worker holds it
        refund.attempts += 1
        refund.next_attempt_at = now + refund_retry_delay(refund.attempts)
        refund.save(update_fields=["attempts", "next_attempt_at"])
    return refund


def _refund_failed(refund_pk: int, error: Exception, *, final: bool) -> Refund:
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__contribution__campaign__programme")
            .get(pk=refund_pk)
        )
        if refund.state != RefundState.CREATED:
            return refund
        refund.last_error = str(error)[:500]
        gave_up = final or refund.attempts >= MAX_REFUND_ATTEMPTS
        if gave_up:
            _check_refund_transition(refund, RefundState.FAILED)
            refund.state = RefundState.FAILED
        refund.save(update_fields=["last_error", "state"])
        log_action(
            "tremplin.refund.failed" if gave_up else "tremplin.refund.retry_scheduled",
            obj=refund.payment,
            organiser=_organiser(refund.payment),
            data={
                "refund": refund.pk,
                "attempts": refund.attempts,
                "error": refund.last_error[:200],
            },
        )
        if not gave_up:
            when = refund.next_attempt_at
            transaction.on_commit(lambda: _enqueue_attempt(refund_pk, when))
    return refund


def _refund_done(refund_pk: int, reference: str) -> Refund:
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__contribution__campaign__programme")
            .get(pk=refund_pk)
        )
        if refund.state in REFUND_GIVEN_BACK:
            return refund
        _check_refund_transition(refund, RefundState.DONE)
        refund.state = RefundState.DONE
        refund.provider_reference = reference[:255]
        refund.done_at = timezone.now()
        refund.last_error = ""
        refund.next_attempt_at = None
        refund.save(
            update_fields=[
                "state",
                "provider_reference",
                "done_at",
                "last_error",
                "next_attempt_at",
            ]
        )
        payment = _lock_payment(refund.payment_id)
        refund.payment = payment
        log_action(
            "tremplin.refund.done",
            obj=payment,
            organiser=_organiser(payment),
            data={"refund": refund.pk, "amount": str(refund.amount), "attempts": refund.attempts},
        )
        if payment.state == PaymentState.CONFIRMED:
            signals.refund_done.send(sender=Refund, refund=refund)
    return refund


def attempt_refund(refund_pk: int, *, now: datetime | None = None) -> Refund:
    """One attempt at a refund (the task). Never refunds twice: a DONE refund is not sent
    again, a refund being attempted elsewhere is left alone, and the provider is idempotent
    on the refund's key."""
    now = now or timezone.now()
    refund = _claim_refund(refund_pk, now)
    if refund is None:
        return Refund.objects.get(pk=refund_pk)
    provider = provider_for_payment(refund.payment)
    try:
        reference = provider.refund(refund)
    except ProviderError as error:
        logger.warning("refund %s: temporary provider error: %s", refund_pk, error)
        return _refund_failed(refund_pk, error, final=False)
    except RefundRejected as error:
        logger.error("refund %s: rejected by the provider: %s", refund_pk, error)
        return _refund_failed(refund_pk, error, final=True)
    return _refund_done(refund_pk, reference)


def retry_due_refunds(now: datetime | None = None) -> int:
    """Attempt every refund that is due (new, or whose retry time has come); how many are
    done now."""
    now = now or timezone.now()
    due = (
        Refund.objects.filter(state=RefundState.CREATED)
        .exclude(next_attempt_at__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in list(due) if attempt_refund(pk, now=now).state == RefundState.DONE)


# --- reconciliation -------------------------------------------------------------------------


def reconcile_pending(
    older_than: timedelta = timedelta(minutes=10), *, now: datetime | None = None
) -> int:
    """Ask the provider about every payment left pending for longer than ``older_than``
    (a webhook lost, a donor who closed the tab…) and confirm or fail it accordingly.
    Returns the number of payments whose state changed."""
    now = now or timezone.now()
    cutoff = now - older_than
    changed = 0
    stale = (
        Payment.objects.filter(
            state__in=[PaymentState.PENDING, PaymentState.CREATED], created_at__lt=cutoff
        )
        .select_related("contribution__campaign__programme")
        .order_by("pk")
    )
    for payment in stale.iterator(chunk_size=200):
        if payment.state == PaymentState.CREATED and not payment.provider_reference:
            # The provider never opened it (the process stopped in between).
            if fail_payment(payment.pk, reason="never_started").state == PaymentState.FAILED:
                changed += 1
            continue
        try:
            status = provider_for_payment(payment).fetch_status(payment)
        except ProviderError as error:
            logger.warning("reconcile: payment %s: %s", payment.pk, error)
            continue
        if status == PaymentState.CONFIRMED:
            confirm_payment(payment.pk, info={"reconciled": True})
            changed += 1
        elif status in (PaymentState.FAILED, PaymentState.CANCELLED):
            fail_payment(payment.pk, reason=f"reconciled_{status}")
            changed += 1
    return changed
