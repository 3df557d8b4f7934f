"""The sandbox's API, shaped like a payment service's HTTP API: JSON-able dicts in and
out, errors with an HTTP status and a code. The platform's SandboxProvider calls it; the
sandbox answers back only through signed webhooks.

    create_charge(...)          POST /charges
    retrieve_charge(id)         GET  /charges/<id>
    pay(id, card…)              POST /charges/<id>/pay      (what the hosted card page does)
    refund_charge(id, key)      POST /charges/<id>/refunds  (idempotent on the key)
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tremplin.sandbox import conf
from tremplin.sandbox.delivery import queue_event
from tremplin.sandbox.models import ChargeState, SandboxCharge, is_charge_id


class SandboxAPIError(Exception):
    def __init__(self, status: int, code: str, message: str = "") -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    @property
    def temporary(self) -> bool:
        return self.status >= 500 or self.status == 429


def charge_url(charge: SandboxCharge) -> str:
    return settings.SITE_URL + reverse("sandbox:checkout", args=[charge.public_id])


def as_dict(charge: SandboxCharge) -> dict[str, Any]:
    return {
        "id": charge.public_id,
        "object": "charge",
        "amount": charge.amount,
        "currency": charge.currency,
        "state": charge.state,
        "decline_code": charge.decline_code,
        "metadata": charge.metadata,
        "url": charge_url(charge),
    }


def create_charge(
    *,
    amount: int,
    currency: str,
    return_url: str,
    webhook_url: str,
    description: str = "",
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    if not isinstance(amount, int) or amount <= 0:
        raise SandboxAPIError(400, "invalid_amount", "amount must be a positive integer")
    if currency != "eur":
        raise SandboxAPIError(400, "invalid_currency", "only eur is supported")
    charge = SandboxCharge.objects.create(
        amount=amount,
        currency=currency,
        return_url=return_url,
        webhook_url=webhook_url,
        description=description[:200],
        metadata=metadata or {},
    )
    return as_dict(charge)


def _check_id(charge_id: str) -> None:
    if not is_charge_id(charge_id):
        raise SandboxAPIError(404, "no_such_charge", repr(charge_id)[:60])


def retrieve_charge(charge_id: str) -> dict[str, Any]:
    _check_id(charge_id)
    charge = SandboxCharge.objects.filter(public_id=charge_id).first()
    if charge is None:
        raise SandboxAPIError(404, "no_such_charge", charge_id)
    return as_dict(charge)


def card_outcome(card_number: str) -> tuple[str, str] | None:
    """(state, decline code) of a test card, None for any other number."""
    return conf.TEST_CARDS.get("".join(card_number.split()))


def pay(charge_id: str, card_number: str) -> dict[str, Any]:
    """Charge a test card (the number is already validated by the page). Paying an
    already-processed charge changes nothing and answers its state."""
    _check_id(charge_id)
    outcome = card_outcome(card_number)
    if outcome is None:
        raise SandboxAPIError(402, "unknown_card", "use one of the test cards")
    with transaction.atomic():
        charge = SandboxCharge.objects.select_for_update().filter(public_id=charge_id).first()
        if charge is None:
            raise SandboxAPIError(404, "no_such_charge", charge_id)
        if charge.state != ChargeState.OPEN:
            return as_dict(charge)
        charge.state, charge.decline_code = outcome
        charge.card_last4 = "".join(card_number.split())[-4:]
        charge.save(update_fields=["state", "decline_code", "card_last4", "updated_at"])
        event = "charge.succeeded" if charge.state == ChargeState.SUCCEEDED else "charge.declined"
        queue_event(charge, event)
    return as_dict(charge)


def refund_charge(charge_id: str, *, idempotency_key: str) -> dict[str, Any]:
    """Refund a charge in full. The same key answers the same refund, whatever happened in
    between: a caller that crashed after the call and tries again never refunds twice.
    With SANDBOX_REFUND_FAILURES=N, the first N attempts fail with a temporary 503."""
    if not idempotency_key:
        raise SandboxAPIError(400, "idempotency_key_required")
    _check_id(charge_id)
    with transaction.atomic():
        charge = SandboxCharge.objects.select_for_update().filter(public_id=charge_id).first()
        if charge is None:
            raise SandboxAPIError(404, "no_such_charge", charge_id)
        if idempotency_key in charge.refund_keys:
            return _refund_dict(charge, charge.refund_keys[idempotency_key])
        charge.refund_attempts += 1
        charge.save(update_fields=["refund_attempts", "updated_at"])
        failing = charge.refund_attempts <= conf.refund_failures()
    if failing:  # committed above: the count of attempts survives the error
        raise SandboxAPIError(503, "temporarily_unavailable", "try again later")
    with transaction.atomic():
        charge = SandboxCharge.objects.select_for_update().get(public_id=charge_id)
        if idempotency_key in charge.refund_keys:
            return _refund_dict(charge, charge.refund_keys[idempotency_key])
        if charge.state != ChargeState.SUCCEEDED:
            raise SandboxAPIError(400, "charge_not_refundable", f"the charge is {charge.state}")
        refund_id = "re_" + secrets.token_urlsafe(18)
        charge.state = ChargeState.REFUNDED
        charge.refund_keys = {**charge.refund_keys, idempotency_key: refund_id}
        charge.save(update_fields=["state", "refund_keys", "updated_at"])
        queue_event(charge, "charge.refunded")
    return _refund_dict(charge, refund_id)


def _refund_dict(charge: SandboxCharge, refund_id: str) -> dict[str, Any]:
    return {
        "id": refund_id,
        "object": "refund",
        "charge": charge.public_id,
        "amount": charge.amount,
        "state": "succeeded",
    }
