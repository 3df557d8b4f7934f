from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    CONFIRMED = "confirmed", _("Confirmed")
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
    CONFIRMED = "confirmed", _("Confirmed")
    RELEASED = "released", _("Released")
