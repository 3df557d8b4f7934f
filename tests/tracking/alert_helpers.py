"""Helpers of the forecast, alerts and digest tests: a programme of the conftest's
organiser with live campaigns at known points of their course."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, ContributionFactory
from tests.factories import ProgrammeFactory, UserFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.models import Campaign


def live_programme(organiser, slug: str = "hiver"):
    return ProgrammeFactory(organiser=organiser, slug=slug, state=ProgrammeState.CAMPAIGNS_LIVE)


def coach_user(**kwargs):
    return UserFactory(is_coach=True, **kwargs)


def live_campaign(
    programme,
    *,
    raised: str = "0",
    days_in: float = 10,
    days_left: float = 10,
    goal: str = "1000.00",
    coach=None,
    now: datetime | None = None,
    last_gift_days_ago: float | None = 0.5,
) -> Campaign:
    """A live campaign ``days_in`` days into its course with ``days_left`` to go, which has
    raised ``raised`` € (one contribution, ``last_gift_days_ago`` days ago)."""
    now = now or timezone.now()
    campaign = CampaignFactory(
        programme=programme,
        goal=Decimal(goal),
        starts_at=now - timedelta(days=days_in),
        ends_at=now + timedelta(days=days_left),
        coach=coach,
        raised_amount=Decimal(raised),
    )
    if Decimal(raised) > 0 and last_gift_days_ago is not None:
        ContributionFactory(
            campaign=campaign,
            amount=Decimal(raised),
            confirmed_at=now - timedelta(days=last_gift_days_ago),
        )
    return campaign
