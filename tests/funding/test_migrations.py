"""funding 0003: "matched funds count toward the goal" moves from the pot to the programme's
CampaignSettings, and ``Campaign.funds_closed_at`` is filled from the audit rows that used
to flag the money close; both ways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.campaigns.factories import CampaignFactory
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.audit import log_action
from tremplin.core.models import AuditLog
from tremplin.funding.models import MatchfundingPot

BEFORE = [("funding", "0002_contribution_reward_unavailable")]
AFTER = [("funding", "0003_counts_toward_goal_to_campaign_settings")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    """Every app's last migration: the schema the rest of the tests expect."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_flag_and_the_money_close_move_to_fields():
    counted, other = CampaignFactory(), CampaignFactory()
    for campaign in (counted, other):
        MatchfundingPot.objects.create(
            programme=campaign.programme, funder_name="MEL", budget=Decimal("100"), rule="ratio"
        )
    CampaignSettings.objects.filter(programme=counted.programme).update(
        matched_counts_toward_goal=True
    )
    log_action("tremplin.campaign.funding_closed", obj=counted, data={})
    closed_at = AuditLog.objects.get(action="tremplin.campaign.funding_closed").created_at
    try:
        _migrate(BEFORE)  # backwards: the pots get the flag back
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT programme_id FROM funding_matchfundingpot WHERE counts_toward_goal"
            )
            assert [row[0] for row in cursor.fetchall()] == [counted.programme_id]
        CampaignSettings.objects.update(matched_counts_toward_goal=False)
        Campaign.objects.update(funds_closed_at=None)
    finally:
        _migrate(AFTER)
        _migrate(_latest())
    assert list(
        CampaignSettings.objects.filter(matched_counts_toward_goal=True).values_list(
            "programme_id", flat=True
        )
    ) == [counted.programme_id]
    counted.refresh_from_db()
    other.refresh_from_db()
    assert counted.funds_closed_at == closed_at
    assert other.funds_closed_at is None
