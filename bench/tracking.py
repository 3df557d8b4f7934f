"""Benchmark of the tracking cockpit and of the nightly task, beside the floor of this machine.

    uv run python bench/tracking.py                        # SQLite and PostgreSQL, 1,000,000
    uv run python bench/tracking.py --databases postgres --contributions 100000   # quicker

For each database (a fresh SQLite file in a temporary var directory; a PostgreSQL database
created and dropped here, URL from ``--postgres-url``), migrated with ``tremplin migrate``:
one organiser, its manager and a programme of 100 live campaigns that started 89 days ago
(90 days with today), then contributions written in bulk by SQL (spread over the 90 days,
five channels, 2 % refunded a day later), in two steps: ``--small`` (10,000) first, then up
to ``--contributions`` (1,000,000). After each step:

* ``end_of_day_task_<n>``: ``closing.close_days()`` for all campaigns — the nightly case
  (the days before are closed; yesterday is closed now), in seconds (median of
  ``--repeat``), beside the floor: one raw grouped query of yesterday's contributions (what
  closing a day must at least read). The back-fill of all 89 days is printed too. Target:
  < 5 s.
* ``cockpit_<n>``: the programme cockpit ``/gestion/<org>/programmes/<slug>/suivi/``
  (100 campaigns, the chart, its table; logged in) under gunicorn started like ``tremplin
  serve``, ``--clients`` (8) keep-alive clients, in rounds of ``--duration`` seconds
  interleaved with the floor (ours, floor, ours, floor…): a bare Django view reading the
  programme's 100 campaigns' totals and writing them as a small table. ``ours``/``floor`` are
  requests per second (medians of the rounds), ``ratio`` their median ratio, ``p99_ms`` the
  cockpit's 99th percentile latency over all rounds (``p50_ms`` too). Target: p99 < 150 ms.
* ``cockpit_<n>_writes``: the same at ``--contributions`` while a contribution is confirmed
  every ``--write-every`` seconds (8 s: the pace of the benchmark's own history, 1,000,000
  gifts in 90 days), each one changing the cockpit's figures: its live part is computed
  again after each (``tracking/cockpit_cache.py``), by one request while the others are
  served the previous version.
* ``cockpit_growth``: the cockpit's median latency at ``--contributions`` over its median at
  ``--small``. Target: ≤ 1.5 (the cockpit reads the stored series and today's rows, never
  all the contributions).

Tremplin's gunicorn runs with the production cache, Redis (``--cache-url``, a database of its
own, emptied first): its workers share the rendered cockpit, as in production (README,
"Settings"). Each measurement starts with the cockpit computed (the warm-up).

The last line printed is the result as one JSON object (the shape of bench/pages.py). Not run
in CI. The floor's gunicorn imports this module with TRACKING_FLOOR=1 (``floor_application``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import harness

BENCHMARK = "tracking"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tremplin_bench_tracking"
DEFAULT_CACHE = "redis://127.0.0.1:6379/13"
CAMPAIGNS = 100
DAYS = 90
TARGET_P99_MS = 150.0
TARGET_GROWTH = 1.5
TARGET_TASK_S = 5.0
CHANNELS = ("affiche", "bus", "reseaux", "", "email")


# --- the floor (in the floor's gunicorn process only) ----------------------------------------

if os.environ.get("TRACKING_FLOOR") == "1":
    import floor_app  # noqa: F401  (configures the floor's settings)
    from django.db import connection
    from django.http import HttpResponse
    from django.urls import path
    from django.utils.html import escape

    FLOOR_SQL = """
    SELECT id, title, goal, raised_amount, matched_amount, contributor_count, ends_at
    FROM campaigns_campaign WHERE programme_id = %s ORDER BY raised_amount DESC
    """

    def floor_cockpit(request, programme_id: int):
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [programme_id])
            rows = cursor.fetchall()
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>"
            for row in rows
        )
        return HttpResponse(f"<!doctype html><table>{body}</table>")

    floor_app.urlpatterns.append(path("cockpit/<int:programme_id>/", floor_cockpit))
    floor_application = floor_app.application


# --- the data ----------------------------------------------------------------------------------


def load_campaigns() -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tremplin.calls.enums import ApplicationState, ProgrammeState
    from tremplin.calls.models import Application, Programme
    from tremplin.campaigns.enums import CampaignState
    from tremplin.campaigns.models import Campaign, CampaignSettings
    from tremplin.core.models import Organiser, OrganiserMembership, OrganiserRole, User
    from tremplin.demo import data
    from tremplin.tracking.series import day_start, today

    now = timezone.now()
    first = today(now) - timedelta(days=DAYS - 1)
    start = day_start(first) + timedelta(hours=9)
    organiser = Organiser.objects.create(**data.MEL)
    manager = User.objects.create_user("manager@bench.example", full_name="Claire Dumont")
    OrganiserMembership.objects.create(organiser=organiser, user=manager, role=OrganiserRole.ADMIN)
    programme = Programme.objects.create(
        organiser=organiser,
        state=ProgrammeState.CAMPAIGNS_LIVE,
        call_opens_at=start - timedelta(days=200),
        call_closes_at=start - timedelta(days=150),
        jury_starts_at=start - timedelta(days=140),
        jury_ends_at=start - timedelta(days=120),
        results_at=start - timedelta(days=100),
        campaigns_start_at=start,
        campaigns_end_at=now + timedelta(days=1),
        **data.PROGRAMME_2020,
    )
    CampaignSettings.objects.create(programme=programme)
    makers = User.objects.bulk_create(
        User(email=f"maker{i}@bench.example", full_name=f"Maker {i}", password="!")
        for i in range(CAMPAIGNS)
    )
    projects = data.PROJECTS_2019
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            maker=maker,
            state=ApplicationState.SUBMITTED,
            title=f"{projects[i % len(projects)].title} ({i + 1})"[:120],
            summary=projects[i % len(projects)].summary,
            description=projects[i % len(projects)].description,
            category=projects[i % len(projects)].category,
            commune=projects[i % len(projects)].commune,
            maker_name=projects[i % len(projects)].maker.full_name,
            submitted_at=start - timedelta(days=180),
        )
        for i, maker in enumerate(makers)
    )
    Campaign.objects.bulk_create(
        Campaign(
            programme=programme,
            application=application,
            slug=f"campagne-{i + 1}",
            title=application.title,
            pitch="Un projet de la métropole.",
            goal=5000 + 1000 * (i % 20),
            starts_at=start,
            launched_at=start,
            ends_at=now + timedelta(days=1),
            state=CampaignState.LIVE,
        )
        for i, application in enumerate(applications)
    )
    client = Client()
    client.force_login(manager)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "programme_id": programme.pk,
        "first_campaign_id": Campaign.objects.filter(programme=programme).order_by("pk")[0].pk,
        "cockpit_path": reverse("tracking_manage:cockpit", args=[organiser.slug, programme.slug]),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "start": start,
        "now": now,
    }


PG_INSERT = """
INSERT INTO funding_contribution (
    campaign_id, amount, state, source, name, email, language, address, postal_code, city,
    country, hide_name, hide_amount, message, news_consent, channel, attribution,
    idempotency_key, offline_reference, matched_amount, reward_unavailable, created_at,
    confirmed_at, refunded_at)
