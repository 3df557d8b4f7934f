"""One row per payment attempt and one per refund, with explicit states (pretix's design).
State changes happen only in ``payments.services``, which re-reads the row under
``select_for_update`` so duplicate or out-of-order webhooks change nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import Organiser
from tremplin.payments.enums import PaymentState, RefundState


class ProviderAccount(models.Model):
    """An organiser's settings for one payment provider (e.g. its Stripe keys). Secrets
    live in ``settings``; they are never logged (log_action masks them) nor shown back."""

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="payment_accounts"
    )
    provider = models.CharField(max_length=20)
    settings = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "provider"], name="one_account_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organiser} / {self.provider}"


class Payment(models.Model):
    contribution = models.ForeignKey(
        "funding.Contribution", on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(
        max_length=10, choices=PaymentState.choices, default=PaymentState.CREATED
    )
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    info = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="unique_provider_reference",
            ),
            # At most one confirmed payment per contribution: money is never counted twice.
            models.UniqueConstraint(
                fields=["contribution"],
                condition=models.Q(state="confirmed"),
                name="one_confirmed_payment_per_contribution",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_reference or self.pk} ({self.state})"


class Refund(models.Model):
    """The refund of a confirmed payment. One per payment: a refund happens exactly once;
    provider errors are retried on the same row."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(
        max_length=10, choices=RefundState.choices, default=RefundState.CREATED
    )
    provider_reference = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Refunded outside the platform (state OUTSIDE): who recorded it, why, and the
    # reference of the transfer; when is ``done_at``.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outside_reason = models.CharField(max_length=500, blank=True)
    outside_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"refund of {self.payment} ({self.state})"
