"""The coach's board: their campaigns only, with readiness, state and the next step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, UpdateFactory
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.coaching import board, checklist

pytestmark = pytest.mark.django_db


def test_who_sees_the_board(world, client_for, client):
    assert client_for(world.coach).get("/accompagnement/").status_code == 200
    assert client_for(world.maker).get("/accompagnement/").status_code == 403
    assert client_for(world.manager).get("/accompagnement/").status_code == 403
    assert client.get("/accompagnement/").status_code == 302


def test_the_board_lists_the_coachs_campaigns_with_the_next_step(world, client_for):
    page = client_for(world.coach).get("/accompagnement/").content.decode()
    assert world.campaign.title in page
    assert world.other_campaign.title not in page
    assert "Help the maker with" in page


def test_next_steps_follow_the_state(world):
    campaign = world.campaign
    now = timezone.now()

    def step():
        campaign.refresh_from_db()
        return board.next_step(campaign, checklist.evaluate(campaign), now)

    assert step().startswith("Help the maker with “The page is complete”")
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.IN_REVIEW)
    assert step() == "Review the page."
    Campaign.objects.filter(pk=campaign.pk).update(
        state=CampaignState.LIVE,
        launched_at=now - timedelta(days=10),
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=10),
    )
    assert step() == "Below pace: plan a boost with the maker."  # nothing raised at half-time
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=campaign.goal)
    assert step() == "No news for a week: suggest one to the maker."
    UpdateFactory(campaign=campaign)
    assert step() == "On pace: encourage the maker."


def test_a_live_campaign_row(world):
    live = CampaignFactory(programme=world.programme, coach=world.coach)
    rows = {row.campaign.pk: row for row in board.rows_for(world.coach)}
    assert set(rows) == {world.campaign.pk, live.pk}
    assert rows[live.pk].required == 8


def test_the_board_shows_the_cockpit_figures_of_a_started_campaign(world, client_for):
    """The cockpit's figures (tracking) of the coach's live campaign: raised, share of the
    goal, contributors, and its forecast."""
    from tests.tracking.helpers import contribute_at

    now = timezone.now()
    Campaign.objects.filter(pk=world.campaign.pk).update(
        state=CampaignState.LIVE,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=25),
        goal="1000.00",
    )
    world.campaign.refresh_from_db()
    made = contribute_at(world.campaign, now - timedelta(days=2), amount="250")
    world.campaign.refresh_from_db()
    assert (made.state, world.campaign.raised_amount) == ("confirmed", 250), made.state
    figures = board.cockpit_figures([world.campaign])[world.campaign.pk]
    assert "250" in figures["Raised"]
    assert figures["Goal reached"] == "25 %"
    assert figures["Contributors"] == 1
    assert "Forecast" in figures
    page = client_for(world.coach).get("/accompagnement/").content.decode()
    assert ">Cockpit<" in page and "Goal reached: 25 %" in page
    # A campaign that has not started has no cockpit figures.
    Campaign.objects.filter(pk=world.other_campaign.pk).update(
        state=CampaignState.DRAFT, starts_at=None
    )
    world.other_campaign.refresh_from_db()
    assert board.cockpit_figures([world.other_campaign]) == {}
