"""The one writer of ``Campaign.state``.

Every change of a campaign's state — by the maker, the coach, the organiser, the clock or
the settlement in funding — goes through ``set_campaign_state``: it locks the campaign's row,
checks the change against ``CAMPAIGN_TRANSITIONS`` (from the state in the database, not the
caller's copy), saves and writes the audit log. The verbs around it (``review``, ``clock``,
``funding.settlement``) check who may act and what must hold, stamp their moment
(``submitted_at``, ``closed_at``…) on the locked row, and send the e-mails.

A test (tests/campaigns/test_lifecycle.py) checks that no other module of ``src/tremplin``
writes the state. The derived totals and ``funds_closed_at`` are written by funding only
(F() updates in its transactions): a save here never writes them back."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tremplin.campaigns.enums import CAMPAIGN_TRANSITIONS
from tremplin.campaigns.errors import state_label, wrong_state
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action

# Written by funding only, in its own transactions (see campaigns.models).
FUNDING_FIELDS = frozenset(
    {"raised_amount", "matched_amount", "contributor_count", "funds_closed_at"}
)


def lock_campaign(campaign_or_id: Campaign | int) -> Campaign:
    """The campaign, its row locked until the end of the transaction, with what the e-mails
    need. Raises ``Campaign.DoesNotExist``."""
    pk = campaign_or_id.pk if isinstance(campaign_or_id, Campaign) else campaign_or_id
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("programme", "programme__organiser", "application__maker", "coach")
        .get(pk=pk)
    )


def saved_fields() -> list[str]:
    """What a save of a campaign by campaigns writes: everything but the primary key and the
    fields funding owns."""
    return [
        f.name
        for f in Campaign._meta.concrete_fields
        if not f.primary_key and f.name not in FUNDING_FIELDS
    ]


def set_campaign_state(
    campaign_or_id: Campaign | int,
    new_state: str,
    *,
    user,
    action: str,
    data: dict[str, Any] | None = None,
) -> Campaign:
    """Move a campaign to ``new_state`` and log ``action`` (data: ``from``, ``to`` and
    ``data``). Given a campaign, it is the row the caller locked (``lock_campaign``) with the
    other fields it changed (saved with the state); given an id, the row is locked here.
    Raises ``CampaignError`` (code ``state``) if the table does not allow the change."""
    with transaction.atomic():
        if isinstance(campaign_or_id, Campaign):
            campaign = campaign_or_id
            old_state = (
                Campaign.objects.select_for_update()
                .filter(pk=campaign.pk)
                .values_list("state", flat=True)
                .get()
            )
        else:
            campaign = lock_campaign(campaign_or_id)
            old_state = campaign.state
        if new_state not in CAMPAIGN_TRANSITIONS.get(old_state, set()):
            raise wrong_state(old_state, state_label(new_state).lower())
        campaign.state = new_state
        campaign.save(update_fields=saved_fields())
        log_action(
            action,
            obj=campaign,
            user=user,
            data={"from": old_state, "to": new_state, **(data or {})},
        )
    return campaign
