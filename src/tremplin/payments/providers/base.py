"""The payment provider interface (after pretix's ``BasePaymentProvider``).

A provider knows how to start a payment (send the donor to its hosted page), read its
signed webhooks, refund, and say where a payment stands. It never changes a row itself
except through ``payments.services`` (``confirm_payment``, ``fail_payment``), which lock the
payment row, so a provider's webhooks can arrive twice, late or out of order.

Keys are per organiser (``ProviderAccount.settings``); they are never logged: ``log_action``
masks every key whose name contains secret, token, password…, and providers only log the
names of the settings that changed, never their values.

Two kinds of errors: ``ProviderError`` is temporary (network, 5xx, rate limit): try again
later with the same idempotency key; ``PaymentDeclined`` / ``RefundRejected`` are final."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.http import HttpRequest, HttpResponse

from tremplin.payments.enums import PaymentState

if TYPE_CHECKING:
    from tremplin.core.models import Organiser
    from tremplin.payments.models import Payment, Refund


class ProviderError(Exception):
    """A temporary failure of the provider (network, timeout, 5xx, rate limit): the same
    request, with the same idempotency key, may be tried again later."""


class PaymentDeclined(Exception):
    """The provider refused the payment for good (card declined, insufficient funds)."""


class RefundRejected(Exception):
    """The provider refused the refund for good (e.g. the charge cannot be refunded)."""


class UnknownProvider(LookupError):
    pass


class PaymentProvider(ABC):
    """One provider, bound to an organiser's account settings (may be empty)."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[Any]
    # The organiser's settings form (keys…); None when the provider needs none.
    settings_form_class: ClassVar[type[forms.Form] | None] = None
    # Names of settings that must never be shown back, logged or exported.
    secret_settings: ClassVar[tuple[str, ...]] = ()

    def __init__(self, account_settings: dict[str, Any] | None = None) -> None:
        self.account_settings = dict(account_settings or {})

    def __repr__(self) -> str:  # never the settings: they hold secrets
        return f"<{type(self).__name__} {self.identifier}>"

    @abstractmethod
    def start(self, payment: Payment, return_url: str) -> str:
        """Open the payment at the provider and return the URL to send the donor to. May set
        ``payment.provider_reference`` and ``payment.info`` (the caller saves them). Raises
        ProviderError when the provider cannot be reached."""

    @abstractmethod
    def handle_webhook(self, request: HttpRequest) -> HttpResponse:
        """Verify the signature (400 on a bad or stale one, nothing changed), then confirm
        or fail the payment through ``payments.services``. 200 on duplicates."""

    @abstractmethod
    def refund(self, refund: Refund) -> str:
        """Refund ``refund.amount`` of ``refund.payment``; the provider's reference.
        Idempotent on ``refund_idempotency_key(refund)``: calling it again after a crash
        never refunds twice. Raises ProviderError (temporary) or RefundRejected (final)."""

    @abstractmethod
    def fetch_status(self, payment: Payment) -> PaymentState:
        """Where the provider says the payment stands (PENDING when it does not know yet).
        Raises ProviderError when it cannot be reached."""

    def is_configured(self) -> bool:
        return True

    @classmethod
    def is_available(cls) -> bool:
        """May this provider take new payments on this installation? (The sandbox: only
        with ``SANDBOX_ENABLED``.) Payments already made are still refunded."""
        return True


def refund_idempotency_key(refund: Refund) -> str:
    """The same key on every attempt of one refund: the provider refunds once."""
    return f"tremplin-refund-{refund.pk}"


def payment_idempotency_key(payment: Payment) -> str:
    return f"tremplin-payment-{payment.pk}"


# --- registry ----------------------------------------------------------------------------

_REGISTRY: dict[str, type[PaymentProvider]] = {}


def register(cls: type[PaymentProvider]) -> type[PaymentProvider]:
    _REGISTRY[cls.identifier] = cls
    return cls


def _load_builtin() -> None:
    # Importing the modules registers the providers.
    from tremplin.payments.providers import sandbox, stripe  # noqa: F401


def provider_classes() -> dict[str, type[PaymentProvider]]:
    _load_builtin()
    return dict(_REGISTRY)


def available_provider_classes() -> dict[str, type[PaymentProvider]]:
    """The providers a programme may choose and a checkout may use on this installation."""
    return {name: cls for name, cls in provider_classes().items() if cls.is_available()}


def account_settings(identifier: str, organiser: Organiser | int | None) -> dict[str, Any]:
    if organiser is None:
        return {}
    from tremplin.payments.models import ProviderAccount

    organiser_id = organiser if isinstance(organiser, int) else organiser.pk
    account = (
        ProviderAccount.objects.filter(organiser_id=organiser_id, provider=identifier)
        .only("settings")
        .first()
    )
    return dict(account.settings) if account else {}


def get_provider(identifier: str, organiser: Organiser | int | None = None) -> PaymentProvider:
    """The provider ``identifier`` ("sandbox", "stripe"), with ``organiser``'s settings."""
    classes = provider_classes()
    try:
        cls = classes[identifier]
    except KeyError:
        raise UnknownProvider(identifier) from None
    if cls.settings_form_class is None:  # nothing to read (the sandbox)
        return cls({})
    return cls(account_settings(identifier, organiser))


def provider_for_payment(payment: Payment) -> PaymentProvider:
    return get_provider(payment.provider, payment.contribution.campaign.programme.organiser_id)