SELECT ids[1 + g %% array_length(ids, 1)], 5 + (g::bigint * 7919) %% 200,
       CASE WHEN g %% 50 = 0 THEN 'refunded' ELSE 'confirmed' END, 'cash', 'Bench', '',
       'fr', '', '', '', 'FR', FALSE, FALSE, '', FALSE,
       (ARRAY['affiche','bus','reseaux','','email'])[1 + g %% 5], '{}', 'bench-' || g, '',
       0, FALSE, t, t, CASE WHEN g %% 50 = 0 THEN LEAST(t + interval '1 day', %(now)s) END
FROM generate_series(%(low)s, %(high)s) AS g,
     (SELECT array_agg(id ORDER BY id) AS ids FROM campaigns_campaign
      WHERE programme_id = %(programme)s) AS c,
     LATERAL (SELECT %(start)s::timestamptz
              + ((g::bigint * 2654435761) %% 1000003) / 1000003.0 * %(span)s
              * interval '1 second' AS t) AS moment
"""
SQLITE_INSERT = """
INSERT INTO funding_contribution (
    campaign_id, amount, state, source, name, email, language, address, postal_code, city,
    country, hide_name, hide_amount, message, news_consent, channel, attribution,
    idempotency_key, offline_reference, matched_amount, reward_unavailable, created_at,
    confirmed_at, refunded_at)
