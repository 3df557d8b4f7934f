"""Audit actions of payments and refunds: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PAYMENT_STARTED = "tremplin.payment.started"
PAYMENT_CONFIRMED = "tremplin.payment.confirmed"
PAYMENT_FAILED = "tremplin.payment.failed"
PAYMENT_CANCELLED = "tremplin.payment.cancelled"
PAYMENT_FAILURE_IGNORED = "tremplin.payment.failure_ignored"
PAYMENT_PAID_TWICE = "tremplin.payment.paid_twice"
PAYMENT_REFERENCE_MISMATCH = "tremplin.payment.reference_mismatch"
REFUND_REQUESTED = "tremplin.refund.requested"
REFUND_DONE = "tremplin.refund.done"
REFUND_RETRY_SCHEDULED = "tremplin.refund.retry_scheduled"
REFUND_FAILED = "tremplin.refund.failed"
REFUND_RETRIED = "tremplin.refund.retried"
REFUND_RECORDED_OUTSIDE = "tremplin.refund.recorded_outside"
PAYMENT_ACCOUNT_CHANGED = "tremplin.payment_account.changed"

LABELS = {
    PAYMENT_STARTED: _("Payment started"),
    PAYMENT_CONFIRMED: _("Payment confirmed"),
    PAYMENT_FAILED: _("Payment failed"),
    PAYMENT_CANCELLED: _("Payment cancelled"),
    PAYMENT_FAILURE_IGNORED: _("Failure notice ignored: the payment was confirmed"),
    PAYMENT_PAID_TWICE: _("Second payment of one contribution: refunded"),
    PAYMENT_REFERENCE_MISMATCH: _("Provider reference did not match: refused"),
    REFUND_REQUESTED: _("Refund requested"),
    REFUND_DONE: _("Refund done"),
    REFUND_RETRY_SCHEDULED: _("Refund failed for now: retry scheduled"),
    REFUND_FAILED: _("Refund failed"),
    REFUND_RETRIED: _("Failed refund retried by the organiser"),
    REFUND_RECORDED_OUTSIDE: _("Refund recorded as made outside the platform"),
    PAYMENT_ACCOUNT_CHANGED: _("Payment provider settings changed"),
}

DATA_LABELS = {
    "provider": _("payment provider"),
    "contribution": _("contribution"),
    "refund": _("refund"),
    "attempts": _("attempts"),
    "late": _("confirmed late"),
}

VALUE_CHOICES = ()
