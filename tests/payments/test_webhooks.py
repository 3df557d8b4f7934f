"""The sandbox provider's webhooks: idempotent, order-proof, and refused (400, nothing
changed) when the signature is forged or stale."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.payments.helpers import event_body, payment_for, post_webhook, totals, webhook
from tremplin.core.models import AuditLog
from tremplin.funding.enums import ContributionState
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox.models import SandboxCharge

pytestmark = pytest.mark.django_db


def actions(payment) -> list[str]:
    return list(
        AuditLog.objects.filter(object_id=str(payment.pk), action__startswith="tremplin.payment.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_payment_opens_a_sandbox_charge(campaign):
    payment = payment_for(campaign, "12.50")
    assert payment.state == PaymentState.PENDING
    assert payment.provider == "sandbox"
    assert payment.amount == Decimal("12.50")
    charge = SandboxCharge.objects.get(public_id=payment.provider_reference)
    assert charge.amount == 1250
    assert charge.currency == "eur"
    assert payment.checkout_url.endswith(reverse("sandbox:checkout", args=[charge.public_id]))
    assert charge.webhook_url.endswith(reverse("payments:webhook", args=["sandbox"]))
    assert f"/paiement/retour/{payment.pk}/" in charge.return_url
    assert "tremplin.payment.started" in actions(payment)


def test_the_same_webhook_three_times_counts_once(campaign):
    payment = payment_for(campaign, "40.00")
    body = event_body(payment)
    for _ in range(3):
        assert post_webhook(body).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert payment.confirmed_at is not None
    assert payment.contribution.__class__.objects.get().state == ContributionState.CONFIRMED
    assert totals(campaign) == (Decimal("40.00"), 1, Decimal("0.00"))
    assert actions(payment).count("tremplin.payment.confirmed") == 1


def test_failed_then_confirmed_confirms_because_the_money_was_taken(campaign):
    payment = payment_for(campaign, "30.00")
    assert webhook(payment, "charge.declined").status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert payment.failure_reason == "card_declined"
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)

    assert webhook(payment, "charge.succeeded").status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert payment.failure_reason == ""
    assert totals(campaign)[:2] == (Decimal("30.00"), 1)
    late = AuditLog.objects.get(action="tremplin.payment.confirmed", object_id=str(payment.pk))
    assert late.data["late"] is True and late.data["from"] == PaymentState.FAILED


def test_confirmed_then_failed_is_ignored_and_logged(campaign):
    payment = payment_for(campaign, "30.00")
    assert webhook(payment, "charge.succeeded").status_code == 200
    assert webhook(payment, "charge.declined").status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert totals(campaign)[:2] == (Decimal("30.00"), 1)
    assert actions(payment)[-1] == "tremplin.payment.failure_ignored"


def test_failed_twice_releases_once(campaign):
    payment = payment_for(campaign, "30.00")
    for _ in range(3):
        assert webhook(payment, "charge.declined").status_code == 200
    assert actions(payment).count("tremplin.payment.failed") == 1


def _unchanged(payment, campaign):
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)
    assert "tremplin.payment.confirmed" not in actions(payment)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "not-the-shared-secret"},
        {"timestamp_offset": -600},  # stale: a replay
        {"timestamp_offset": 600},  # from the future
        {"header": ""},
        {"header": "t=abc,v1=00"},
        {"header": "v1=" + "0" * 64},
        {"header": f"t={int(time.time())}"},
    ],
    ids=["forged", "stale", "future", "missing", "bad-timestamp", "no-timestamp", "no-sig"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(campaign, kwargs):
    if "timestamp_offset" in kwargs:  # from now, not from the collection of the tests
        kwargs = {"timestamp": int(time.time()) + kwargs["timestamp_offset"]}
    payment = payment_for(campaign)
    response = webhook(payment, **kwargs)
    assert response.status_code == 400
    _unchanged(payment, campaign)


def test_a_tampered_body_is_refused(campaign):
    payment = payment_for(campaign, "25.00")
    body = event_body(payment, "charge.declined")
    from tremplin.sandbox import conf
    from tremplin.sandbox.signing import sign

    header = sign(body, conf.webhook_secret())
    tampered = body.replace("charge.declined", "charge.succeeded")
    assert post_webhook(tampered, header=header).status_code == 400
    _unchanged(payment, campaign)


def test_an_unknown_payment_answers_404_and_changes_nothing(campaign):
    payment = payment_for(campaign)
    body = event_body(payment).replace(payment.provider_reference, "ch_unknown")
    assert post_webhook(body).status_code == 404
    _unchanged(payment, campaign)


def test_a_signed_but_malformed_event_is_refused(campaign):
    payment = payment_for(campaign)
    assert post_webhook("{not json").status_code == 400
    assert post_webhook('{"type": "charge.succeeded"}').status_code == 400
    _unchanged(payment, campaign)


def test_an_amount_that_does_not_match_is_refused(campaign):
    payment = payment_for(campaign, "25.00")
    body = event_body(payment, amount=1)
    assert post_webhook(body).status_code == 400
    _unchanged(payment, campaign)


def test_other_events_are_acknowledged_without_change(campaign):
    payment = payment_for(campaign)
    assert webhook(payment, "charge.refunded").status_code == 200
    _unchanged(payment, campaign)


def test_webhook_endpoint_methods_and_providers(client, campaign):
    assert client.get(reverse("payments:webhook", args=["sandbox"])).status_code == 405
    assert client.post(reverse("payments:webhook", args=["paypal"])).status_code == 404


def test_csrf_is_not_required(campaign):
    from django.test import Client

    payment = payment_for(campaign)
    response = webhook(payment, client=Client(enforce_csrf_checks=True))
    assert response.status_code == 200


def test_a_second_payment_of_a_paid_contribution_is_refunded_not_counted(
    campaign, django_capture_on_commit_callbacks
):
    """The donor paid in two tabs: the sandbox delivers both confirmations; the second
    payment is cancelled and refunded at once, the contribution counted once."""
    from tremplin.payments import services
    from tremplin.sandbox import api

    first = payment_for(campaign, "20.00")
    second = services.create_payment(first.contribution)
    with django_capture_on_commit_callbacks(execute=True):
        api.pay(first.provider_reference, "4242424242424242")
    first.refresh_from_db()
    assert first.state == PaymentState.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        api.pay(second.provider_reference, "4242424242424242")
    second.refresh_from_db()
    assert second.state == PaymentState.CANCELLED
    assert second.failure_reason == "duplicate_payment"
    assert second.refund.state == "done"
    assert totals(campaign)[:2] == (Decimal("20.00"), 1)
    assert Payment.objects.filter(state=PaymentState.CONFIRMED).count() == 1
    charge = SandboxCharge.objects.get(public_id=second.provider_reference)
    assert charge.state == "refunded"


def test_a_confirmation_naming_another_reference_is_refused_and_logged(campaign):
    from tremplin.payments import services

    payment = payment_for(campaign)
    with pytest.raises(services.PaymentError):
        services.confirm_payment(payment.pk, provider_reference="ch_someone_else")
    _unchanged(payment, campaign)
    assert actions(payment)[-1] == "tremplin.payment.reference_mismatch"
