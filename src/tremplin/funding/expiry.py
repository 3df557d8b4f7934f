"""The checkouts left unpaid: a checkout holds its reward for 30 minutes
(``Contribution.expires_at``); past that time it is cancelled and the reward given back."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.funding.rewards import release_reward
from tremplin.payments import services as payments
from tremplin.payments.enums import PAYMENT_OPEN
from tremplin.payments.models import Payment


def expire_pending_checkouts(now: datetime.datetime | None = None, *, batch: int = 500) -> int:
    """PENDING checkouts past their ``expires_at`` → CANCELLED, their reward hold released,
    their open payments cancelled. Each contribution is claimed with a conditional UPDATE
    (still PENDING, still expired), so a run racing a confirmation, or another run, never
    releases a hold twice. The payments are cancelled after the claim commits (payments lock
    the payment before the contribution; doing it inside would invert that order). A payment
    the provider confirms later still counts (``receivers.confirm_paid_contribution``)."""
    now = now or timezone.now()
    count = 0
    while True:
        rows = list(
            Contribution.objects.filter(
                state=ContributionState.PENDING, expires_at__lt=now
            ).values_list("pk", "reward_id")[:batch]
        )
        expired: list[int] = []
        for pk, reward_id in rows:
            with transaction.atomic():
                claimed = Contribution.objects.filter(
                    pk=pk, state=ContributionState.PENDING, expires_at__lt=now
                ).update(state=ContributionState.CANCELLED)
                if claimed and reward_id:
                    release_reward(reward_id)
            if claimed:
                expired.append(pk)
        count += len(expired)
        open_payments = Payment.objects.filter(
            contribution_id__in=expired,
            state__in=PAYMENT_OPEN,
        ).values_list("pk", flat=True)
        for payment_pk in list(open_payments):
            payments.cancel_payment(payment_pk, reason="checkout_expired")
        if len(rows) < batch:
            return count
