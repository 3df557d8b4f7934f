from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContributionState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    CONFIRMED = "confirmed", pgettext_lazy("contribution state", "Confirmed")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", _("Cancelled or expired")
    REFUNDED = "refunded", _("Refunded")


# A contribution that is counted in its campaign's totals.
CONTRIBUTION_COUNTED = (ContributionState.CONFIRMED,)
# A checkout whose payment is not made: a late confirmation may still count it.
CONTRIBUTION_UNPAID = (ContributionState.FAILED, ContributionState.CANCELLED)
# Nothing happens to a contribution in these states any more.
CONTRIBUTION_FINAL = (ContributionState.REFUNDED,)

# Where a contribution may go from each state. Offline contributions are created
# CONFIRMED. A payment confirmed late (the checkout failed or expired meanwhile) still
# counts: the money was taken. A confirmed contribution only goes back by a refund.
CONTRIBUTION_TRANSITIONS: dict[str, set[str]] = {
    ContributionState.PENDING: {
        ContributionState.CONFIRMED,
        ContributionState.FAILED,
        ContributionState.CANCELLED,
    },
    ContributionState.FAILED: {ContributionState.CONFIRMED},
    ContributionState.CANCELLED: {ContributionState.CONFIRMED},
    ContributionState.CONFIRMED: {ContributionState.REFUNDED},
    ContributionState.REFUNDED: set(),
}


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
