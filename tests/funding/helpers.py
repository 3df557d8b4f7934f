"""Helpers of the funding tests: checkout data, and paying a contribution through the real
payments services (sandbox provider, in process)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tremplin.funding.checkout import start_checkout
from tremplin.funding.models import Contribution
from tremplin.payments import services as payments
from tremplin.payments.models import Payment
from tremplin.sandbox import api


def key() -> str:
    return uuid.uuid4().hex


def checkout_data(**overrides) -> dict:
    return {
        "amount": "25",
        "reward": None,
        "name": "Camille Martin",
        "email": "camille@example.org",
        "language": "fr",
        **overrides,
    }


def form_data(**overrides) -> dict:
    """What the checkout form POSTs."""
    return {
        "amount": "25",
        "reward": "",
        "name": "Camille Martin",
        "email": "camille@example.org",
        "address": "",
        "postal_code": "",
        "city": "",
        "country": "FR",
        "message": "",
        "key": key(),
        **overrides,
    }


def checkout(campaign, amount="25", **overrides) -> Contribution:
    return start_checkout(
        campaign, checkout_data(amount=amount, **overrides), idempotency_key=key()
    )


GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


def pay(contribution: Contribution) -> Payment:
    """Open the payment, pay the sandbox charge with the good test card and confirm the
    payment, as the provider's webhook would."""
    payment = payments.create_payment(contribution)
    api.pay(payment.provider_reference, GOOD_CARD)
    return payments.confirm_payment(payment.pk)


def decline(contribution: Contribution) -> Payment:
    payment = payments.create_payment(contribution)
    api.pay(payment.provider_reference, DECLINED_CARD)
    return payments.fail_payment(payment.pk, reason="card_declined")


def contribute(campaign, amount="25", **overrides) -> Contribution:
    """A confirmed online contribution."""
    contribution = checkout(campaign, amount, **overrides)
    pay(contribution)
    contribution.refresh_from_db()
    return contribution


def amount(value: str) -> Decimal:
    return Decimal(value)
