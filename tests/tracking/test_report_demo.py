"""The final report of the demo's MEL Makers 2019: the figures equal the ledger (the
campaigns' rows), the brief's public figures, and the comparison shows the 2018 edition
imported from CSV; the PDF, CSV and XLSX say the same; generating again gives the same
figures and the same PDF bytes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from pypdf import PdfReader

from tremplin.calls.models import Programme
from tremplin.demo.load import load_demo
from tremplin.funding import ledger
from tremplin.funding.models import Contribution
from tremplin.tracking.models import FinalReport, PastEdition, ReportState
from tremplin.tracking.report_figures import fingerprint, report_figures
from tremplin.tracking.reports import generate_report, request_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.SITE_URL = "http://testserver"
    load_demo()
    return Programme.objects.get(slug="mel-makers-2019")


def test_the_demo_has_the_2018_edition_imported(demo):
    edition = PastEdition.objects.get(organiser=demo.organiser, name="MEL Makers 2018")
    campaigns = list(edition.campaigns.all())
    assert (edition.applications_count, edition.laureates_count) == (40, 10)
    assert len(campaigns) == 10
    assert sum(c.funded for c in campaigns) == 9
    assert (edition.campaigns_start.isoformat(), edition.campaigns_end.isoformat()) == (
        "2018-09-17",
        "2018-10-15",
    )
    # one line per campaign and day, the last day equal to the campaign's final figures
    for campaign in campaigns:
        days = list(campaign.days.order_by("day"))
        assert len(days) == 29
        assert (days[-1].raised, days[-1].contributors) == (campaign.raised, campaign.contributors)


def test_report_figures_equal_the_ledger_and_the_brief(demo):
    assert ledger.audit().clean
    figures = report_figures(demo)
    totals = figures["totals"]
    assert Decimal(totals["raised"]) == Decimal("100720.00")
    assert totals["contributions"] == 1272
    assert (totals["campaigns"], totals["reached"], totals["success_rate"]) == (10, 10, "100.0")
    rows = Contribution.objects.filter(campaign__programme=demo, state="confirmed")
    assert Decimal(totals["raised"]) == rows.aggregate(s=Sum("amount"))["s"]
    for row in figures["campaigns"]:
        campaign = demo.campaigns.get(slug=row["slug"])
        assert Decimal(row["raised"]) == campaign.raised_amount
        assert row["contributions"] == campaign.contributor_count
    # the day-by-day series ends at the totals
    last = figures["days"][-1]
    assert (Decimal(last["raised"]), last["contributions"]) == (Decimal("100720.00"), 1272)
    assert figures["days"][0]["day"] == "2019-09-09"
    # the call and the jury
    assert figures["call"]["applications"] == 33
    assert figures["jury"]["laureates"] == 10
    # the comparison: 2018 (imported) then 2019 (this edition)
    names = [(e["name"], e["source"]) for e in figures["comparison"]]
    assert names[0] == ("MEL Makers 2018", "past")
    assert names[-1][1] == "this"
    assert figures["comparison"][0]["reached"] == 9


def _generate(programme, user, capture):
    with capture(execute=True):
        report = request_report(programme, user=user)
    report.refresh_from_db()
    return report


def test_generating_twice_gives_the_same_figures_and_the_same_pdf(
    demo, manager_of_mel, django_capture_on_commit_callbacks
):
    first = _generate(demo, manager_of_mel, django_capture_on_commit_callbacks)
    assert first.state == ReportState.DONE, first.error
    assert first.progress == 100
    again = _generate(demo, manager_of_mel, django_capture_on_commit_callbacks)
    assert again.pk != first.pk
    assert again.fingerprint == first.fingerprint == fingerprint(report_figures(demo))
    assert bytes(again.pdf) == bytes(first.pdf)
    reader = PdfReader(io.BytesIO(bytes(first.pdf)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "MEL Makers 2019" in text
    assert "100" in text and "720" in text
    assert "MEL Makers 2018" in text
    assert reader.metadata.creation_date.year == 2019  # the data's date, not the clock's
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4


def test_a_done_report_is_left_alone_by_a_second_run(
    demo, manager_of_mel, django_capture_on_commit_callbacks
):
    report = _generate(demo, manager_of_mel, django_capture_on_commit_callbacks)
    assert report.state == ReportState.DONE
    assert generate_report(report.pk) == ReportState.DONE
    assert FinalReport.objects.filter(programme=demo).count() == 1


@pytest.fixture
def manager_of_mel(demo):
    from tremplin.core.models import User
    from tremplin.demo import data

    return User.objects.get(email=data.MEL_MANAGER.email)


def test_the_day_by_day_equals_the_stored_daily_series(demo):
    """The report reads the daily series (tracking.series): once the nightly task has
    stored the 2019 days, the report's days are the same, and each is the sum of the
    campaigns' stored figures."""
    import datetime
    from collections import defaultdict

    from tremplin.tracking.closing import close_days
    from tremplin.tracking.models import DailyFigure

    before = report_figures(demo)
    close_days(datetime.date(2019, 12, 31))
    after = report_figures(demo)
    assert after["days"] == before["days"]
    stored = defaultdict(lambda: [Decimal(0), 0])
    for figure in DailyFigure.objects.filter(campaign__programme=demo, channel=""):
        stored[figure.day.isoformat()][0] += figure.raised
        stored[figure.day.isoformat()][1] += figure.contributors
    assert len(stored) == len(after["days"])
    for day in after["days"]:
        assert (Decimal(day["raised"]), day["contributions"]) == tuple(stored[day["day"]]), day
