"""Benchmark of contributing, end to end, beside the floor of this machine.

    uv run python bench/contributions.py                 # SQLite and PostgreSQL, a few minutes
    uv run python bench/contributions.py --databases sqlite

For each database (a fresh SQLite file in a temporary var directory; a PostgreSQL database
``tremplin_bench_contributions`` created and dropped here, URL from ``--postgres-url``), in
its own process: migrate, load one live campaign (rewards, news, comments, 200 earlier
contributions), start Tremplin under gunicorn exactly as ``tremplin serve`` does, the
floor app (bench/floor_app.py, same gunicorn configuration) and the sandbox's webhook
sender (``tremplin sandbox-deliver --loop``: the simulated payment service, with its chaos
setting on: every webhook sent 2–3 times, delayed up to a second, out of order). Then, under
``--connections`` (32) concurrent keep-alive clients:

* ``contributions_<db>``: each client loops: POST the checkout form (``funding:contribute``,
  which opens a sandbox payment and redirects to its card page), then POST the test card
  to the sandbox's pay endpoint (what the hosted card page posts; the page itself is
  skipped). The sandbox's webhooks then confirm the payments (``payments:webhook``). Ours =
  contributions CONFIRMED per second, from the first request until the last webhook is
  in; p99 = the slowest 1 % of those HTTP requests. The floor: a bare Django view that
  inserts one contribution row and adds it to its campaign's totals in one transaction,
  POSTed by the same clients. Afterwards ``tremplin audit-ledger`` must be clean.
  Also reported: ``requests_per_contribution`` (checkout, card and every webhook copy: the
  HTTP requests our server handled per confirmed contribution), ``ratio_bound`` (1 / that:
  the ratio if each of our requests cost exactly the floor's one request) and
  ``request_ratio`` (our requests per second against the floor's).
* ``campaign_page_<db>``: the public campaign page (``campaigns:campaign``) beside a bare
  Django view returning a small page (requests per second; wrk when installed). Measured
  first, before the contributions leave the database busy.

Targets: contributions ratio >= 0.4 with p99 < 250 ms; campaign page ratio >= 0.5. The last
line printed is the result as one JSON object, the same shape as bench/pages.py. Not run in
CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import harness

BENCHMARK = "contributions"
TARGET_CONTRIBUTIONS_RATIO = 0.4
TARGET_CONTRIBUTIONS_P99_MS = 250.0
TARGET_PAGE_RATIO = 0.5
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tremplin_bench_contributions"
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}


# --- data ----------------------------------------------------------------------------------


def load_data(earlier: int) -> dict:
    """One organiser, a programme whose campaigns are live, the campaign measured (three
    rewards, five news, thirty comments, ``earlier`` confirmed offline contributions) and
    a second campaign for the floor's rows."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db.models import Count, Sum
    from django.urls import reverse
    from django.utils import timezone

    from tremplin.calls.enums import ApplicationState, ProgrammeState
    from tremplin.calls.models import Application, Programme
    from tremplin.campaigns.enums import CampaignState, FundingRule
    from tremplin.campaigns.models import (
        Campaign,
        CampaignSettings,
        CampaignUpdate,
        Comment,
        RewardTier,
    )
    from tremplin.core.models import Organiser, User
    from tremplin.demo import data
    from tremplin.funding.enums import ContributionSource, ContributionState
    from tremplin.funding.models import Contribution

    now = timezone.now()
    organiser = Organiser.objects.create(**data.MEL)
    programme = Programme.objects.create(
        organiser=organiser,
        name="MEL Makers (banc d'essai)",
        slug="banc-contributions",
        state=ProgrammeState.CAMPAIGNS_LIVE,
        description=data.MEL_DESCRIPTION,
        categories="\n".join(data.MEL_CATEGORIES),
        call_opens_at=now - timedelta(days=200),
        call_closes_at=now - timedelta(days=170),
        campaigns_start_at=now - timedelta(days=10),
        campaigns_end_at=now + timedelta(days=30),
    )
    CampaignSettings.objects.create(
        programme=programme,
        funding_rule=FundingRule.ALL_OR_NOTHING,
        min_contribution=Decimal("5.00"),
        max_contribution=Decimal("5000.00"),
        payment_provider="sandbox",
    )
    campaigns = []
    for i, project in enumerate(data.PROJECTS_2019[:2]):
        maker = User.objects.create_user(
            f"maker{i}@bench.example", full_name=project.maker.full_name
        )
        application = Application.objects.create(
            programme=programme,
            maker=maker,
            state=ApplicationState.SUBMITTED,
            title=project.title,
            summary=project.summary,
            description=project.description,
            category=project.category,
            commune=project.commune,
            maker_profile=project.profile,
            maker_name=project.maker.full_name,
            funding_goal=Decimal(project.goal),
            budget=Decimal(project.budget),
            submitted_at=now - timedelta(days=175),
        )
        campaigns.append(
            Campaign.objects.create(
                programme=programme,
                application=application,
                slug=f"banc-campagne-{i}",
                title=project.title,
                pitch=project.summary[:300],
                description=f"<p>{project.description}</p>",
                goal=Decimal("1000000.00"),
                state=CampaignState.LIVE,
                starts_at=now - timedelta(days=10),
                ends_at=now + timedelta(days=30),
                launched_at=now - timedelta(days=10),
            )
        )
    campaign, floor_campaign = campaigns
    for position, (title, minimum, stock) in enumerate(
        [("Merci !", "10.00", None), ("Carte postale", "25.00", 500), ("Atelier", "80.00", 40)]
    ):
        RewardTier.objects.create(
            campaign=campaign,
            title=title,
            description="Une contrepartie pour vous remercier.",
            min_amount=Decimal(minimum),
            stock=stock,
            position=position,
        )
    for n in range(5):
        CampaignUpdate.objects.create(
            campaign=campaign, title=f"Actualité {n + 1}", body="Les prototypes avancent bien."
        )
    Comment.objects.bulk_create(
        Comment(campaign=campaign, author_name=f"Visiteur {n}", body="Bravo pour ce projet !")
        for n in range(30)
    )
    Contribution.objects.bulk_create(
        Contribution(
            campaign=campaign,
            amount=Decimal(10 + n % 90),
            state=ContributionState.CONFIRMED,
            source=ContributionSource.CASH,
            name=f"Contributeur {n}",
            idempotency_key=uuid.uuid4().hex,
            confirmed_at=now - timedelta(hours=n),
        )
        for n in range(earlier)
    )
    totals = Contribution.objects.filter(campaign=campaign).aggregate(
        s=Sum("amount"), n=Count("pk")
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        raised_amount=totals["s"] or 0, contributor_count=totals["n"]
    )
    return {
        "campaign_id": campaign.pk,
        "floor_campaign_id": floor_campaign.pk,
        "title": campaign.title,
        "page_path": reverse("campaigns:campaign", args=[campaign.slug]),
        "contribute_path": reverse("funding:contribute", args=[campaign.slug]),
    }


