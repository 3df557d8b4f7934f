"""Helpers shared by the payments and sandbox tests: contributions, payments and signed
webhooks of the sandbox provider."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.dispatch import Signal
from django.test import Client
from django.urls import reverse

from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.payments import services
from tremplin.payments.models import Payment
from tremplin.sandbox import conf
from tremplin.sandbox.signing import sign


def contribution(campaign, amount: str | Decimal = "25.00", **extra) -> Contribution:
    """A PENDING online contribution (as the checkout leaves it)."""
    values = {
        "name": "Camille Martin",
        "email": "camille@example.org",
        "idempotency_key": uuid.uuid4().hex,
        "state": ContributionState.PENDING,
        **extra,
    }
    return Contribution.objects.create(campaign=campaign, amount=Decimal(amount), **values)


def payment_for(campaign, amount: str | Decimal = "25.00", **extra) -> Payment:
    """A PENDING sandbox payment of a new contribution (its charge opened)."""
    return services.create_payment(contribution(campaign, amount, **extra))


def event_body(payment: Payment, kind: str = "charge.succeeded", **charge) -> str:
    data = {
        "id": payment.provider_reference,
        "amount": int(payment.amount * 100),
        "currency": "eur",
        "state": "succeeded" if kind == "charge.succeeded" else "declined",
        "decline_code": "" if kind == "charge.succeeded" else "card_declined",
        "metadata": {"payment": str(payment.pk)},
        **charge,
    }
    return json.dumps(
        {
            "id": "evt_" + uuid.uuid4().hex,
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"charge": data},
        }
    )


def post_webhook(
    body: str,
    *,
    secret: str | None = None,
    timestamp: int | None = None,
    header: str | None = None,
    client: Client | None = None,
):
    """POST a sandbox webhook, signed with the shared secret unless told otherwise."""
    if header is None:
        header = sign(body, secret or conf.webhook_secret(), timestamp)
    client = client or Client()
    return client.post(
        reverse("payments:webhook", args=["sandbox"]),
        body,
        content_type="application/json",
        headers={conf.SIGNATURE_HEADER: header},
    )


def webhook(payment: Payment, kind: str = "charge.succeeded", **kwargs):
    return post_webhook(event_body(payment, kind), **kwargs)


def totals(campaign) -> tuple[Decimal, int, Decimal]:
    campaign.refresh_from_db()
    return campaign.raised_amount, campaign.contributor_count, campaign.matched_amount


@contextmanager
def replaced_receiver(
    signal: Signal, dispatch_uid: str, original: Callable, replacement: Callable
) -> Iterator[None]:
    """``original`` (connected to ``signal`` under ``dispatch_uid``) replaced by
    ``replacement`` for the duration, then connected again."""
    signal.disconnect(dispatch_uid=dispatch_uid)
    signal.connect(replacement, dispatch_uid="tests.replacement", weak=False)
    try:
        yield
    finally:
        signal.disconnect(dispatch_uid="tests.replacement")
        signal.connect(original, dispatch_uid=dispatch_uid)
