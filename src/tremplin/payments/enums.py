from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PaymentState(models.TextChoices):
    CREATED = "created", pgettext_lazy("payment state", "Created")
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", pgettext_lazy("payment state", "Confirmed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("payment state", "Cancelled")


class RefundState(models.TextChoices):
    CREATED = "created", pgettext_lazy("refund state", "Created")
    DONE = "done", pgettext_lazy("refund state", "Done")
    FAILED = "failed", _("Failed")
    # The organiser gave the money back outside the platform (a bank transfer) and
    # recorded it, with who, when, why and the transfer's reference.
    OUTSIDE = "outside", _("Refunded outside the platform")


# A payment still open at the provider (the donor may still pay).
PAYMENT_OPEN = (PaymentState.CREATED, PaymentState.PENDING)
# A payment that was not made (a late confirmation may still come).
PAYMENT_UNPAID = (PaymentState.FAILED, PaymentState.CANCELLED)

# Where a payment may go from each state. The provider's word that the money was taken
# always wins: a failed or cancelled payment can still be confirmed (a late confirmation),
# and a second payment of a contribution already paid is cancelled (then refunded). A
# confirmed payment never changes state again (its refund is a Refund row).
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentState.CREATED: {
        PaymentState.PENDING,
        PaymentState.CONFIRMED,
        PaymentState.FAILED,
        PaymentState.CANCELLED,
    },
    PaymentState.PENDING: {PaymentState.CONFIRMED, PaymentState.FAILED, PaymentState.CANCELLED},
    PaymentState.FAILED: {PaymentState.CONFIRMED, PaymentState.CANCELLED},
    PaymentState.CANCELLED: {PaymentState.CONFIRMED},
    PaymentState.CONFIRMED: set(),
}

# A refund in progress (attempted and retried), and the ones that are over.
REFUND_OPEN = (RefundState.CREATED,)
REFUND_FINAL = (RefundState.DONE, RefundState.FAILED, RefundState.OUTSIDE)
# The money is back with the contributor: through the provider, or outside the platform.
REFUND_GIVEN_BACK = (RefundState.DONE, RefundState.OUTSIDE)

# Where a refund may go. A refund the provider reports done is done, even after we had
# given up on it (its last attempt went through after all). A failed refund is either
# retried by the organiser (back to CREATED: the attempt cycle again, with the same
# idempotency key, so the provider still refunds at most once) or recorded as given back
# outside the platform (OUTSIDE, final).
REFUND_TRANSITIONS: dict[str, set[str]] = {
    RefundState.CREATED: {RefundState.DONE, RefundState.FAILED},
    RefundState.FAILED: {RefundState.DONE, RefundState.CREATED, RefundState.OUTSIDE},
    RefundState.DONE: set(),
    RefundState.OUTSIDE: set(),
}