WITH RECURSIVE g(x) AS (SELECT %(low)s UNION ALL SELECT x + 1 FROM g WHERE x < %(high)s),
moment AS (SELECT x, %(start)s + ((x * 2654435761) %% 1000003) / 1000003.0 * %(span)s AS t
           FROM g)
SELECT (SELECT id FROM campaigns_campaign WHERE programme_id = %(programme)s
        ORDER BY id LIMIT 1 OFFSET x %% %(campaigns)s),
       5 + (x * 7919) %% 200, CASE WHEN x %% 50 = 0 THEN 'refunded' ELSE 'confirmed' END,
       'cash', 'Bench', '', 'fr', '', '', '', 'FR', 0, 0, '', 0,
       CASE x %% 5 WHEN 0 THEN 'affiche' WHEN 1 THEN 'bus' WHEN 2 THEN 'reseaux'
                   WHEN 3 THEN '' ELSE 'email' END,
       '{}', 'bench-' || x, '', 0, 0,
       strftime('%%Y-%%m-%%d %%H:%%M:%%f', t, 'unixepoch'),
       strftime('%%Y-%%m-%%d %%H:%%M:%%f', t, 'unixepoch'),
       CASE WHEN x %% 50 = 0 THEN strftime('%%Y-%%m-%%d %%H:%%M:%%f',
                                         min(t + 86400, %(now)s), 'unixepoch') END
FROM moment
"""
TOTALS = """
UPDATE campaigns_campaign SET
  raised_amount = COALESCE((SELECT SUM(amount) FROM funding_contribution f
                   WHERE f.campaign_id = campaigns_campaign.id AND f.state = 'confirmed'), 0),
  contributor_count = (SELECT COUNT(*) FROM funding_contribution f
                   WHERE f.campaign_id = campaigns_campaign.id AND f.state = 'confirmed')
