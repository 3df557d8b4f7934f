"""The conversation part of a campaign's coaching space (filled in by the conversation
part of the issue)."""

from __future__ import annotations

HANDLERS: dict = {}


def context(request, campaign, forms_) -> dict:
    return {}
