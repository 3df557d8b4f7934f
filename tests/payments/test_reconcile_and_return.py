"""Payments left pending are settled by asking the provider; the donor's return page never
trusts the query string."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.payments.helpers import contribution, payment_for, totals
from tremplin.payments import services
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox import api
from tremplin.sandbox.models import SandboxWebhook

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=11)


def lose_webhooks():
    SandboxWebhook.objects.all().delete()


def test_reconcile_confirms_a_paid_payment_whose_webhook_was_lost(campaign):
    paid = payment_for(campaign, "60.00")
    declined = payment_for(campaign, "10.00")
    still_open = payment_for(campaign, "15.00")
    api.pay(paid.provider_reference, "4242424242424242")
    api.pay(declined.provider_reference, "4000000000000002")
    lose_webhooks()
    # Too recent: left alone.
    assert services.reconcile_pending() == 0
    assert services.reconcile_pending(now=timezone.now() + LATER) == 2
    states = dict(Payment.objects.values_list("pk", "state"))
    assert states[paid.pk] == PaymentState.CONFIRMED
    assert states[declined.pk] == PaymentState.FAILED
    assert states[still_open.pk] == PaymentState.PENDING
    assert totals(campaign)[:2] == (Decimal("60.00"), 1)
    # Running it again changes nothing.
    assert services.reconcile_pending(now=timezone.now() + LATER) == 0
    assert totals(campaign)[:2] == (Decimal("60.00"), 1)


def test_reconcile_fails_a_payment_that_never_started(campaign):
    payment = Payment.objects.create(
        contribution=contribution(campaign), provider="sandbox", amount=Decimal("25.00")
    )
    assert services.reconcile_pending(now=timezone.now() + LATER) == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert payment.failure_reason == "never_started"


def test_reconcile_command(campaign):
    paid = payment_for(campaign, "60.00")
    api.pay(paid.provider_reference, "4242424242424242")
    lose_webhooks()
    Payment.objects.filter(pk=paid.pk).update(created_at=timezone.now() - LATER)
    from io import StringIO

    out = StringIO()
    call_command("reconcile-payments", stdout=out)
    assert "1 pending payment(s) settled" in out.getvalue()
    paid.refresh_from_db()
    assert paid.state == PaymentState.CONFIRMED


def return_url(payment) -> str:
    return reverse("payments:return", args=[payment.pk, services.return_token(payment.pk)])


def thanks_url(payment) -> str:
    return reverse("funding:thanks", args=[payment.contribution.idempotency_key])


def test_return_confirms_at_once_when_the_provider_says_paid(client, campaign):
    payment = payment_for(campaign, "20.00")
    api.pay(payment.provider_reference, "4242424242424242")
    lose_webhooks()
    response = client.get(return_url(payment))
    assert response.status_code == 302
    assert response["Location"] == thanks_url(payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("confirmed" in m for m in messages)


def test_return_shows_a_declined_payment(client, campaign):
    payment = payment_for(campaign, "20.00")
    api.pay(payment.provider_reference, "4000000000009995")
    response = client.get(return_url(payment), follow=False)
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("declined" in m for m in messages)
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)


def test_return_does_not_trust_the_query_string(client, campaign):
    payment = payment_for(campaign, "20.00")
    response = client.get(return_url(payment) + "?state=confirmed&status=succeeded&paid=1")
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not confirmed yet" in m for m in messages)
    assert totals(campaign)[:2] == (Decimal("0.00"), 0)


def test_return_needs_the_right_token(client, campaign):
    payment = payment_for(campaign)
    other = payment_for(campaign)
    bad = reverse("payments:return", args=[payment.pk, services.return_token(other.pk)])
    assert client.get(bad).status_code == 404
    assert client.get(reverse("payments:return", args=[payment.pk, "x" * 32])).status_code == 404
    missing = reverse("payments:return", args=[999999, services.return_token(999999)])
    assert client.get(missing).status_code == 404
    assert client.post(return_url(payment)).status_code == 405
