from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReceiptState(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("tax receipt state", "Issued")
    CANCELLED = "cancelled", pgettext_lazy("tax receipt state", "Cancelled")


# A receipt, once numbered, is never deleted: a refund after its issue cancels it (it is
# kept, marked cancelled, its number used).
RECEIPT_TRANSITIONS: dict[str, set[str]] = {
    ReceiptState.ISSUED: {ReceiptState.CANCELLED},
    ReceiptState.CANCELLED: set(),
}


class GiftForm(models.TextChoices):
    """« Forme du don » of Cerfa n° 11580*05."""

    AUTHENTIC_DEED = "authentic_deed", _("Authentic deed")
    PRIVATE_DEED = "private_deed", _("Private deed")
    MANUAL_GIFT = "manual_gift", _("Declaration of a manual gift")
    OTHER = "other", _("Other")


class GiftNature(models.TextChoices):
    """« Nature du don »: a crowdfunding gift is money."""

    CASH = "cash", _("Money (numéraire)")


class PaymentMethod(models.TextChoices):
    """« Mode de versement » of a gift of money."""

    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER_OR_CARD = "transfer_card", _("Transfer, direct debit or bank card")
