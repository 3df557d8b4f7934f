from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContributionState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    CONFIRMED = "confirmed", pgettext_lazy("contribution state", "Confirmed")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", _("Cancelled or expired")
    REFUNDED = "refunded", _("Refunded")


class ContributionSource(models.TextChoices):
    ONLINE = "online", _("Online payment")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")


class MatchRule(models.TextChoices):
    RATIO = "ratio", _("A share of every contribution")
    THRESHOLD_GRANT = "threshold_grant", _("A grant when a campaign reaches a threshold")


class AllocationState(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("matched funds state", "Confirmed")
    RELEASED = "released", pgettext_lazy("matched funds state", "Released")
