"""Who may see what in the contributors' space: plain predicates, no side effect.

The space is opened by an e-mail address (verified by a code), not an account: a
contribution or a receipt is the visitor's when it was made with that address."""

from __future__ import annotations

from tremplin.donors.models import Receipt
from tremplin.funding.models import Contribution


def same_address(a: str, b: str) -> bool:
    return bool(a and b) and a.strip().lower() == b.strip().lower()


def owns_contribution(space_email: str | None, contribution: Contribution) -> bool:
    return space_email is not None and same_address(space_email, contribution.email)


def can_read_receipt(space_email: str | None, receipt: Receipt) -> bool:
    """The donor of the receipt (by the contribution's address, which is the one the
    receipt was sent to)."""
    return space_email is not None and same_address(space_email, receipt.contribution.email)
