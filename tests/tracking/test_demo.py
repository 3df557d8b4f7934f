"""The tracking part of the demo: the series of both editions back-filled and equal to the
rows, today's figures the ledger's, contributions from every channel, visits counted."""

from __future__ import annotations

import pytest

from tests.tracking.helpers import expected, figures
from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.demo.load import load_demo
from tremplin.funding.ledger import audit
from tremplin.tracking import closing, series
from tremplin.tracking.attribution import breakdown
from tremplin.tracking.models import ChannelVisit, DailyFigure, SeriesCursor

pytestmark = pytest.mark.django_db


def test_the_demo_has_its_series_and_channels():
    load_demo()
    assert audit().clean
    edition_2019 = Programme.objects.get(slug="mel-makers-2019")
    winter = Programme.objects.get(slug="tremplin-makers-lille-hiver")
    data = series.programme_series(edition_2019)
    assert len(data) == 10
    for pk, rows in data.items():
        campaign = Campaign.objects.get(pk=pk)
        assert rows and not any(r.live for r in rows)  # closed and stored
        assert rows[0].day.isoformat() == "2019-09-09"
        assert rows[-1].raised_cents == int(campaign.raised_amount * 100)
        for row in rows[:: max(1, len(rows) // 6)]:
            assert figures(row) == expected(campaign, row.day)
    for pk, rows in series.programme_series(winter).items():
        campaign = Campaign.objects.get(pk=pk)
        if rows:
            assert rows[-1].day == series.today() and rows[-1].live
            assert rows[-1].raised_cents == int(campaign.raised_amount * 100)
            assert rows[-1].matched_cents == int(campaign.matched_amount * 100)
    assert DailyFigure.objects.filter(campaign__programme=winter).exists()
    assert SeriesCursor.objects.count() >= 13
    # the breakdowns show something on every channel
    rows = {row.key[0] for row in breakdown(edition_2019).rows}
    assert {"affiche", "reseaux", "partenaire", "email", "direct"} <= rows
    assert ChannelVisit.objects.filter(campaign__programme=winter).exists()
    assert closing.close_days().rebuilt == []  # nothing drifted
