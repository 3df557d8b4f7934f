"""State labels shared in English but not in French: a payment is « confirmé », a
contribution « confirmée » (msgctxt tells them apart)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tremplin.funding.enums import AllocationState, ContributionState
from tremplin.payments.enums import PaymentState, RefundState


@pytest.mark.parametrize(
    ("label", "french"),
    [
        (PaymentState.CREATED.label, "Créé"),
        (PaymentState.CONFIRMED.label, "Confirmé"),
        (PaymentState.CANCELLED.label, "Annulé"),
        (RefundState.CREATED.label, "Créé"),
        (RefundState.DONE.label, "Effectué"),
        (ContributionState.CONFIRMED.label, "Confirmée"),
        (AllocationState.CONFIRMED.label, "Confirmé"),
        (AllocationState.RELEASED.label, "Libéré"),
    ],
)
def test_french_state_labels_agree_with_their_noun(label, french):
    with translation.override("fr"):
        assert str(label) == french
    with translation.override("en"):
        assert str(label) in ("Created", "Confirmed", "Cancelled", "Done", "Released")
