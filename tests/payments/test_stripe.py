"""The Stripe provider against recorded responses of Stripe's API (tests/payments/
stripe_fixtures/), with the real ``stripe`` library encoding the requests and raising its
errors, and the REAL webhook signature check (``stripe.Webhook.construct_event``) on
payloads we sign with Stripe's scheme."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
from django.test import Client
from django.urls import reverse

from tests.payments.helpers import contribution, totals
from tremplin.core.models import AuditLog
from tremplin.payments import services
from tremplin.payments.enums import PaymentState, RefundState
from tremplin.payments.models import Payment, ProviderAccount
from tremplin.payments.providers import stripe as stripe_provider
from tremplin.payments.providers.base import get_provider

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "stripe_fixtures"
SESSION_ID = "cs_test_a1Qx7Yp3LmN8rTz2WvB5cD9eF4gH6jK0"
WEBHOOK_SECRET = "whsec_test_5a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"
SECRET_KEY = "sk_test_51QxTestSecretKeyForTremplinRecordedResponses"


def fixture(name: str, **values) -> str:
    text = (FIXTURES / f"{name}.json").read_text()
    for key, value in values.items():
        text = text.replace(f"__{key.upper()}__", str(value))
    return text


class RecordedStripe(stripe.HTTPClient):
    """Stripe's HTTP API answering recorded responses, in order, per (method, path)."""

    name = "recorded"

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.requests: list[dict] = []

    def add(self, method: str, path: str, status: int, body: str) -> None:
        self.routes.setdefault((method.upper(), path), []).append((status, body))

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = urlsplit(url).path
        self.requests.append(
            {
                "method": method.upper(),
                "path": path,
                "query": parse_qs(urlsplit(url).query),
                "headers": dict(headers or {}),
                "data": parse_qs(post_data or ""),
            }
        )
        queue = self.routes.get((method.upper(), path))
        if not queue:
            raise AssertionError(f"unexpected Stripe call {method} {path}")
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(body):
            body = body(self.requests[-1]["data"])
        return body, status, {"request-id": f"req_test_{len(self.requests)}"}

    def request_stream(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0


@pytest.fixture
def recorded(monkeypatch):
    client = RecordedStripe()
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    return client


@pytest.fixture
def stripe_campaign(campaign):
    settings = campaign.programme.campaign_settings
    settings.payment_provider = "stripe"
    settings.save()
    ProviderAccount.objects.create(
        organiser=campaign.programme.organiser,
        provider="stripe",
        settings={
            "publishable_key": "pk_test_51QxTestPublishable",
            "secret_key": SECRET_KEY,
            "webhook_secret": WEBHOOK_SECRET,
        },
    )
    return campaign


def start(campaign, recorded) -> Payment:
    recorded.add(
        "POST",
        "/v1/checkout/sessions",
        200,
        # The recorded session, naming the payment and return URL that were sent.
        lambda data: fixture(
            "checkout_session_created",
            payment=data["metadata[payment]"][0],
            contribution=data["metadata[contribution]"][0],
            return_url=data["success_url"][0],
        ),
    )
    return services.create_payment(contribution(campaign, "25.00"))


def stripe_signature(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def send_event(name: str, payment: Payment, **kwargs):
    payload = fixture(name, payment=payment.pk, contribution=payment.contribution_id)
    header = kwargs.pop("header", None) or stripe_signature(payload, **kwargs)
    return Client().post(
        reverse("payments:webhook", args=["stripe"]),
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )


def test_start_creates_a_checkout_session(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    assert payment.state == PaymentState.PENDING
    assert payment.provider == "stripe"
    assert payment.provider_reference == SESSION_ID
    assert payment.checkout_url.startswith("https://checkout.stripe.com/c/pay/" + SESSION_ID)
    (call,) = recorded.requests
    assert call["headers"]["Authorization"] == f"Bearer {SECRET_KEY}"
    assert call["headers"]["Idempotency-Key"] == f"tremplin-payment-{payment.pk}"
    data = call["data"]
    assert data["mode"] == ["payment"]
    assert data["line_items[0][price_data][unit_amount]"] == ["2500"]
    assert data["line_items[0][price_data][currency]"] == ["eur"]
    assert data["metadata[payment]"] == [str(payment.pk)]
    assert data["success_url"][0].startswith("http://testserver/paiement/retour/")
    assert data["success_url"] == data["cancel_url"]


def test_start_maps_stripe_errors_to_a_provider_error(stripe_campaign, recorded):
    recorded.add("POST", "/v1/checkout/sessions", 503, fixture("error_api_503"))
    with pytest.raises(services.ProviderError):
        services.create_payment(contribution(stripe_campaign, "25.00"))
    payment = Payment.objects.get()
    assert payment.state == PaymentState.FAILED
    assert payment.failure_reason == "provider_unavailable"
    assert len(recorded.requests) == 3  # the library's own retries, then us


def test_a_completed_session_confirms_once(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    for _ in range(3):
        response = send_event("event_checkout_session_completed", payment)
        assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert payment.info["payment_intent"] == "pi_3QxTestPaymentIntent0001"
    assert totals(stripe_campaign)[:2] == (Decimal("25.00"), 1)


def test_an_unpaid_completed_session_waits(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    assert send_event("event_checkout_session_completed_unpaid", payment).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


@pytest.mark.parametrize(
    "event, reason",
    [
        ("event_checkout_session_expired", "expired"),
        ("event_checkout_session_async_payment_failed", "async_payment_failed"),
    ],
)
def test_expired_and_failed_sessions_fail_the_payment(stripe_campaign, recorded, event, reason):
    payment = start(stripe_campaign, recorded)
    assert send_event(event, payment).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert payment.failure_reason == reason


def test_an_expired_event_after_completion_is_ignored(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    send_event("event_checkout_session_completed", payment)
    assert send_event("event_checkout_session_expired", payment).status_code == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED
    assert AuditLog.objects.filter(action="tremplin.payment.failure_ignored").exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "whsec_not_the_right_one"},
        {"timestamp": int(time.time()) - 600},
        {"header": "t=1,v1=deadbeef"},
        {"header": "garbage"},
    ],
    ids=["forged", "stale", "wrong", "garbage"],
)
def test_bad_stripe_signatures_are_refused(stripe_campaign, recorded, kwargs):
    payment = start(stripe_campaign, recorded)
    assert send_event("event_checkout_session_completed", payment, **kwargs).status_code == 400
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert totals(stripe_campaign)[:2] == (Decimal("0.00"), 0)


def test_an_event_for_an_unknown_payment(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    payload = fixture("event_checkout_session_completed", payment=999999, contribution=1)
    response = Client().post(
        reverse("payments:webhook", args=["stripe"]),
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": stripe_signature(payload)},
    )
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_another_organisers_secret_does_not_sign_for_this_one(stripe_campaign, recorded):
    """The signature is checked with the secret of the payment's own organiser."""
    payment = start(stripe_campaign, recorded)
    response = send_event("event_checkout_session_completed", payment, secret="whsec_other_org")
    assert response.status_code == 400


def test_a_session_that_is_not_the_payments_is_refused(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    Payment.objects.filter(pk=payment.pk).update(provider_reference="cs_test_another")
    assert send_event("event_checkout_session_completed", payment).status_code == 400
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING


def test_fetch_status(stripe_campaign, recorded):
    payment = start(stripe_campaign, recorded)
    provider = get_provider("stripe", stripe_campaign.programme.organiser)
    path = f"/v1/checkout/sessions/{SESSION_ID}"
    recorded.add("GET", path, 200, fixture("checkout_session_created", payment=payment.pk))
    assert provider.fetch_status(payment) == PaymentState.PENDING
    recorded.routes[("GET", path)] = [
        (200, fixture("checkout_session_complete", payment=payment.pk))
    ]
    assert provider.fetch_status(payment) == PaymentState.CONFIRMED
    recorded.routes[("GET", path)] = [(200, fixture("checkout_session_expired", payment=payment))]
    assert provider.fetch_status(payment) == PaymentState.FAILED


def test_reconcile_asks_stripe(stripe_campaign, recorded):
    from datetime import timedelta

    from django.utils import timezone

    payment = start(stripe_campaign, recorded)
    recorded.add(
        "GET",
        f"/v1/checkout/sessions/{SESSION_ID}",
        200,
        fixture("checkout_session_complete", payment=payment.pk),
    )
    assert services.reconcile_pending(now=timezone.now() + timedelta(minutes=11)) == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED


def confirmed(stripe_campaign, recorded) -> Payment:
    payment = start(stripe_campaign, recorded)
    send_event("event_checkout_session_completed", payment)
    payment.refresh_from_db()
    return payment


def test_refund_with_an_idempotency_key(stripe_campaign, recorded):
    payment = confirmed(stripe_campaign, recorded)
    refund = services.request_refund(payment)
    recorded.add(
        "POST",
        "/v1/refunds",
        200,
        fixture("refund_succeeded", refund=refund.pk, payment=payment.pk),
    )
    refund = services.attempt_refund(refund.pk)
    assert refund.state == RefundState.DONE
    assert refund.provider_reference == "re_3QxTestRefund000000000001"
    call = recorded.requests[-1]
    assert call["headers"]["Idempotency-Key"] == f"tremplin-refund-{refund.pk}"
    assert call["data"]["payment_intent"] == ["pi_3QxTestPaymentIntent0001"]
    assert call["data"]["amount"] == ["2500"]
    assert totals(stripe_campaign)[:2] == (Decimal("0.00"), 0)


def test_refund_retries_keep_the_same_key(stripe_campaign, recorded):
    from datetime import timedelta

    from django.utils import timezone

    payment = confirmed(stripe_campaign, recorded)
    refund = services.request_refund(payment)
    recorded.add("POST", "/v1/refunds", 429, fixture("error_rate_limit"))
    first = services.attempt_refund(refund.pk)
    assert first.state == RefundState.CREATED
    assert "rate limit" in first.last_error.lower()
    recorded.routes[("POST", "/v1/refunds")] = [
        (200, fixture("refund_succeeded", refund=refund.pk, payment=payment.pk))
    ]
    done = services.attempt_refund(refund.pk, now=timezone.now() + timedelta(hours=1))
    assert done.state == RefundState.DONE
    keys = {
        r["headers"]["Idempotency-Key"] for r in recorded.requests if r["path"] == "/v1/refunds"
    }
    assert keys == {f"tremplin-refund-{refund.pk}"}


def test_an_already_refunded_charge_finds_our_own_refund(stripe_campaign, recorded):
    """Beyond Stripe's idempotency window, a retry answers 'already refunded': the refund
    carrying our refund's id in its metadata is ours, so the refund is done (once)."""
    payment = confirmed(stripe_campaign, recorded)
    refund = services.request_refund(payment)
    recorded.add("POST", "/v1/refunds", 400, fixture("error_charge_already_refunded"))
    recorded.add(
        "GET", "/v1/refunds", 200, fixture("refund_list", refund=refund.pk, payment=payment.pk)
    )
    done = services.attempt_refund(refund.pk)
    assert done.state == RefundState.DONE
    assert done.provider_reference == "re_3QxTestRefund000000000001"


def test_an_already_refunded_charge_by_someone_else_fails(stripe_campaign, recorded):
    payment = confirmed(stripe_campaign, recorded)
    refund = services.request_refund(payment)
    recorded.add("POST", "/v1/refunds", 400, fixture("error_charge_already_refunded"))
    recorded.add("GET", "/v1/refunds", 200, fixture("refund_list", refund=0, payment=payment.pk))
    failed = services.attempt_refund(refund.pk)
    assert failed.state == RefundState.FAILED
    assert totals(stripe_campaign)[:2] == (Decimal("25.00"), 1)


def test_an_organiser_without_keys_cannot_start(campaign, recorded):
    settings = campaign.programme.campaign_settings
    settings.payment_provider = "stripe"
    settings.save()
    with pytest.raises(services.ProviderError):
        services.create_payment(contribution(campaign))
    assert recorded.requests == []


def test_the_payload_is_checked_by_stripe_itself(stripe_campaign, recorded):
    """Our signature helper is Stripe's scheme: the library accepts it and refuses a
    one-byte change."""
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "ping", "data": {}})
    header = stripe_signature(payload)
    stripe.Webhook.construct_event(payload, header, WEBHOOK_SECRET)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload + " ", header, WEBHOOK_SECRET)


def test_a_refund_whose_session_cannot_be_read_is_retried(stripe_campaign, recorded):
    payment = confirmed(stripe_campaign, recorded)
    Payment.objects.filter(pk=payment.pk).update(info={})  # the payment intent is unknown
    refund = services.request_refund(payment)
    recorded.add("GET", f"/v1/checkout/sessions/{SESSION_ID}", 503, fixture("error_api_503"))
    attempt = services.attempt_refund(refund.pk)
    assert attempt.state == RefundState.CREATED and attempt.attempts == 1
    assert "/v1/refunds" not in {r["path"] for r in recorded.requests}
