"""The final report: its figures equal the rows (the ledger) and the day-by-day series,
the PDF, CSV and XLSX agree, generation in the background with its progress, and the
pages' permissions and bad input."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.tracking import scenario
from tremplin.core.models import AuditLog
from tremplin.funding import ledger
from tremplin.funding.models import Contribution, MatchAllocation
from tremplin.tracking import actions
from tremplin.tracking.models import FinalReport, ReportState
from tremplin.tracking.report_figures import fingerprint, report_figures
from tremplin.tracking.report_tables import report_csv, report_xlsx, tables
from tremplin.tracking.reports import generate_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(organiser, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the refunds of the failure
        return scenario.build(organiser, manager)


def url(name: str, programme, *args) -> str:
    return reverse(
        f"tracking_manage:{name}", args=[programme.organiser.slug, programme.slug, *args]
    )


# --- the figures ----------------------------------------------------------------------------------


def test_the_figures_equal_the_rows_and_the_ledger(programme):
    assert ledger.audit().clean
    figures = report_figures(programme)
    confirmed = Contribution.objects.filter(campaign__programme=programme, state="confirmed")
    totals = figures["totals"]
    assert Decimal(totals["raised"]) == confirmed.aggregate(s=Sum("amount"))["s"]
    assert totals["contributions"] == confirmed.count()
    matched = MatchAllocation.objects.filter(campaign__programme=programme, state="confirmed")
    assert Decimal(totals["matched"]) == (matched.aggregate(s=Sum("amount"))["s"] or 0)
    for row in figures["campaigns"]:
        campaign = programme.campaigns.get(slug=row["slug"])
        assert Decimal(row["raised"]) == campaign.raised_amount
        assert Decimal(row["matched"]) == campaign.matched_amount
        assert row["contributions"] == campaign.contributor_count
    by_slug = {row["slug"]: row for row in figures["campaigns"]}
    assert by_slug["mel-makers-2021-atelier"]["outcome"] == "reached"
    assert by_slug["mel-makers-2021-serre"]["outcome"] == "not_reached"
    assert by_slug["mel-makers-2021-lampes"]["outcome"] == "live"
    # the failed campaign's 20 € and the cash given back by hand are refunds
    assert (Decimal(totals["refunds"]), totals["refunds_count"]) == (Decimal("35.00"), 2)
    assert (totals["reached"], totals["ended"], totals["success_rate"]) == (1, 2, "50.0")
    # 40, 25.50, 60, 30 (cheque) and 35 (live): median 35, average 190.50 / 5
    assert (totals["median_gift"], totals["average_gift"]) == ("35.00", "38.10")
    assert totals["offline"] == "30.00"
    channels = {c["channel"]: (c["contributions"], c["amount"]) for c in figures["channels"]}
    assert channels == {"direct": (3, "90.50"), "affiche-qr": (1, "40.00"), "bus": (1, "60.00")}
    assert figures["communes"] == [{"commune": "Roubaix", "contributions": 2, "amount": "100.00"}]
    assert figures["communes_unknown"] == 3


def test_the_day_by_day_series_ends_at_the_totals(programme):
    figures = report_figures(programme)
    last = figures["days"][-1]
    assert Decimal(last["raised"]) == Decimal(figures["totals"]["raised"])
    assert last["contributions"] == figures["totals"]["contributions"]
    days = [d["day"] for d in figures["days"]]
    assert days == sorted(days) and len(set(days)) == len(days)


def test_the_same_rows_give_the_same_figures(programme):
    first = report_figures(programme)
    assert report_figures(programme) == first
    assert fingerprint(report_figures(programme)) == fingerprint(first)
    scenario.contribute(programme.campaigns.get(state="live"), "12")
    assert fingerprint(report_figures(programme)) != fingerprint(first)


def test_the_csv_and_the_xlsx_hold_the_same_figures(programme):
    figures = report_figures(programme)
    with translation.override("en"):  # the payments' in-process webhooks set the language
        text = report_csv(figures).decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(report_xlsx(figures)))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Raised from contributors", "190,50"] in rows
    assert len(workbook.sheetnames) == len(tables(figures))
    summary = {
        row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
    }
    assert Decimal(str(summary["Raised from contributors"])) == Decimal("190.50")
    assert summary["Contributions"] == 5


# --- the pages ---------------------------------------------------------------------------


def test_the_manager_generates_the_report_and_downloads_it(
    programme, manager, client_for, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    page = client.get(url("report", programme))
    assert page.status_code == 200
    assert "Generate the report" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report", programme))
    assert response.status_code == 302
    report = FinalReport.objects.get()
    assert (report.state, report.progress) == (ReportState.DONE, 100)
    assert AuditLog.objects.filter(action=actions.REPORT_REQUESTED, user=manager).count() == 1
    assert AuditLog.objects.filter(action=actions.REPORT_GENERATED).count() == 1
    body = client.get(url("report", programme)).content.decode()
    for fmt in ("pdf", "csv", "xlsx"):
        assert url("report_download", programme, report.pk, fmt) in body
    pdf = client.get(url("report_download", programme, report.pk, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert programme.name in text
    assert report.fingerprint in text.replace("\n", "")
    csv_body = client.get(url("report_download", programme, report.pk, "csv"))
    assert csv_body.content == report_csv(report.figures)
    xlsx = client.get(url("report_download", programme, report.pk, "xlsx"))
    assert xlsx.content[:2] == b"PK"


def test_the_progress_block_polls_while_the_report_is_generated(programme, manager, client_for):
    client = client_for(manager)
    report = FinalReport.objects.create(programme=programme, requested_by=manager, step="queued")
    status = client.get(url("report_status", programme)).content.decode()
    assert 'hx-trigger="every 2s"' in status and "<progress" in status
    FinalReport.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING, progress=50, step="pdf"
    )
    status = client.get(url("report_status", programme)).content.decode()
    assert 'value="50"' in status and "Drawing the PDF" in status
    # a second request while it runs queues nothing new
    client.post(url("report", programme))
    assert FinalReport.objects.count() == 1
    generate_report(report.pk)
    status = client.get(url("report_status", programme)).content.decode()
    assert "hx-trigger" not in status and "Download the PDF" in status


def test_a_failed_report_says_so(programme, manager, client_for, monkeypatch):
    from tremplin.tracking import reports

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(reports, "render_pdf", broken)
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    assert generate_report(report.pk) == ReportState.FAILED
    report.refresh_from_db()
    assert (report.state, report.error) == (ReportState.FAILED, "ValueError")
    assert (
        "could not be generated"
        in client_for(manager).get(url("report", programme)).content.decode()
    )


def test_a_report_before_the_campaigns_is_refused(organiser, manager, client_for):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(organiser=organiser, slug="mel-makers-2030")
    response = client_for(manager).post(url("report", programme))
    assert response.status_code == 400
    assert not FinalReport.objects.exists()


def test_the_viewer_reads_and_downloads_but_cannot_generate(programme, manager, viewer, client_for):
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    generate_report(report.pk)
    client = client_for(viewer)
    page = client.get(url("report", programme)).content.decode()
    assert "Generate the report" not in page
    assert client.post(url("report", programme)).status_code == 403
    assert client.get(url("report_download", programme, report.pk, "pdf")).status_code == 200
    assert FinalReport.objects.count() == 1


def test_another_organiser_and_anonymous_get_nothing(
    programme, manager, other_organiser, other_manager, client_for, client
):
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    generate_report(report.pk)
    other = client_for(other_manager)
    for name, args in (
        ("report", ()),
        ("report_status", ()),
        ("report_download", (report.pk, "pdf")),
    ):
        assert other.get(url(name, programme, *args)).status_code == 404
        # the MEL's programme through the other organiser's address does not exist either
        path = reverse(
            f"tracking_manage:{name}", args=[other_organiser.slug, programme.slug, *args]
        )
        assert other.get(path).status_code == 404
        assert client.get(url(name, programme, *args)).status_code == 302  # to the log-in
    assert other.post(url("report", programme)).status_code == 404
    assert FinalReport.objects.count() == 1


@pytest.mark.parametrize("fmt", ["exe", "PDF", "a\x00b", "<script>"])
def test_an_unknown_format_is_404(programme, manager, client_for, fmt):
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    generate_report(report.pk)
    path = url("report_download", programme, report.pk, "pdf").replace(".pdf", "." + fmt)
    assert client_for(manager).get(path).status_code == 404


def test_a_huge_or_unknown_report_id_is_404(programme, manager, client_for):
    client = client_for(manager)
    for pk in ("9" * 40, "987650123"):
        path = url("report_download", programme, 1, "pdf").replace("/1.pdf", f"/{pk}.pdf")
        assert client.get(path).status_code == 404
    # a report still queued cannot be downloaded
    queued = FinalReport.objects.create(programme=programme, requested_by=manager)
    assert client.get(url("report_download", programme, queued.pk, "pdf")).status_code == 404


def test_a_report_whose_task_was_given_up_does_not_block_a_new_one(
    programme, manager, client_for, settings, django_capture_on_commit_callbacks
):
    """A worker killed on every attempt leaves the row RUNNING: once the task recovery
    gave up, the page says it failed and the organiser can ask again."""
    settings.TASK_RUNNING_TIMEOUT, settings.TASK_MAX_ATTEMPTS = 60, 2
    stuck = FinalReport.objects.create(programme=programme, requested_by=manager)
    FinalReport.objects.filter(pk=stuck.pk).update(
        state=ReportState.RUNNING, requested_at=timezone.now() - timedelta(minutes=4)
    )
    client = client_for(manager)
    page = client.get(url("report", programme)).content.decode()
    assert "could not be generated" in page and "hx-trigger" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("report", programme))
    assert FinalReport.objects.filter(state=ReportState.DONE).count() == 1
