"""What payments tells the apps above it (funding). Each signal is sent inside the
transaction that changed the row, the payment row locked (Django signals are synchronous):
a receiver's writes commit or roll back with the payment's, and its locks come after the
payment's (payment → contribution → campaign → matchfunding pot).

- ``payment_confirmed``: ``payment`` (a Payment) has just become CONFIRMED;
- ``payment_failed``: ``payment`` has just become FAILED (declined, expired, never opened);
- ``refund_done``: ``refund`` (a Refund, its ``payment`` locked and CONFIRMED) has just
  become DONE, or OUTSIDE (the organiser recorded that the money was given back outside the
  platform: ``refund_recovery.record_refund_outside``): either way the money is back.

``sender`` is the model class (Payment or Refund)."""

from __future__ import annotations

from django.dispatch import Signal

payment_confirmed = Signal()
payment_failed = Signal()
refund_done = Signal()