# --- an HTTP/1.1 keep-alive client that posts forms ---------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    iterations: int = 0
    first_error: str = ""

    def fail(self, message: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or message

    @property
    def p99_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


class Connection:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.netloc = parts.hostname, parts.port or 80, parts.netloc
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, *, cookie: str = "", form: dict | None = None
    ) -> tuple[int, dict[str, list[str]], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = urlencode(form).encode() if form is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.netloc}\r\nUser-Agent: tremplin-bench\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        if form is not None:
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write((head + "\r\n").encode() + body)
        try:
            status, headers, content = await _read(self.reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.close()
            raise
        if headers.get("connection", [""])[0].lower() == "close":
            self.close()
        return status, headers, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _read(reader: asyncio.StreamReader) -> tuple[int, dict[str, list[str]], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        if ":" in line:
            key, _, value = line.partition(":")
            headers.setdefault(key.strip().lower(), []).append(value.strip())
    if "content-length" in headers:
        return status, headers, await reader.readexactly(int(headers["content-length"][0]))
    chunks = []
    if headers.get("transfer-encoding", [""])[0].lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunks.append(await reader.readexactly(size + 2))
            if size == 0:
                break
    return status, headers, b"".join(chunk[:-2] for chunk in chunks)


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def _csrf(conn: Connection, path: str) -> tuple[str, str]:
    """The CSRF cookie and form token, read once from the checkout page (both stay valid
    for every later POST of this client)."""
    status, headers, body = await conn.request("GET", path)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: is the checkout page ready?")
    cookie = next(
        c.split(";", 1)[0] for c in headers.get("set-cookie", []) if c.startswith("csrftoken=")
    )
    token = _CSRF_INPUT.search(body).group(1).decode()
    return cookie, token


async def _contribute_loop(base_url: str, path: str, deadline: float, stats: Stats, seed: int):
    conn = Connection(base_url)
    rng = random.Random(seed)
    cookie, token = await _csrf(conn, path)
    while time.perf_counter() < deadline:
        amount = f"{rng.randint(5, 200)},{rng.randint(0, 99):02d}"
        form = {
            "csrfmiddlewaretoken": token,
            "amount": amount,
            "name": f"Donateur {seed}",
            "email": f"donateur{seed}@bench.example",
            "country": "FR",
            "key": uuid.uuid4().hex,
        }
        try:
            started = time.perf_counter()
            status, headers, body = await conn.request("POST", path, cookie=cookie, form=form)
            stats.latencies.append(time.perf_counter() - started)
            if status != 302 or "/sandbox/pay/" not in headers.get("location", [""])[0]:
                stats.fail(f"checkout answered {status} {headers.get('location')} {body[:200]!r}")
                continue
            pay_path = urlsplit(headers["location"][0]).path
            started = time.perf_counter()
            status, headers, body = await conn.request(
                "POST", pay_path, cookie=cookie, form={"csrfmiddlewaretoken": token, **CARD}
            )
            stats.latencies.append(time.perf_counter() - started)
            if status != 302:
                stats.fail(f"pay answered {status} {body[:200]!r}")
                continue
            stats.iterations += 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            stats.fail(f"{type(error).__name__}: {error}")
    conn.close()


async def _floor_loop(base_url: str, path: str, deadline: float, stats: Stats, seed: int):
    conn = Connection(base_url)
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        form = {
            "amount": f"{rng.randint(5, 200)}.{rng.randint(0, 99):02d}",
            "name": f"Donateur {seed}",
            "email": f"donateur{seed}@bench.example",
        }
        try:
            started = time.perf_counter()
            status, _, _ = await conn.request("POST", path, form=form)
            stats.latencies.append(time.perf_counter() - started)
            if status != 200:
                stats.fail(f"floor answered {status}")
            else:
                stats.iterations += 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            stats.fail(f"{type(error).__name__}: {error}")
    conn.close()


def run_clients(loop_fn, base_url: str, path: str, duration: float, connections: int) -> Stats:
    stats = Stats()
    deadline = time.perf_counter() + duration

    async def main():
        await asyncio.gather(
            *(loop_fn(base_url, path, deadline, stats, n) for n in range(connections))
        )

    asyncio.run(main())
    return stats


# --- one database, in a child process ------------------------------------------------------


def confirmed_count(campaign_id: int) -> tuple[int, int, int]:
    """(confirmed, pending contributions, webhooks not yet delivered)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            "(SELECT COUNT(*) FROM funding_contribution WHERE campaign_id = %s "
            " AND state = 'confirmed'), "
            "(SELECT COUNT(*) FROM funding_contribution WHERE campaign_id = %s "
            " AND state = 'pending'), "
            "(SELECT COUNT(*) FROM sandbox_sandboxwebhook WHERE delivered_at IS NULL)",
            [campaign_id, campaign_id],
        )
        return cursor.fetchone()


def webhook_attempts() -> int:
    """Webhook POSTs the sandbox's senders have made so far (every copy, every retry)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(attempts), 0) FROM sandbox_sandboxwebhook")
        return int(cursor.fetchone()[0])


def confirm_lag_p99_ms(campaign_id: int) -> float:
    """The slowest 1 % of checkout → confirmation delays (server side, from the rows)."""
    from tremplin.funding.models import Contribution

    rows = Contribution.objects.filter(
        campaign_id=campaign_id, source="online", state="confirmed"
    ).values_list("created_at", "confirmed_at")
    lags = sorted((confirmed - created).total_seconds() for created, confirmed in rows)
    return lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000 if lags else 0.0


def measure_contributions(db: str, setup: dict, ours, floor, args) -> dict:
    contribute = setup["contribute_path"]
    if args.warmup > 0:
        run_clients(_contribute_loop, ours.base_url, contribute, args.warmup, args.connections)
        run_clients(
            _floor_loop,
            floor.base_url,
            f"/contribute/{setup['floor_campaign_id']}/",
            args.warmup,
            args.connections,
        )
        _drain(setup["campaign_id"], timeout=60)
    before, _, _ = confirmed_count(setup["campaign_id"])
    attempts_before = webhook_attempts()
    started = time.perf_counter()
    stats = run_clients(
        _contribute_loop, ours.base_url, contribute, args.duration, args.connections
    )
    load_done = time.perf_counter()
    drained = _drain(setup["campaign_id"], timeout=120)
    elapsed = time.perf_counter() - started
    after, pending, undelivered = confirmed_count(setup["campaign_id"])
    confirmed = after - before
    ours_rate = confirmed / elapsed
    # What one confirmed contribution costs in HTTP requests to our server: the checkout
    # and card POSTs of the clients, and every webhook copy the sandbox sent.
    requests = len(stats.latencies) + (webhook_attempts() - attempts_before)
    per_contribution = requests / confirmed if confirmed else 0.0
    print(
        f"contributions_{db:<9} ours  {ours_rate:9.1f} confirmed/s  p99 {stats.p99_ms:7.1f} ms  "
        f"{stats.iterations} checkouts paid, {confirmed} confirmed in {elapsed:.1f} s "
        f"(load {load_done - started:.1f} s + drain {elapsed - (load_done - started):.1f} s), "
        f"{stats.errors} errors; {per_contribution:.2f} requests per contribution",
        flush=True,
    )
    if stats.first_error:
        print(f"  first error: {stats.first_error}", flush=True)
    floor_stats = run_clients(
        _floor_loop,
        floor.base_url,
        f"/contribute/{setup['floor_campaign_id']}/",
        args.duration,
        args.connections,
    )
    floor_rate = floor_stats.iterations / args.duration
    print(
        f"contributions_{db:<9} floor {floor_rate:9.1f} rows/s       p99 "
        f"{floor_stats.p99_ms:7.1f} ms  {floor_stats.errors} errors",
        flush=True,
    )
    return {
        "name": f"contributions_{db}",
        "unit": "confirmed contributions/s",
        "ours": round(ours_rate, 1),
        "floor": round(floor_rate, 1),
        "ratio": round(ours_rate / floor_rate, 3) if floor_rate else 0.0,
        "p99_ms": round(stats.p99_ms, 1),
        "floor_p99_ms": round(floor_stats.p99_ms, 1),
        "checkouts": stats.iterations,
        "confirmed": confirmed,
        "errors": stats.errors + floor_stats.errors,
        "drained": drained and pending == 0 and undelivered == 0,
        "confirm_lag_p99_ms": round(confirm_lag_p99_ms(setup["campaign_id"]), 1),
        # The floor does one request per row: even if each of our requests cost no more
        # than the floor's, the ratio could not pass 1 / requests per contribution.
        "requests_per_contribution": round(per_contribution, 2),
        "ratio_bound": round(1 / per_contribution, 3) if per_contribution else 0.0,
        "request_ratio": round(ours_rate * per_contribution / floor_rate, 3) if floor_rate else 0.0,
        "connections": args.connections,
    }


def _drain(campaign_id: int, *, timeout: float) -> bool:
    """Wait until every paid checkout is confirmed and every webhook delivered."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        _, pending, undelivered = confirmed_count(campaign_id)
        if pending == 0 and undelivered == 0:
            return True
        time.sleep(0.05)
    return False


def measure_page(db: str, setup: dict, ours, floor, args) -> dict:
    our_url = ours.base_url + setup["page_path"]
    status, body = harness.fetch(our_url)
    if status != 200 or setup["title"] not in body:
        raise SystemExit(f"{our_url} answered {status}: is the campaign page ready?")
    measured = {}
    for side, url in (("ours", our_url), ("floor", floor.base_url + "/")):
        if args.warmup > 0:
            harness.measure(url, duration=args.warmup, connections=args.connections, tool=args.tool)
        load = harness.measure(
            url, duration=args.duration, connections=args.connections, tool=args.tool
        )
        measured[side] = load
        print(
            f"campaign_page_{db:<9} {side:<5} {load.requests_per_second:9.1f} req/s  "
            f"p99 {load.p99_ms:7.1f} ms  {load.requests} requests, {load.errors} errors "
            f"({load.tool})",
            flush=True,
        )
    row = harness.result_row(f"campaign_page_{db}", measured["ours"], measured["floor"])
    row["errors"] = measured["ours"].errors + measured["floor"].errors
    return row


def audit_ledger() -> tuple[bool, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "tremplin", "audit-ledger"], capture_output=True, text=True
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def prepare_environment(db: str, var_dir: Path, postgres_url: str, site_url: str) -> None:
    harness.database_environment(
        db,
        var_dir,
        postgres_url,
        SITE_URL=site_url,
        # The simulated payment service: webhooks over HTTP, sent by its own process
        # (sandbox-deliver), duplicated, delayed and reordered.
        SANDBOX_ENABLED="true",
        SANDBOX_WEBHOOK_TRANSPORT="http",
        SANDBOX_WEBHOOK_DELIVERY="poll",
        SANDBOX_CHAOS="true",
        SANDBOX_CHAOS_MAX_DUPLICATES="2",  # every webhook sent 2-3 times
        SANDBOX_CHAOS_MAX_DELAY="1",
        # Every checkout comes from 127.0.0.1: no rate limit (settings.CHECKOUT_LIMIT_*).
        CHECKOUT_LIMIT_PER_IP="0",
        CHECKOUT_LIMIT_PER_EMAIL="0",
        # A fixed key: the gunicorn workers, the sender and this process share it.
        SECRET_KEY="bench-" + "k" * 60,
    )


def child(args: argparse.Namespace) -> int:
    db = args.child
    var_dir = Path(tempfile.mkdtemp(prefix=f"tremplin-bench-contributions-{db}-"))
    (var_dir / "static").mkdir()
    port = harness.free_port()
    prepare_environment(db, var_dir, args.postgres_url, f"http://127.0.0.1:{port}")
    servers: list[harness.Server] = []
    senders: list[subprocess.Popen] = []
    results: list[dict] = []
    try:
        if db == "postgres":
            harness.recreate_postgres(args.postgres_url)
        subprocess.run([sys.executable, "-m", "tremplin", "migrate", "-v", "0"], check=True)
        import django

        django.setup()
        setup = load_data(args.earlier)
        ours = harness.start_gunicorn(
            "tremplin",
            "tremplin.wsgi:application",
            workers=args.workers,
            threads=args.threads,
            port=port,
        )
        servers.append(ours)
        floor = harness.start_gunicorn(
            "floor",
            "floor_app:application",
            workers=args.workers,
            threads=args.threads,
            pythonpath=harness.BENCH_DIR,
            settings_module=None,
        )
        servers.append(floor)
        senders = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tremplin",
                    "sandbox-deliver",
                    "--loop",
                    "--threads",
                    str(args.sender_threads),
                    "--shard",
                    f"{i}/{args.senders}",
                ],
                stdout=subprocess.DEVNULL,
            )
            for i in range(args.senders)
        ]
        # The page first: after the contributions, the database is still busy with their
        # aftermath for a while (PostgreSQL's autovacuum and checkpoint, SQLite's WAL).
        page = measure_page(db, setup, ours, floor, args)
        contributions = measure_contributions(db, setup, ours, floor, args)
        clean, output = audit_ledger()
        contributions["ledger_clean"] = clean
        print(f"audit-ledger ({db}): {output}", flush=True)
        results += [contributions, page]
    finally:
        for sender in senders:
            if sender.poll() is None:
                sender.send_signal(signal.SIGINT)
        for sender in senders:
            try:
                sender.wait(timeout=20)
            except subprocess.TimeoutExpired:
                sender.kill()
        for server in servers:
            server.stop()
        if db == "postgres":
            from django.db import connections

            connections.close_all()
            harness.recreate_postgres(args.postgres_url, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(results))
    return 0


# --- the parent ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each measure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="as tremplin serve if unset")
    parser.add_argument("--threads", type=int, default=None, help="as tremplin serve if unset")
    parser.add_argument("--senders", type=int, default=2, help="sandbox webhook senders")
    parser.add_argument("--sender-threads", type=int, default=4, help="threads per sender")
    parser.add_argument("--earlier", type=int, default=200, help="contributions already there")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    options = []
    for option in (
        "postgres_url",
        "duration",
        "warmup",
        "connections",
        "senders",
        "sender_threads",
        "earlier",
        "tool",
    ):
        options += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    for option in ("workers", "threads"):
        if getattr(args, option):
            options += [f"--{option}", str(getattr(args, option))]
    results, failures = harness.run_per_database(__file__, args.databases.split(","), options)
    for row in results:
        if row["name"].startswith("contributions_"):
            met = (
                row["ratio"] >= TARGET_CONTRIBUTIONS_RATIO
                and row["p99_ms"] < TARGET_CONTRIBUTIONS_P99_MS
            )
            print(
                f"Target: {row['name']} ratio {row['ratio']:.2f} >= {TARGET_CONTRIBUTIONS_RATIO} "
                f"with p99 {row['p99_ms']:.0f} ms < {TARGET_CONTRIBUTIONS_P99_MS:.0f} ms: "
                f"{'met' if met else 'NOT MET'} ({row['requests_per_contribution']:.1f} requests "
                f"per contribution: at most {row['ratio_bound']:.2f} even at the floor's cost "
                f"per request; per request, {row['request_ratio']:.2f} of the floor)"
            )
            if not row.get("ledger_clean"):
                failures.append(f"{row['name']}: audit-ledger is not clean")
            if not row.get("drained"):
                failures.append(f"{row['name']}: some payments were never confirmed")
        else:
            met = row["ratio"] >= TARGET_PAGE_RATIO
            print(
                f"Target: {row['name']} ratio {row['ratio']:.2f} >= {TARGET_PAGE_RATIO}: "
                f"{'met' if met else 'NOT MET'}"
            )
        if row.get("errors"):
            failures.append(f"{row['name']}: {row['errors']} failed requests")
    for failure in failures:
        print(f"Error: {failure}")
    harness.print_result_line(BENCHMARK, results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
