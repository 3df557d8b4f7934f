"""Benchmark of the jury tally, database read included, beside the floor of this machine.

    uv run python bench/jury.py                 # SQLite and PostgreSQL, a few minutes
    uv run python bench/jury.py --databases sqlite

For each database (a fresh SQLite file in a temporary var directory; a PostgreSQL database
``tremplin_bench`` created and dropped here, URL from ``--postgres-url``), migrated with
``tremplin migrate``, loads with bulk_create one organiser, 100 partner organisations and
three programmes of 1,000 eligible applications, each with a jury of 100 submitted partner
ballots:

* ``majority_judgment``: 1,000 × 100 = 100,000 grades (about 1 % of the pairs recused);
* ``favourites``: 10 picks per ballot (1,000 picks);
* ``grid``: 4 weighted criteria, 400,000 scores.

Then times ``compute_tally(jury)`` — the whole database read (jury.loading) and the
counting (jury.tally) — over ``--repeat`` runs and keeps the median, beside the floor: a
raw cursor ``fetchall()`` of the same vote rows (what any tally must at least read).
``ratio`` is floor / ours, so that higher is better (1.0 would be "as fast as reading the
rows"). Target: the majority-judgment tally, database read included, under 1 s.

Each database runs in its own process (Django is set up once per process); the last line
printed is the result as one JSON object, the same shape as bench/pages.py. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

BENCHMARK = "jury"
TARGET_MJ_SECONDS = 1.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tremplin_bench"
NOTE = "time in seconds, median of the runs; ratio = floor / ours (higher is better)"


# --- one database, in a child process ------------------------------------------------------


def load_data(applications: int, ballots: int, picks: int, criteria: int, seed: int) -> dict:
    """Three programmes (one per method) sharing 1,000 makers and 100 partners."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
    from tremplin.calls.models import Application, Programme
    from tremplin.core.models import Organiser, Partner, User
    from tremplin.jury.enums import BallotState, JuryMethod
    from tremplin.jury.models import Ballot, Criterion, Grade, Jury, Pick, Recusal, Score

    rnd = random.Random(seed)
    now = timezone.now()
    organiser = Organiser.objects.create(name="Métropole du banc d'essai", slug="banc")
    partners = Partner.objects.bulk_create(
        Partner(organiser=organiser, name=f"Partenaire {i:03d}", slug=f"partenaire-{i:03d}")
        for i in range(ballots)
    )
    makers = User.objects.bulk_create(
        User(email=f"maker{i}@bench.example", full_name=f"Maker {i}", password="!")
        for i in range(applications)
    )
    quality = [rnd.gauss(3.0, 1.3) for _ in range(applications)]  # the same projects
    juries = {}
    for method in (JuryMethod.MAJORITY_JUDGMENT, JuryMethod.FAVOURITES, JuryMethod.GRID):
        programme = Programme.objects.create(
            organiser=organiser,
            name=f"Banc {method}",
            slug=f"banc-{method}".replace("_", "-"),
            state=ProgrammeState.DELIBERATION,
            call_opens_at=now - timedelta(days=90),
            call_closes_at=now - timedelta(days=60),
        )
        apps = Application.objects.bulk_create(
            (
                Application(
                    programme=programme,
                    maker=maker,
                    state=ApplicationState.SUBMITTED,
                    eligibility=Eligibility.ELIGIBLE,
                    title=f"Projet {i + 1}",
                    submitted_at=now - timedelta(days=61, minutes=i),
                )
                for i, maker in enumerate(makers)
            ),
            batch_size=1000,
        )
        jury = Jury.objects.create(
            programme=programme,
            method=method,
            max_picks=picks,
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
            quorum=ballots // 2,
        )
        jury.partners.set(partners)
        rows = Ballot.objects.bulk_create(
            Ballot(
                jury=jury,
                partner=partner,
                state=BallotState.SUBMITTED,
                submitted_at=now - timedelta(days=2),
            )
            for partner in partners
        )
        recused = {(b.pk, a.pk) for b in rows for a in apps if rnd.random() < 0.01}
        Recusal.objects.bulk_create(
            (Recusal(ballot_id=b, application_id=a) for b, a in sorted(recused)),
            batch_size=5000,
        )
        if method == JuryMethod.MAJORITY_JUDGMENT:
            Grade.objects.bulk_create(
                (
                    Grade(
                        ballot=ballot,
                        application=app,
                        value=min(6, max(0, round(rnd.gauss(quality[i], 1.2)))),
                    )
                    for ballot in rows
                    for i, app in enumerate(apps)
                    if (ballot.pk, app.pk) not in recused
                ),
                batch_size=5000,
            )
        elif method == JuryMethod.FAVOURITES:
            weights = [max(0.05, 7 - q) for q in quality]
            chosen = []
            for ballot in rows:
                picked: set[int] = set()
                while len(picked) < picks:
                    i = rnd.choices(range(applications), weights)[0]
                    if (ballot.pk, apps[i].pk) not in recused:
                        picked.add(i)
                chosen.extend(Pick(ballot=ballot, application=apps[i]) for i in sorted(picked))
            Pick.objects.bulk_create(chosen, batch_size=5000)
        else:
            grid = Criterion.objects.bulk_create(
                Criterion(
                    jury=jury,
                    label_fr=f"Critère {c + 1}",
                    weight=Decimal(c % 3 + 1),
                    position=c,
                )
                for c in range(criteria)
            )
            Score.objects.bulk_create(
                (
                    Score(
                        ballot=ballot,
                        application=app,
                        criterion=criterion,
                        value=min(10, max(0, round(rnd.gauss(10 - quality[i] * 1.4, 1.5)))),
                    )
                    for ballot in rows
                    for i, app in enumerate(apps)
                    if (ballot.pk, app.pk) not in recused
                    for criterion in grid
                ),
                batch_size=5000,
            )
        juries[str(method)] = jury.pk
    return juries


