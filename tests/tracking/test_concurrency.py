"""Two workers closing the days at the same instant (PostgreSQL, real threads): the
campaign's cursor is locked (skip_locked), so the series are written once and right.
Without the lock, the two transactions write the same rows and one fails."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency import run_together
from tests.tracking.helpers import contribute_at, expected, figures, paris
from tremplin.tracking import closing, series
from tremplin.tracking.models import DailyFigure, SeriesCursor

pytestmark = pytest.mark.django_db(transaction=True)

DAY = series.ONE_DAY


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


def history(campaign):
    first = series.today() - 6 * DAY
    campaign.starts_at = campaign.launched_at = paris(first, 8)
    campaign.save(update_fields=["starts_at", "launched_at"])
    for n in range(6):
        contribute_at(campaign, paris(first + n * DAY, 10), str(10 + n), "affiche")
    return first


def test_two_workers_close_each_campaign_once(campaign):
    history(campaign)
    outcomes = run_together(2, lambda i: closing.close_days())
    assert all(isinstance(o, closing.CloseReport) for o in outcomes), outcomes
    assert sum(o.rows for o in outcomes) == DailyFigure.objects.count()
    assert SeriesCursor.objects.get(campaign=campaign).closed_through == series.today() - DAY
    campaign.refresh_from_db()
    for row in series.series_for([campaign.pk])[campaign.pk]:
        assert figures(row) == expected(campaign, row.day)


def test_without_the_lock_the_race_shows(campaign, monkeypatch):
    history(campaign)
    both_in = threading.Barrier(2)

    def unlocked(campaign_pks):
        cursors = list(SeriesCursor.objects.filter(campaign_id__in=campaign_pks))
        both_in.wait(timeout=30)  # both workers inside their transaction
        return cursors

    monkeypatch.setattr(closing, "_claim", unlocked)
    outcomes = run_together(2, lambda i: closing.close_days())
    assert "IntegrityError" in outcomes, outcomes
    assert timezone.now()  # the failed worker left nothing half-written:
    campaign.refresh_from_db()
    for row in series.series_for([campaign.pk])[campaign.pk]:
        assert figures(row) == expected(campaign, row.day)
