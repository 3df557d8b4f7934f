"""Benchmark of the final report (figures, PDF, CSV and XLSX), beside the floor of this
machine.

    uv run python bench/tracking_report.py                 # SQLite and PostgreSQL
    uv run python bench/tracking_report.py --databases sqlite

For each database (a fresh SQLite file in a temporary var directory; a PostgreSQL database
``tremplin_bench_report`` created and dropped here, URL from ``--postgres-url``), migrated with
``tremplin migrate``, loads with bulk_create one organiser, a past edition (10 campaigns,
29 days each) and a programme whose call received 40 applications, with 10 campaigns over
(40 days) and ``--contributions`` confirmed contributions in all (10,000 by default:
a thousand per campaign, about ten times the MEL's 2019 edition), a few refunded.

Then times, interleaved (ours, floor, ours, floor…) over ``--repeat`` runs:

* ours: ``tracking.reports.generate_report`` on a new report row — every figure from the
  rows, the PDF drawn and stored — then the CSV and the XLSX written from the figures
  (what the organiser downloads);
* floor: the least a report can do: one grouped query of the campaigns' totals and a
  one-page reportlab PDF listing them.

``ratio`` is floor / ours (higher is better), ``p99_ms`` the slowest of ours over the runs.
Target: the report under 10 s. The last line printed is the result as one JSON object,
the same shape as bench/pages.py. Not run in CI.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

BENCHMARK = "tracking_report"
TARGET_SECONDS = 10.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tremplin_bench_report"
NOTE = "time in seconds, median of the runs; ratio = floor / ours (higher is better)"


def load_data(contributions: int, campaigns: int = 10) -> int:
    """The programme of the benchmark; returns its pk."""
    from datetime import datetime, timedelta
    from decimal import Decimal

    from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
    from tremplin.calls.models import Application, Programme
    from tremplin.campaigns.enums import CampaignState
    from tremplin.campaigns.models import Campaign, CampaignSettings
    from tremplin.core.dates import PARIS
    from tremplin.core.models import Organiser, User
    from tremplin.demo.past_editions import campaigns_csv, days_csv
    from tremplin.funding.enums import ContributionState
    from tremplin.funding.models import Contribution
    from tremplin.tracking.past_editions import EditionFacts, import_past_edition

    start = datetime(2021, 9, 6, 10, tzinfo=PARIS)
    end = start + timedelta(days=40)
    organiser = Organiser.objects.create(name="Métropole du banc d'essai", slug="banc")
    import_past_edition(
        organiser,
        EditionFacts("MEL Makers 2018", 2018, 40, 10),
        campaigns_csv(),
        days_csv(),
        user=None,
    )
    programme = Programme.objects.create(
        organiser=organiser,
        name="Banc 2021",
        slug="banc-2021",
        description="Banc d'essai",
        categories="Artisanat\nNumérique\nMobilité",
        communes="Lille\nRoubaix\nTourcoing",
        state=ProgrammeState.CAMPAIGNS_CLOSED,
        call_opens_at=start - timedelta(days=200),
        call_closes_at=start - timedelta(days=150),
        campaigns_start_at=start,
        campaigns_end_at=end,
    )
    CampaignSettings.objects.create(programme=programme)
    makers = User.objects.bulk_create(
        User(email=f"maker{i}@bench.example", full_name=f"Maker {i}", password="!")
        for i in range(40)
    )
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            maker=maker,
            state=ApplicationState.SUBMITTED,
            eligibility=Eligibility.ELIGIBLE if i % 4 else Eligibility.INELIGIBLE,
            title=f"Projet {i:02d}",
            category=("Artisanat", "Numérique", "Mobilité")[i % 3],
            commune=("Lille", "Roubaix", "Tourcoing")[i % 3],
            maker_profile="entrepreneur",
            funding_goal=Decimal(5000),
            submitted_at=start - timedelta(days=160),
        )
        for i, maker in enumerate(makers)
    )
    per = contributions // campaigns
    rows = Campaign.objects.bulk_create(
        Campaign(
            programme=programme,
            application=applications[i],
            slug=f"banc-{i:02d}",
            title=applications[i].title,
            pitch="Banc",
            goal=Decimal(30 * per if i else 60 * per),  # one misses its goal
            starts_at=start,
            ends_at=end,
            launched_at=start,
            closed_at=end,
            state=CampaignState.SUCCEEDED if i else CampaignState.FAILED,
            raised_amount=Decimal(0),
        )
        for i in range(campaigns)
    )
    amounts = (10, 20, 25, 30, 40, 50, 60, 80, 100, 150)
    span = (end - start).total_seconds()
    Contribution.objects.bulk_create(
        (
            Contribution(
                campaign=campaign,
                amount=Decimal(amounts[(c * 7 + k) % len(amounts)]),
                state=ContributionState.REFUNDED if k % 97 == 5 else ContributionState.CONFIRMED,
                name=f"Contributeur {k}",
                email=f"c{c}-{k}@bench.example",
                city=("Lille", "Roubaix", "", "")[k % 4],
                channel=("affiche-qr", "bus", "", "magazine")[k % 4],
                idempotency_key=f"bench-{c}-{k}",
                confirmed_at=start + timedelta(seconds=span * ((k * 0.618) % 1)),
                refunded_at=end if k % 97 == 5 else None,
            )
            for c, campaign in enumerate(rows)
            for k in range(per)
        ),
        batch_size=5000,
    )
    return programme.pk


def floor_report(programme_pk: int) -> bytes:
    """One grouped query and a one-page PDF of its rows."""
    from django.db.models import Count, Sum
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tremplin.funding.models import Contribution

    totals = list(
        Contribution.objects.filter(campaign__programme_id=programme_pk, state="confirmed")
        .values("campaign__title")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("campaign__title")
    )
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    y = 800
    for row in totals:
        canvas.drawString(60, y, f"{row['campaign__title']}: {row['total']} € ({row['n']})")
        y -= 16
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def our_report(programme_pk: int) -> bytes:
    from tremplin.tracking.models import FinalReport, ReportState
    from tremplin.tracking.report_tables import report_csv, report_xlsx
    from tremplin.tracking.reports import generate_report

    report = FinalReport.objects.create(programme_id=programme_pk)
    assert generate_report(report.pk) == ReportState.DONE
    report.refresh_from_db()
    report_csv(report.figures)
    report_xlsx(report.figures)
    return bytes(report.pdf)


def measure(label: str, programme_pk: int, repeat: int) -> list[dict]:
    our_report(programme_pk)  # warm up (imports, fonts, the database's page cache)
    floor_report(programme_pk)
    ours, floor = [], []
    pages = 0
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = our_report(programme_pk)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor_report(programme_pk)
        floor.append(time.perf_counter() - started)
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    ours_s, floor_s = statistics.median(ours), statistics.median(floor)
    row = {
        "name": f"report_pdf_{label}",
        "unit": "s",
        "ours": round(ours_s, 4),
        "floor": round(floor_s, 4),
        "ratio": round(floor_s / ours_s, 4),
        "p99_ms": round(max(ours) * 1000, 1),
        "note": NOTE,
        "pdf_pages": pages,
        "repeat": repeat,
        "target_s": TARGET_SECONDS,
        "target_met": ours_s < TARGET_SECONDS,
    }
    print(
        f"{row['name']:<24} ours {ours_s:7.3f} s  floor {floor_s:7.4f} s  "
        f"ratio {row['ratio']:.4f}  {pages} pages",
        flush=True,
    )
    return [row]


def child(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix=f"tremplin-bench-report-{args.child}-"))
    (var_dir / "static").mkdir()
    harness.database_environment(args.child, var_dir, args.postgres_url)
    try:
        if args.child == "postgres":
            harness.recreate_postgres(args.postgres_url)
        subprocess.run([sys.executable, "-m", "tremplin", "migrate", "-v", "0"], check=True)
        import django

        django.setup()
        started = time.perf_counter()
        programme_pk = load_data(args.contributions)
        print(f"{args.child}: data loaded in {time.perf_counter() - started:.1f} s", flush=True)
        results = measure(args.child, programme_pk, args.repeat)
    finally:
        harness.end_child(args.child, args.postgres_url, var_dir)
    print(json.dumps(results))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    options = harness.forwarded(args, ("postgres_url", "contributions", "repeat"))
    results, failures = harness.run_per_database(__file__, args.databases.split(","), options)
    for row in results:
        met = "met" if row["target_met"] else "NOT MET"
        print(f"Target: {row['name']} {row['ours']:.3f} s < {row['target_s']} s: {met}")
    return harness.finish(BENCHMARK, results, failures)


if __name__ == "__main__":
    sys.exit(main())
