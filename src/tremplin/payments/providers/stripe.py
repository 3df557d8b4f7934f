"""Stripe: Checkout Sessions, signed webhooks, refunds (with the ``stripe`` library).

Keys are per organiser (``ProviderAccount.settings``: publishable_key, secret_key,
webhook_secret). Each organiser points its Stripe webhook at ``/paiement/webhook/stripe/``;
an event names its payment (metadata), whose organiser's webhook secret then checks the
signature with ``stripe.Webhook.construct_event`` before anything is changed.

``http_client_factory`` lets the tests replace Stripe's HTTP API with recorded responses
(the library itself, its parameters encoding and its errors, still run)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import stripe
from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.utils.translation import gettext_lazy as _

from tremplin.core.money import to_cents
from tremplin.payments.enums import PaymentState
from tremplin.payments.providers.base import (
    PaymentProvider,
    ProviderError,
    RefundRejected,
    account_settings,
    payment_idempotency_key,
    refund_idempotency_key,
    register,
)

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE = 300  # seconds
# Set by tests to a stripe HTTPClient answering recorded responses.
http_client_factory: Callable[[], Any] | None = None


class StripeSettingsForm(forms.Form):
    """The organiser's Stripe keys. The secrets are write-only: never shown back; an empty
    field keeps the key already saved."""

    publishable_key = forms.CharField(
        label=_("Publishable key"),
        max_length=255,
        help_text=_("Starts with pk_live_ or pk_test_."),
    )
    secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Starts with sk_ or rk_. Leave empty to keep the key already saved."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook signing secret"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Starts with whsec_. Leave empty to keep the secret already saved."),
    )

    def __init__(self, *args, saved: dict[str, Any] | None = None, **kwargs) -> None:
        self.saved = dict(saved or {})
        kwargs.setdefault("initial", {"publishable_key": self.saved.get("publishable_key", "")})
        super().__init__(*args, **kwargs)

    def clean_publishable_key(self) -> str:
        key = self.cleaned_data["publishable_key"]
        if not key.startswith(("pk_live_", "pk_test_")):
            raise forms.ValidationError(_("A publishable key starts with pk_live_ or pk_test_."))
        return key

    def _secret(self, name: str, prefixes: tuple[str, ...], message) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            if not self.saved.get(name):
                raise forms.ValidationError(_("This key is required."))
            return ""
        if not value.startswith(prefixes):
            raise forms.ValidationError(message)
        return value

    def clean_secret_key(self) -> str:
        return self._secret(
            "secret_key",
            ("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
            _("A secret key starts with sk_ or rk_ (live or test)."),
        )

    def clean_webhook_secret(self) -> str:
        return self._secret(
            "webhook_secret", ("whsec_",), _("A webhook signing secret starts with whsec_.")
        )

    def clean(self):
        data = super().clean()
        secret = data.get("secret_key") or self.saved.get("secret_key", "")
        public = data.get("publishable_key", "")
        if secret and public and ("_live_" in secret) != ("_live_" in public):
            raise forms.ValidationError(_("Both keys must be live keys, or both test keys."))
        return data

    def settings(self) -> dict[str, Any]:
        """The settings to save: the new values, the saved secrets where left empty."""
        merged = dict(self.saved)
        for name, value in self.cleaned_data.items():
            if value or name == "publishable_key":
                merged[name] = value
        return merged


def _temporary(error: stripe.StripeError) -> bool:
    if isinstance(
        error,
        stripe.APIConnectionError
        | stripe.RateLimitError
        | stripe.APIError
        | stripe.AuthenticationError
        | stripe.PermissionError,
    ):
        return True
    return (error.http_status or 0) >= 500


@register
class StripeProvider(PaymentProvider):
    identifier = "stripe"
    verbose_name = _("Stripe (cards)")
    settings_form_class = StripeSettingsForm
    secret_settings = ("secret_key", "webhook_secret")

    def is_configured(self) -> bool:
        return bool(self.account_settings.get("secret_key"))

    def client(self) -> stripe.StripeClient:
        secret_key = self.account_settings.get("secret_key")
        if not secret_key:
            raise ProviderError("Stripe is not configured for this organiser")
        http_client = (
            http_client_factory() if http_client_factory else stripe.RequestsClient(timeout=20)
        )
        return stripe.StripeClient(secret_key, http_client=http_client, max_network_retries=2)

    # --- payments -----------------------------------------------------------------------

    def start(self, payment, return_url: str) -> str:
        contribution = payment.contribution
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": to_cents(payment.amount),
                        "product_data": {"name": contribution.campaign.title[:120]},
                    },
                }
            ],
            "success_url": return_url,
            "cancel_url": return_url,
            "client_reference_id": str(payment.pk),
            "metadata": {"payment": str(payment.pk), "contribution": str(contribution.pk)},
            "payment_intent_data": {"metadata": {"payment": str(payment.pk)}},
        }
        if contribution.email:
            params["customer_email"] = contribution.email
        try:
            session = self.client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": payment_idempotency_key(payment)}
            )
        except stripe.StripeError as error:
            raise ProviderError(f"Stripe: {error.user_message or error}") from error
        payment.provider_reference = session.id
        return session.url

    def fetch_status(self, payment) -> PaymentState:
        try:
            session = self.client().v1.checkout.sessions.retrieve(payment.provider_reference)
        except stripe.StripeError as error:
            raise ProviderError(f"Stripe: {error.user_message or error}") from error
        if session.status == "complete" and session.payment_status in (
            "paid",
            "no_payment_required",
        ):
            return PaymentState.CONFIRMED
        if session.status == "expired":
            return PaymentState.FAILED
        return PaymentState.PENDING

    # --- refunds ------------------------------------------------------------------------

    def _payment_intent(self, payment) -> str:
        intent = payment.info.get("payment_intent")
        if intent:
            return intent
        session = self.client().v1.checkout.sessions.retrieve(payment.provider_reference)
        if not session.payment_intent:
            raise RefundRejected("this Checkout Session has no payment to refund")
        return str(session.payment_intent)

    def refund(self, refund) -> str:
        payment = refund.payment
        try:
            intent = self._payment_intent(payment)
        except stripe.StripeError as error:
            if _temporary(error):
                raise ProviderError(f"Stripe: {error.user_message or error}") from error
            raise RefundRejected(f"Stripe: {error.user_message or error}") from error
        try:
            created = self.client().v1.refunds.create(
                params={
                    "payment_intent": intent,
                    "amount": to_cents(refund.amount),
                    "metadata": {"refund": str(refund.pk), "payment": str(payment.pk)},
                },
                options={"idempotency_key": refund_idempotency_key(refund)},
            )
        except stripe.InvalidRequestError as error:
            if error.code == "charge_already_refunded":
                # Our own refund, made before a crash and beyond the idempotency window?
                existing = self._find_refund(intent, refund.pk)
                if existing:
                    return existing
            raise RefundRejected(f"Stripe: {error.user_message or error}") from error
        except stripe.StripeError as error:
            if _temporary(error):
                raise ProviderError(f"Stripe: {error.user_message or error}") from error
            raise RefundRejected(f"Stripe: {error.user_message or error}") from error
        if created.status == "failed":
            raise RefundRejected(f"Stripe: refund {created.id} failed")
        return created.id

    def _find_refund(self, intent: str, refund_pk: int) -> str:
        refunds = self.client().v1.refunds.list(params={"payment_intent": intent, "limit": 100})
        for item in refunds.data:
            metadata = item.metadata.to_dict() if item.metadata else {}
            if metadata.get("refund") == str(refund_pk):
                return item.id
        return ""

    # --- webhooks -----------------------------------------------------------------------

    def handle_webhook(self, request: HttpRequest) -> HttpResponse:
        from tremplin.payments import services
        from tremplin.payments.models import Payment

        signature = request.META.get("HTTP_STRIPE_SIGNATURE", "")
        try:
            payload = request.body.decode("utf-8")
            unverified = json.loads(payload)
            session = unverified["data"]["object"]
            payment_pk = int((session.get("metadata") or {}).get("payment") or 0)
        except (ValueError, KeyError, TypeError, AttributeError):
            return HttpResponseBadRequest("malformed event")
        payment = (
            Payment.objects.filter(pk=payment_pk, provider=self.identifier)
            .select_related("contribution__campaign__programme")
            .first()
        )
        if payment is None:
            return HttpResponseNotFound("unknown payment")
        secret = account_settings(
            self.identifier, payment.contribution.campaign.programme.organiser_id
        ).get("webhook_secret")
        if not secret:
            logger.error("stripe webhook: no webhook secret for payment %s", payment.pk)
            return HttpResponseBadRequest("not configured")
        try:
            stripe.Webhook.construct_event(payload, signature, secret, WEBHOOK_TOLERANCE)
        except (stripe.SignatureVerificationError, ValueError) as error:
            logger.warning("stripe webhook refused: %s", error)
            return HttpResponseBadRequest("invalid signature")
        # From here on the payload is the one Stripe signed.
        kind = unverified.get("type", "")
        if not kind.startswith("checkout.session."):
            return HttpResponse("ignored", content_type="text/plain")
        if session.get("id") != payment.provider_reference:
            return HttpResponseBadRequest("session does not match the payment")
        if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            if session.get("payment_status") not in ("paid", "no_payment_required"):
                return HttpResponse("awaiting payment", content_type="text/plain")
            if session.get("amount_total") != to_cents(payment.amount) or (
                str(session.get("currency", "")).lower() != "eur"
            ):
                logger.error("stripe webhook: amount mismatch on payment %s", payment.pk)
                return HttpResponseBadRequest("amount mismatch")
            info = {"event": str(unverified.get("id", ""))}
            if session.get("payment_intent"):
                info["payment_intent"] = str(session["payment_intent"])
            services.confirm_payment(payment.pk, provider_reference=session["id"], info=info)
        elif kind == "checkout.session.async_payment_failed":
            services.fail_payment(payment.pk, reason="async_payment_failed")
        elif kind == "checkout.session.expired":
            services.fail_payment(payment.pk, reason="expired")
        return HttpResponse("ok", content_type="text/plain")
