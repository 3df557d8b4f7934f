"""The contribution state table (``funding.enums``) and its use by the state changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.funding.helpers import checkout, contribute
from tremplin.core.errors import DomainError
from tremplin.funding.contributions import (
    check_transition,
    confirm_contribution,
    fail_contribution,
    refund_contribution,
)
from tremplin.funding.enums import (
    CONTRIBUTION_FINAL,
    CONTRIBUTION_TRANSITIONS,
    CONTRIBUTION_UNPAID,
    ContributionState,
)
from tremplin.funding.errors import FundingError
from tremplin.funding.models import Contribution


def test_every_state_has_its_row():
    assert set(CONTRIBUTION_TRANSITIONS) == set(ContributionState.values)
    for targets in CONTRIBUTION_TRANSITIONS.values():
        assert targets <= set(ContributionState.values)


def test_final_states_go_nowhere():
    for state in CONTRIBUTION_FINAL:
        assert CONTRIBUTION_TRANSITIONS[state] == set()


def test_a_late_payment_still_counts_and_only_a_refund_uncounts():
    for state in CONTRIBUTION_UNPAID:
        assert CONTRIBUTION_TRANSITIONS[state] == {ContributionState.CONFIRMED}
    assert CONTRIBUTION_TRANSITIONS[ContributionState.CONFIRMED] == {ContributionState.REFUNDED}
    assert ContributionState.REFUNDED not in CONTRIBUTION_TRANSITIONS[ContributionState.PENDING]


def test_funding_error_is_a_domain_error_and_keeps_its_code():
    error = FundingError("No.", "sold_out", "reward")
    assert isinstance(error, DomainError)
    assert (error.code, error.field) == ("sold_out", "reward")
    assert error.message_dict == {"reward": ["No."]}


def test_check_transition_refuses_what_the_table_does_not_list():
    with pytest.raises(FundingError) as caught:
        check_transition(Contribution(state=ContributionState.REFUNDED), "confirmed")
    assert caught.value.code == "transition_refused"
    check_transition(Contribution(state=ContributionState.CANCELLED), "confirmed")


@pytest.mark.django_db
def test_the_state_changes_check_the_table(campaign):
    """A change the table refuses raises and writes nothing."""
    confirmed = contribute(campaign, "25")
    pending = checkout(campaign, "10")
    with pytest.raises(FundingError):
        confirm_contribution(confirmed, timezone.now())  # counted twice
    with pytest.raises(FundingError):
        fail_contribution(confirmed)
    with pytest.raises(FundingError):
        refund_contribution(pending, timezone.now())
    campaign.refresh_from_db()
    assert (campaign.raised_amount, campaign.contributor_count) == (Decimal("25.00"), 1)
    pending.refresh_from_db()
    assert pending.state == ContributionState.PENDING