FLOOR_SQL = {
    "majority_judgment": (
        "SELECT v.ballot_id, v.application_id, v.value FROM jury_grade v "
        "JOIN jury_ballot b ON b.id = v.ballot_id WHERE b.jury_id = %s AND b.state = %s"
    ),
    "favourites": (
        "SELECT v.ballot_id, v.application_id FROM jury_pick v "
        "JOIN jury_ballot b ON b.id = v.ballot_id WHERE b.jury_id = %s AND b.state = %s"
    ),
    "grid": (
        "SELECT v.ballot_id, v.application_id, v.criterion_id, v.value FROM jury_score v "
        "JOIN jury_ballot b ON b.id = v.ballot_id WHERE b.jury_id = %s AND b.state = %s"
    ),
}


def time_runs(func, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def measure_database(label: str, juries: dict, repeat: int) -> list[dict]:
    from django.db import connection, reset_queries

    from tremplin.jury.loading import load_tally_input
    from tremplin.jury.models import Jury
    from tremplin.jury.tally import compute_tally, tally
    from tremplin.jury.tally_json import tally_to_json

    results = []
    for method, jury_pk in juries.items():
        jury = Jury.objects.select_related("programme").get(pk=jury_pk)

        def floor(jury_pk=jury_pk, method=method):
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL[method], [jury_pk, "submitted"])
                return cursor.fetchall()

        compute_tally(jury)  # warm up (imports, caches, the database's page cache)
        floor()
        ours, result = time_runs(lambda jury=jury: compute_tally(jury), repeat)
        floor_s, rows = time_runs(floor, repeat)
        load_s, data = time_runs(lambda jury=jury: load_tally_input(jury), repeat)
        count_s, _ = time_runs(lambda data=data: tally(data), repeat)
        json_s, _ = time_runs(lambda result=result: tally_to_json(result), repeat)
        reset_queries()
        row = {
            "name": f"{method}_{label}",
            "unit": "s",
            "ours": round(ours, 6),
            "floor": round(floor_s, 6),
            "ratio": round(floor_s / ours, 3),
            "note": NOTE,
            "rows": len(rows),
            "applications": len(result.results),
            "ballots": result.ballot_count,
            "load_s": round(load_s, 4),
            "count_s": round(count_s, 4),
            "json_s": round(json_s, 4),
            "repeat": repeat,
        }
        if method == "majority_judgment":
            row["target_s"] = TARGET_MJ_SECONDS
            row["target_met"] = ours < TARGET_MJ_SECONDS
        print(
            f"{row['name']:<28} ours {ours:7.3f} s (load {load_s:.3f} + count {count_s:.3f})"
            f"  floor {floor_s:7.3f} s  ratio {row['ratio']:.3f}  {len(rows)} rows",
            flush=True,
        )
        results.append(row)
    return results


def child(args: argparse.Namespace) -> int:
    """Run one database: set up, migrate with ``tremplin migrate``, load, measure."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"tremplin-bench-jury-{args.child}-"))
    (var_dir / "static").mkdir()
    harness.database_environment(args.child, var_dir, args.postgres_url)
    try:
        if args.child == "postgres":
            harness.recreate_postgres(args.postgres_url)
        subprocess.run([sys.executable, "-m", "tremplin", "migrate", "-v", "0"], check=True)
        import django

        django.setup()
        started = time.perf_counter()
        juries = load_data(args.applications, args.ballots, args.picks, args.criteria, 2019)
        print(f"{args.child}: data loaded in {time.perf_counter() - started:.1f} s", flush=True)
        results = measure_database(args.child, juries, args.repeat)
    finally:
        harness.end_child(args.child, args.postgres_url, var_dir)
    print(json.dumps(results))
    return 0


# --- the parent ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--ballots", type=int, default=100)
    parser.add_argument("--picks", type=int, default=10)
    parser.add_argument("--criteria", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    options = harness.forwarded(
        args, ("postgres_url", "applications", "ballots", "picks", "criteria", "repeat")
    )
    results, failures = harness.run_per_database(__file__, args.databases.split(","), options)
    for row in results:
        if "target_s" in row:
            met = "met" if row["target_met"] else "NOT MET"
            print(f"Target: {row['name']} {row['ours']:.3f} s < {row['target_s']} s: {met}")
    return harness.finish(BENCHMARK, results, failures)


if __name__ == "__main__":
    sys.exit(main())
