"""The meetings part of a campaign's coaching space."""

from __future__ import annotations

HANDLERS: dict = {}


def context(request, campaign, forms_) -> dict:
    return {}
