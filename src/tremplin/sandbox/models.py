"""The simulated payment service's own rows. Nothing of the platform is referenced here:
the sandbox knows charges by its own public id and tells the platform about them only
through signed webhooks (HTTP POST)."""

from __future__ import annotations

import re
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_charge_id() -> str:
    return "ch_" + secrets.token_urlsafe(18)


# What a charge id looks like (``new_charge_id``, or the demo's ``demo_ch_…``): anything else
# (a NUL byte, which PostgreSQL refuses in a text value, an over-long string…) is no charge.
CHARGE_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


def is_charge_id(value: object) -> bool:
    return isinstance(value, str) and bool(CHARGE_ID.fullmatch(value))


def new_event_id() -> str:
    return "evt_" + secrets.token_urlsafe(18)


class ChargeState(models.TextChoices):
    OPEN = "open", _("Open")
    SUCCEEDED = "succeeded", _("Succeeded")
    DECLINED = "declined", _("Declined")
    REFUNDED = "refunded", _("Refunded")


class SandboxCharge(models.Model):
    public_id = models.CharField(max_length=40, unique=True, default=new_charge_id)
    amount = models.PositiveIntegerField(help_text="In cents.")
    currency = models.CharField(max_length=3, default="eur")
    state = models.CharField(max_length=10, choices=ChargeState.choices, default=ChargeState.OPEN)
    description = models.CharField(max_length=200, blank=True)
    return_url = models.URLField(max_length=1000)
    webhook_url = models.URLField(max_length=1000)
    metadata = models.JSONField(default=dict, blank=True)
    decline_code = models.CharField(max_length=40, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    # Refunds are idempotent on the caller's key: key -> refund id.
    refund_keys = models.JSONField(default=dict, blank=True)
    refund_attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.state})"


class SandboxWebhook(models.Model):
    """One delivery of an event to the platform (the chaos setting makes several per
    event). Signed at each attempt, with the time of that attempt."""

    charge = models.ForeignKey(SandboxCharge, on_delete=models.CASCADE, related_name="webhooks")
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=40)
    body = models.TextField()
    signature = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    deliver_after = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.IntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deliver_after", "id"]
        indexes = [models.Index(fields=["delivered_at", "deliver_after"])]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} → {self.charge.public_id}"
