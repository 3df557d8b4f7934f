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
