"""Payment providers: ``get_provider("sandbox")``, ``get_provider("stripe", organiser)``."""

from tremplin.payments.providers.base import (
    PaymentDeclined,
    PaymentProvider,
    ProviderError,
    RefundRejected,
    get_provider,
)

__all__ = ["PaymentDeclined", "PaymentProvider", "ProviderError", "RefundRejected", "get_provider"]
