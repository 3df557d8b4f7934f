"""Webhook delivery of the sandbox: asynchronous, retried with backoff, signed at each
attempt; with chaos, duplicated, delayed and reordered — and the platform counts each
payment once."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.payments.helpers import payment_for, totals
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox import api, conf, delivery
from tremplin.sandbox.models import SandboxWebhook
from tremplin.sandbox.signing import verify

pytestmark = pytest.mark.django_db

GOOD, DECLINED = "4242424242424242", "4000000000000002"
SOON = timedelta(seconds=30)


def test_a_paid_charge_is_delivered_and_confirms(campaign):
    payment = payment_for(campaign, "18.00")
    api.pay(payment.provider_reference, GOOD)
    assert delivery.deliver_due() == 1
    webhook = SandboxWebhook.objects.get()
    assert webhook.delivered_at is not None
    assert webhook.attempts == 1 and webhook.last_status == 200
    verify(webhook.body, webhook.signature, conf.webhook_secret(), tolerance=300)
    body = json.loads(webhook.body)
    assert body["type"] == "charge.succeeded"
    assert body["data"]["charge"]["amount"] == 1800
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert delivery.deliver_due() == 0  # nothing left


def test_the_task_delivers_once_committed(campaign, django_capture_on_commit_callbacks):
    payment = payment_for(campaign, "18.00")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api.pay(payment.provider_reference, DECLINED)
    assert len(callbacks) >= 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert payment.failure_reason == "card_declined"


def test_poll_mode_queues_no_task(campaign, settings, django_capture_on_commit_callbacks):
    settings.SANDBOX_WEBHOOK_DELIVERY = "poll"
    payment = payment_for(campaign, "18.00")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api.pay(payment.provider_reference, GOOD)
    assert callbacks == []
    out = StringIO()
    call_command("sandbox-deliver", stdout=out)
    assert "1 webhook(s) delivered" in out.getvalue()
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED


def test_retries_with_backoff_until_the_platform_answers(campaign, monkeypatch):
    payment = payment_for(campaign, "18.00")
    api.pay(payment.provider_reference, GOOD)
    statuses = [500, 0]  # an error, then unreachable, then the real platform
    real_post = delivery.post

    def flaky(url, body, headers):
        return statuses.pop(0) if statuses else real_post(url, body, headers)

    monkeypatch.setattr(delivery, "post", flaky)
    now = timezone.now()
    assert delivery.deliver_due(now) == 0
    webhook = SandboxWebhook.objects.get()
    assert webhook.attempts == 1 and webhook.last_status == 500 and webhook.delivered_at is None
    first_delay = webhook.deliver_after - now
    assert first_delay >= timedelta(seconds=4)
    assert delivery.deliver_due(now) == 0  # not due yet

    later = webhook.deliver_after + timedelta(seconds=1)
    assert delivery.deliver_due(later) == 0
    webhook.refresh_from_db()
    assert webhook.attempts == 2 and webhook.last_error == "unreachable"
    assert webhook.deliver_after - later > first_delay  # the delay grows

    assert delivery.deliver_due(webhook.deliver_after + timedelta(seconds=1)) == 1
    webhook.refresh_from_db()
    assert webhook.attempts == 3 and webhook.delivered_at is not None
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED


def test_gives_up_after_the_maximum_attempts(campaign, monkeypatch):
    payment = payment_for(campaign)
    api.pay(payment.provider_reference, GOOD)
    monkeypatch.setattr(delivery, "post", lambda *args: 503)
    now = timezone.now()
    for _ in range(conf.MAX_WEBHOOK_ATTEMPTS + 3):
        delivery.deliver_due(now)
        now += timedelta(days=1)
    webhook = SandboxWebhook.objects.get()
    assert webhook.attempts == conf.MAX_WEBHOOK_ATTEMPTS
    assert webhook.delivered_at is None
    assert delivery.due_ids(now) == []


def test_a_webhook_is_claimed_by_one_sender_only(campaign):
    payment = payment_for(campaign)
    api.pay(payment.provider_reference, GOOD)
    webhook = SandboxWebhook.objects.get()
    now = timezone.now()
    assert delivery._claim(webhook.pk, now) is True
    assert delivery._claim(webhook.pk, now) is False
    assert delivery.deliver(webhook.pk, now=now) is None


def test_chaos_duplicates_delays_and_reorders_yet_counts_once(campaign, settings):
    settings.SANDBOX_CHAOS = True
    settings.SANDBOX_CHAOS_MAX_DELAY = 5
    payments = [payment_for(campaign, f"{10 + i}.00") for i in range(12)]
    for i, payment in enumerate(payments):
        api.pay(payment.provider_reference, DECLINED if i % 4 == 0 else GOOD)
    per_event = SandboxWebhook.objects.values_list("event_id", flat=True)
    copies = [list(per_event).count(e) for e in set(per_event)]
    assert len(copies) == 12
    assert all(2 <= n <= 4 for n in copies)
    assert SandboxWebhook.objects.filter(deliver_after__gt=timezone.now()).exists()
    delivered = delivery.deliver_due(timezone.now() + timedelta(seconds=10))
    assert delivered == SandboxWebhook.objects.count()
    expected = sum(Decimal(f"{10 + i}.00") for i in range(12) if i % 4)
    assert totals(campaign)[:2] == (expected, 9)
    assert Payment.objects.filter(state=PaymentState.FAILED).count() == 3


def test_chaos_order_is_shuffled(campaign, settings, monkeypatch):
    settings.SANDBOX_CHAOS = True
    settings.SANDBOX_CHAOS_MAX_DELAY = 0
    payments = [payment_for(campaign) for _ in range(10)]
    for payment in payments:
        api.pay(payment.provider_reference, GOOD)
    orders = {tuple(delivery.due_ids(timezone.now() + SOON)) for _ in range(5)}
    assert len(orders) > 1


def test_refund_api_is_idempotent_on_the_key(campaign):
    payment = payment_for(campaign)
    api.pay(payment.provider_reference, GOOD)
    first = api.refund_charge(payment.provider_reference, idempotency_key="k1")
    again = api.refund_charge(payment.provider_reference, idempotency_key="k1")
    assert first == again
    with pytest.raises(api.SandboxAPIError) as info:
        api.refund_charge(payment.provider_reference, idempotency_key="k2")
    assert info.value.code == "charge_not_refundable" and not info.value.temporary
    with pytest.raises(api.SandboxAPIError):
        api.refund_charge(payment.provider_reference, idempotency_key="")


def test_refund_api_chaos_fails_the_first_attempts(campaign, settings):
    settings.SANDBOX_REFUND_FAILURES = 2
    payment = payment_for(campaign)
    api.pay(payment.provider_reference, GOOD)
    for _ in range(2):
        with pytest.raises(api.SandboxAPIError) as info:
            api.refund_charge(payment.provider_reference, idempotency_key="k")
        assert info.value.temporary
    assert (
        api.refund_charge(payment.provider_reference, idempotency_key="k")["state"] == "succeeded"
    )


def test_api_errors(campaign):
    with pytest.raises(api.SandboxAPIError) as info:
        api.retrieve_charge("ch_missing")
    assert info.value.status == 404
    for amount in (0, -5, 12.5):
        with pytest.raises(api.SandboxAPIError):
            api.create_charge(
                amount=amount, currency="eur", return_url="http://x/", webhook_url="http://x/"
            )
    with pytest.raises(api.SandboxAPIError):
        api.create_charge(amount=100, currency="usd", return_url="http://x/", webhook_url="x")
    payment = payment_for(campaign)
    with pytest.raises(api.SandboxAPIError) as info:
        api.pay(payment.provider_reference, "5555555555554444")
    assert info.value.code == "unknown_card"


@pytest.mark.django_db(transaction=True)
def test_http_transport_posts_to_the_live_platform(live_server, settings, campaign):
    """The real thing: the sandbox POSTs over HTTP to the running platform."""
    settings.SANDBOX_WEBHOOK_TRANSPORT = "http"
    settings.SANDBOX_WEBHOOK_DELIVERY = "poll"
    settings.SITE_URL = live_server.url
    payment = payment_for(campaign, "33.00")
    assert payment.checkout_url.startswith(live_server.url)
    api.pay(payment.provider_reference, GOOD)
    assert delivery.deliver_due() == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert totals(campaign)[:2] == (Decimal("33.00"), 1)


@pytest.mark.django_db(transaction=True)
def test_http_transport_when_the_platform_is_down(settings, campaign):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.SANDBOX_WEBHOOK_TRANSPORT = "http"
    settings.SANDBOX_WEBHOOK_DELIVERY = "poll"
    settings.SITE_URL = f"http://127.0.0.1:{port}"
    payment = payment_for(campaign)
    api.pay(payment.provider_reference, GOOD)
    assert delivery.deliver_due() == 0
    webhook = SandboxWebhook.objects.get()
    assert webhook.last_status == 0 and webhook.last_error == "unreachable"


@pytest.mark.django_db(transaction=True)
def test_task_delivery_over_http_once_committed(live_server, settings, campaign):
    """The default: a task per webhook, queued when the payment commits (immediate in
    the tests), POSTing to the platform over HTTP."""
    settings.SANDBOX_WEBHOOK_TRANSPORT = "http"
    settings.SITE_URL = live_server.url
    payment = payment_for(campaign, "33.00")
    api.pay(payment.provider_reference, GOOD)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert SandboxWebhook.objects.get().last_status == 200