WHERE programme_id = %s
"""


def add_contributions(setup: dict, low: int, high: int) -> None:
    """Contributions ``low``..``high`` (numbers), spread over the campaigns and the days
    (until an hour ago), in one SQL statement per 200,000."""
    from django.db import connection, transaction

    start, now = setup["start"], setup["now"] - timedelta(hours=1)
    span = (now - start).total_seconds()
    for chunk in range(low, high + 1, 200_000):
        top = min(high, chunk + 199_999)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    PG_INSERT,
                    {
                        "low": chunk,
                        "high": top,
                        "programme": setup["programme_id"],
                        "start": start,
                        "span": span,
                        "now": now,
                    },
                )
            else:
                # The subquery by OFFSET is slow: insert per campaign instead.
                cursor.execute(
                    SQLITE_INSERT.replace(
                        "(SELECT id FROM campaigns_campaign WHERE programme_id = %(programme)s\n"
                        "        ORDER BY id LIMIT 1 OFFSET x %% %(campaigns)s)",
                        "%(first_id)s + x %% %(campaigns)s",
                    ),
                    {
                        "low": chunk,
                        "high": top,
                        "programme": setup["programme_id"],
                        "campaigns": CAMPAIGNS,
                        "first_id": setup["first_campaign_id"],
                        "start": start.timestamp(),
                        "span": span,
                        "now": now.timestamp(),
                    },
                )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TOTALS, [setup["programme_id"]])
        cursor.execute("ANALYZE")  # as the autovacuum would after such a load


# --- the nightly task --------------------------------------------------------------------------

FLOOR_TASK_SQL = """
SELECT campaign_id, channel, COUNT(*), SUM(amount), MAX(confirmed_at)
FROM funding_contribution WHERE confirmed_at >= %s AND confirmed_at < %s
GROUP BY campaign_id, channel
"""


def measure_task(label: str, repeat: int) -> dict:
    from django.db import connection

    from tremplin.tracking import closing, series
    from tremplin.tracking.models import DailyFigure, SeriesCursor

    yesterday = series.today() - timedelta(days=1)
    DailyFigure.objects.all().delete()
    SeriesCursor.objects.all().delete()
    started = time.perf_counter()
    report = closing.close_days(yesterday - timedelta(days=1))
    backfill = time.perf_counter() - started
    print(f"{label}: back-fill of {report.rows} rows in {backfill:.2f} s", flush=True)
    ours, floor = [], []
    for _ in range(repeat):
        DailyFigure.objects.filter(day=yesterday).delete()
        SeriesCursor.objects.update(closed_through=yesterday - timedelta(days=1))
        started = time.perf_counter()
        report = closing.close_days()
        ours.append(time.perf_counter() - started)
        assert report.rebuilt == [], report.rebuilt
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                FLOOR_TASK_SQL, [series.day_start(yesterday), series.day_start(series.today())]
            )
            cursor.fetchall()
        floor.append(time.perf_counter() - started)
    ours_s, floor_s = statistics.median(ours), statistics.median(floor)
    print(f"{label}: nightly close {ours_s:.3f} s (floor {floor_s:.3f} s)", flush=True)
    return {
        "name": label,
        "unit": "s",
        "ours": round(ours_s, 3),
        "floor": round(floor_s, 3),
        "ratio": round(floor_s / ours_s, 3) if ours_s else None,
        "p99_ms": round(max(ours) * 1000, 1),
        "backfill_s": round(backfill, 2),
        "target_s": TARGET_TASK_S,
        "target_met": ours_s < TARGET_TASK_S,
    }


# --- the cockpit under load ------------------------------------------------------------------


async def _load(url: str, duration: float, clients: int, cookie: str) -> list[float]:
    parts = urlsplit(url)
    head = f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: tremplin-bench\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    request = (head + "\r\n").encode()
    latencies: list[float] = []
    deadline = time.perf_counter() + duration

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status, keep_alive = await harness._read_response(reader)
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            latencies.append(time.perf_counter() - started)
            if not keep_alive:
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


class Writer(threading.Thread):
    """Confirms a contribution every ``every`` seconds until stopped, as the funding code
    does to the rows the cockpit reads: the contribution's row, and the campaign's totals in
    the same transaction."""

    def __init__(self, setup: dict, every: float) -> None:
        super().__init__(daemon=True)
        self.setup, self.every = setup, every
        self.stopped = threading.Event()
        self.count = 0

    def run(self) -> None:
        from decimal import Decimal

        from django.db import connection, transaction
        from django.db.models import F
        from django.utils import timezone

        from tremplin.campaigns.models import Campaign
        from tremplin.funding.models import Contribution

        ids = list(
            Campaign.objects.filter(programme_id=self.setup["programme_id"])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        try:
            while not self.stopped.wait(self.every):
                campaign_id = ids[self.count % len(ids)]
                now = timezone.now()
                with transaction.atomic():
                    Contribution.objects.create(
                        campaign_id=campaign_id,
                        amount=Decimal("25"),
                        state="confirmed",
                        source="cash",
                        name="Bench",
                        channel="affiche",
                        idempotency_key=f"bench-writer-{now.timestamp()}",
                        confirmed_at=now,
                    )
                    Campaign.objects.filter(pk=campaign_id).update(
                        raised_amount=F("raised_amount") + Decimal("25"),
                        contributor_count=F("contributor_count") + 1,
                    )
                self.count += 1
        finally:
            connection.close()

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return self.count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def measure_cockpit(
    label: str, ours_url: str, floor_url: str, cookie: str, args, writer: Writer | None = None
) -> dict:
    ours_all: list[float] = []
    rates, ratios = [], []
    asyncio.run(_load(ours_url, 0.1, 1, cookie))  # computed once, before the clients come
    for side_url, side_cookie in ((ours_url, cookie), (floor_url, "")):  # warm-up
        asyncio.run(_load(side_url, args.warmup, args.clients, side_cookie))
    floor_rates = []
    if writer is not None:
        writer.start()
    for _ in range(args.rounds):
        ours = asyncio.run(_load(ours_url, args.duration, args.clients, cookie))
        floor = asyncio.run(_load(floor_url, args.duration, args.clients, ""))
        ours_all += ours
        rates.append(len(ours) / args.duration)
        floor_rates.append(len(floor) / args.duration)
        ratios.append(rates[-1] / floor_rates[-1])
    writes = writer.stop() if writer is not None else 0
    p50, p99 = percentile(ours_all, 0.5), percentile(ours_all, 0.99)
    print(
        f"{label}: {statistics.median(rates):.1f} req/s (floor "
        f"{statistics.median(floor_rates):.1f}), p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        flush=True,
    )
    return {
        "name": label,
        "unit": "req/s",
        "ours": round(statistics.median(rates), 1),
        "floor": round(statistics.median(floor_rates), 1),
        "ratio": round(statistics.median(ratios), 3),
        "p99_ms": round(p99, 1),
        "p50_ms": round(p50, 1),
        "target_p99_ms": TARGET_P99_MS,
        "target_met": p99 < TARGET_P99_MS,
        **({"writes": writes} if writer is not None else {}),
    }


def flush_cache(url: str) -> None:
    """Empty the benchmark's Redis database (``--cache-url``): no page of an earlier run."""
    import redis

    redis.Redis.from_url(url).flushdb()


