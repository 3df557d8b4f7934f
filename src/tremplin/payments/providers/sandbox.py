"""The built-in simulated payment service (``tremplin.sandbox``), the demo's default.

The platform calls the sandbox's API (``tremplin.sandbox.api``, shaped like an HTTP API)
to open charges, refund and read them; the sandbox answers through webhooks signed with
HMAC-SHA256 (``Sandbox-Signature: t=…,v1=…``) that it POSTs to ``payments:webhook``."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.utils.translation import gettext_lazy as _

from tremplin.core.money import to_cents
from tremplin.payments.enums import PaymentState
from tremplin.payments.providers.base import (
    PaymentProvider,
    ProviderError,
    RefundRejected,
    refund_idempotency_key,
    register,
)
from tremplin.sandbox import api, conf
from tremplin.sandbox.models import is_charge_id
from tremplin.sandbox.signing import SignatureError, verify

logger = logging.getLogger(__name__)


# (event, the payment's committed state) that can change nothing: answered at once.
_ALREADY_DONE = {
    ("charge.succeeded", PaymentState.CONFIRMED),
    ("charge.declined", PaymentState.FAILED),
    ("charge.declined", PaymentState.CANCELLED),
}


def _api_error(error: api.SandboxAPIError) -> Exception:
    return ProviderError(str(error)) if error.temporary else RefundRejected(str(error))


@register
class SandboxProvider(PaymentProvider):
    identifier = "sandbox"
    verbose_name = _("Sandbox (test payments, no real money)")

    @classmethod
    def is_available(cls) -> bool:
        return bool(getattr(settings, "SANDBOX_ENABLED", False))

    def start(self, payment, return_url: str) -> str:
        from tremplin.payments.services import webhook_url

        try:
            charge = api.create_charge(
                amount=to_cents(payment.amount),
                currency="eur",
                return_url=return_url,
                webhook_url=webhook_url(self.identifier),
                description=payment.contribution.campaign.title,
                metadata={"payment": str(payment.pk)},
            )
        except api.SandboxAPIError as error:
            raise ProviderError(str(error)) from error
        payment.provider_reference = charge["id"]
        return charge["url"]

    def handle_webhook(self, request: HttpRequest) -> HttpResponse:
        from tremplin.payments import services
        from tremplin.payments.models import Payment

        header = request.META.get(conf.SIGNATURE_META, "")
        try:
            verify(request.body, header, conf.webhook_secret(), tolerance=conf.SIGNATURE_TOLERANCE)
        except SignatureError as error:
            logger.warning("sandbox webhook refused: %s", error)
            return HttpResponseBadRequest("invalid signature")
        try:
            event = json.loads(request.body)
            kind = str(event["type"])
            charge = event["data"]["charge"]
            charge_id = str(charge["id"])
        except (ValueError, KeyError, TypeError):
            return HttpResponseBadRequest("malformed event")
        if not is_charge_id(charge_id):
            return HttpResponseBadRequest("malformed event")
        payment = (
            Payment.objects.filter(provider=self.identifier, provider_reference=charge_id)
            .only("pk", "amount", "state")
            .first()
        )
        if payment is None:
            return HttpResponseNotFound("unknown payment")
        if (kind, payment.state) in _ALREADY_DONE:
            # A duplicate (the states only move forward from here): nothing to lock.
            return HttpResponse("ok", content_type="text/plain")
        if kind == "charge.succeeded":
            if charge.get("amount") != to_cents(payment.amount):
                logger.error("sandbox webhook: amount mismatch on payment %s", payment.pk)
                return HttpResponseBadRequest("amount mismatch")
            services.confirm_payment(
                payment.pk, provider_reference=charge_id, info={"event": str(event.get("id"))}
            )
        elif kind == "charge.declined":
            services.fail_payment(payment.pk, reason=str(charge.get("decline_code") or "declined"))
        # charge.refunded and anything else: nothing to do (refunds are synchronous).
        return HttpResponse("ok", content_type="text/plain")

    def refund(self, refund) -> str:
        try:
            result = api.refund_charge(
                refund.payment.provider_reference, idempotency_key=refund_idempotency_key(refund)
            )
        except api.SandboxAPIError as error:
            raise _api_error(error) from error
        return result["id"]

    def fetch_status(self, payment) -> PaymentState:
        try:
            charge = api.retrieve_charge(payment.provider_reference)
        except api.SandboxAPIError as error:
            if error.status == 404:
                return PaymentState.FAILED
            raise ProviderError(str(error)) from error
        return {
            "succeeded": PaymentState.CONFIRMED,
            "refunded": PaymentState.CONFIRMED,
            "declined": PaymentState.FAILED,
        }.get(charge["state"], PaymentState.PENDING)
