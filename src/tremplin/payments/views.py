"""The two endpoints the providers reach: the donor's return from the hosted payment page,
and the providers' webhooks."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from tremplin.payments import services
from tremplin.payments.enums import PAYMENT_OPEN, PaymentState
from tremplin.payments.models import Payment
from tremplin.payments.providers.base import (
    ProviderError,
    UnknownProvider,
    get_provider,
    provider_for_payment,
)

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's event. The provider checks the signature (400 on a bad or stale one)
    before anything is read; duplicates answer 200 and change nothing."""
    try:
        provider_obj = get_provider(provider)
    except UnknownProvider:
        raise Http404 from None
    if not provider_obj.is_available():  # the sandbox while it is off
        raise Http404
    try:
        return provider_obj.handle_webhook(request)
    except services.PaymentError as error:
        logger.warning("webhook %s refused: %s", provider, error)
        return HttpResponseBadRequest("refused")


def _refresh(payment: Payment) -> Payment:
    """Ask the provider where a payment still open stands (the webhook may be on its
    way): the donor then sees the outcome at once. Never trusts the query string."""
    if payment.state not in PAYMENT_OPEN:
        return payment
    try:
        status = provider_for_payment(payment).fetch_status(payment)
    except ProviderError as error:
        logger.info("return: payment %s: status unavailable: %s", payment.pk, error)
        return payment
    if status == PaymentState.CONFIRMED:
        return services.confirm_payment(payment.pk)
    if status in (PaymentState.FAILED, PaymentState.CANCELLED):
        return services.fail_payment(payment.pk, reason="declined")
    return payment


@never_cache
@require_safe
def payment_return(request: HttpRequest, payment_pk: int, token: str) -> HttpResponse:
    if not services.check_return_token(payment_pk, token):
        raise Http404
    payment = (
        Payment.objects.select_related("contribution__campaign__programme")
        .filter(pk=payment_pk)
        .first()
    )
    if payment is None:
        raise Http404
    payment = _refresh(payment)
    if payment.state == PaymentState.CONFIRMED:
        messages.success(request, _("Thank you! Your payment is confirmed."))
    elif payment.state in (PaymentState.FAILED, PaymentState.CANCELLED):
        messages.error(
            request,
            _("Your payment was declined or not completed: no money was taken. You can try again."),
        )
    else:
        messages.info(
            request,
            _(
                "Your payment is not confirmed yet: the payment service may still be "
                "processing it, and this page shows the result as soon as it is known. If you "
                "left the payment page without paying, no money was taken."
            ),
        )
    return redirect(reverse("funding:thanks", args=[payment.contribution.idempotency_key]))