def child(args: argparse.Namespace) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix=f"tremplin-bench-tracking-{args.child}-"))
    (var_dir / "static").mkdir()
    harness.database_environment(args.child, var_dir, args.postgres_url, CACHE_URL=args.cache_url)
    flush_cache(args.cache_url)
    servers: list[harness.Server] = []
    results = []
    try:
        if args.child == "postgres":
            harness.recreate_postgres(args.postgres_url)
        subprocess.run([sys.executable, "-m", "tremplin", "migrate", "-v", "0"], check=True)
        import django

        django.setup()

        setup = load_campaigns()
        ours = harness.start_gunicorn("tremplin", "tremplin.wsgi:application")
        servers.append(ours)
        os.environ["TRACKING_FLOOR"] = "1"
        floor = harness.start_gunicorn(
            "floor",
            "tracking:floor_application",
            pythonpath=harness.BENCH_DIR,
            settings_module=None,
        )
        os.environ.pop("TRACKING_FLOOR")
        servers.append(floor)
        ours_url = ours.base_url + setup["cockpit_path"]
        floor_url = f"{floor.base_url}/cockpit/{setup['programme_id']}/"
        done = 0
        p50 = {}
        for size in (args.small, args.contributions):
            started = time.perf_counter()
            add_contributions(setup, done + 1, size)
            done = size
            print(
                f"{args.child}: {size} contributions in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            label = f"{size // 1000}k" if size < 1_000_000 else f"{size / 1_000_000:g}M"
            results.append(measure_task(f"{args.child}_end_of_day_task_{label}", args.repeat))
            row = measure_cockpit(
                f"{args.child}_cockpit_{label}", ours_url, floor_url, setup["cookie"], args
            )
            p50[size] = row["p50_ms"]
            results.append(row)
        if args.write_every > 0:
            results.append(
                measure_cockpit(
                    f"{args.child}_cockpit_{label}_writes",
                    ours_url,
                    floor_url,
                    setup["cookie"],
                    args,
                    Writer(setup, args.write_every),
                )
            )
        growth = p50[args.contributions] / p50[args.small]
        results.append(
            {
                "name": f"{args.child}_cockpit_growth",
                "unit": "x",
                "ours": round(growth, 3),
                "floor": 1.0,
                "ratio": round(growth, 3),
                "p99_ms": None,
                "target": TARGET_GROWTH,
                "target_met": growth <= TARGET_GROWTH,
            }
        )
    finally:
        for server in servers:
            server.stop()
        harness.end_child(args.child, args.postgres_url, var_dir)
    print(json.dumps(results))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--contributions", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per round")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE, help="Redis, as in production")
    parser.add_argument(
        "--write-every", type=float, default=8.0, help="seconds between contributions (0: none)"
    )
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    options = harness.forwarded(
        args,
        (
            "postgres_url",
            "contributions",
            "small",
            "clients",
            "duration",
            "warmup",
            "rounds",
            "repeat",
            "cache_url",
            "write_every",
        ),
    )
    results, failures = harness.run_per_database(__file__, args.databases.split(","), options)
    for row in results:
        if "target_met" in row:
            print(f"Target: {row['name']}: {'met' if row['target_met'] else 'NOT MET'}")
    return harness.finish(BENCHMARK, results, failures)


if __name__ == "__main__":
    sys.exit(main())
