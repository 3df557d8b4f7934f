"""Benchmark of the hot pages of the call for projects, beside the floor of this machine.

    uv run python bench/pages.py          # about a minute; wrk is used when installed

Starts Tremplin under gunicorn exactly as ``tremplin serve`` does (two worker processes
per CPU × 2 threads by default) on a temporary SQLite database (WAL), loads a programme
with 1,000 submitted applications and an organiser account, and measures under 32
concurrent keep-alive connections, about 10 s each:

* ``programme_page``: the public programme page ``/p/<slug>/``, against the floor: a bare
  Django view returning a small page (bench/floor_app.py, same gunicorn configuration);
* ``organiser_applications_list``: the organiser's list of the 1,000 applications (first
  page, logged in), against the floor: a bare view doing the same database read by hand.

Targets: programme page ratio >= 0.5; organiser list p99 < 150 ms. The last line printed is
the result as one JSON object. Install wrk for figures that do not depend on Python's speed
as a client (``apt-get install -y wrk``). Not run in CI.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import timedelta
from decimal import Decimal

import harness

BENCHMARK = "pages"
TARGET_PROGRAMME_RATIO = 0.5
TARGET_LIST_P99_MS = 150.0


def load_data(applications: int) -> dict:
    """One organiser with its manager, nine partners, and a programme whose call is open
    with ``applications`` submitted applications (and their answers), created in bulk."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
    from tremplin.calls.models import Answer, Application, Programme, Question
    from tremplin.core.models import (
        Organiser,
        OrganiserMembership,
        OrganiserRole,
        Partner,
        User,
    )
    from tremplin.demo import data

    now = timezone.now()
    organiser = Organiser.objects.create(**data.MEL)
    manager = User.objects.create_user("manager@bench.example", full_name="Claire Dumont")
    OrganiserMembership.objects.create(organiser=organiser, user=manager, role=OrganiserRole.ADMIN)
    partners = Partner.objects.bulk_create(
        Partner(organiser=organiser, name=p.name, slug=p.slug, description=p.description)
        for p in data.MEL_PARTNERS
    )
    programme = Programme.objects.create(
        organiser=organiser,
        state=ProgrammeState.CALL_OPEN,
        description=data.MEL_DESCRIPTION,
        communes="\n".join(data.MEL_COMMUNES),
        categories="\n".join(data.MEL_CATEGORIES),
        call_opens_at=now - timedelta(days=14),
        call_closes_at=now + timedelta(days=45),
        jury_starts_at=now + timedelta(days=60),
        jury_ends_at=now + timedelta(days=80),
        results_at=now + timedelta(days=95),
        campaigns_start_at=now + timedelta(days=130),
        campaigns_end_at=now + timedelta(days=170),
        **data.PROGRAMME_2020,
    )
    programme.partners.set(partners)
    questions = Question.objects.bulk_create(
        Question(programme=programme, position=i, **q._asdict())
        for i, q in enumerate(data.QUESTIONS_2020, start=1)
    )
    makers = User.objects.bulk_create(
        User(email=f"maker{i}@bench.example", full_name=f"Maker {i}", password="!")
        for i in range(applications)
    )
    projects = data.PROJECTS_2019
    rows = Application.objects.bulk_create(
        (
            Application(
                programme=programme,
                maker=maker,
                state=ApplicationState.SUBMITTED,
                eligibility=(Eligibility.PENDING, Eligibility.ELIGIBLE, Eligibility.INELIGIBLE)[
                    i % 3
                ],
                eligibility_reason="Dossier incomplet." if i % 3 == 2 else "",
                title=f"{projects[i % len(projects)].title} ({i + 1})"[:120],
                summary=projects[i % len(projects)].summary,
                description=projects[i % len(projects)].description,
                category=projects[i % len(projects)].category,
                commune=projects[i % len(projects)].commune,
                maker_profile=projects[i % len(projects)].profile,
                maker_name=projects[i % len(projects)].maker.full_name,
                funding_goal=Decimal(projects[i % len(projects)].goal),
                budget=Decimal(projects[i % len(projects)].budget),
                submitted_at=now - timedelta(minutes=17 * i),
            )
            for i, maker in enumerate(makers)
        ),
        batch_size=500,
    )
    by_kind = {q.kind: q for q in questions}
    Answer.objects.bulk_create(
        (
            answer
            for i, application in enumerate(rows)
            for answer in (
                Answer(
                    application=application,
                    question=by_kind["long_text"],
                    value=projects[i % len(projects)].impact,
                ),
                Answer(application=application, question=by_kind["number"], value=1 + i % 4),
                Answer(application=application, question=by_kind["yes_no"], value=i % 2 == 0),
            )
        ),
        batch_size=1000,
    )
    client = Client()
    client.force_login(manager)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "programme_id": programme.pk,
        "programme_path": reverse("calls:programme", args=[programme.slug]),
        "list_path": reverse("manage:applications", args=[organiser.slug, programme.slug]),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "sample_title": rows[0].title,
        "programme_name": programme.name,
    }


def check(url: str, expected: str, cookie: str = "") -> None:
    status, body = harness.fetch(url, cookie)
    if status != 200 or expected not in body:
        raise SystemExit(f"{url} answered {status} without {expected!r}: is the page ready?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each measure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: as tremplin serve)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per worker (default: as tremplin serve)"
    )
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()

    var_dir = harness.setup_django(BENCHMARK)
    servers: list[harness.Server] = []
    try:
        print(f"Loading {args.applications} applications into {var_dir}…", flush=True)
        setup = load_data(args.applications)
        ours = harness.start_gunicorn(
            "tremplin", "tremplin.wsgi:application", workers=args.workers, threads=args.threads
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

        cases = [
            (
                "programme_page",
                ours.base_url + setup["programme_path"],
                floor.base_url + "/",
                "",
                setup["programme_name"],
            ),
            (
                "organiser_applications_list",
                ours.base_url + setup["list_path"],
                f"{floor.base_url}/applications/{setup['programme_id']}/",
                setup["cookie"],
                setup["sample_title"],
            ),
        ]
        results, failures = [], []
        for name, our_url, floor_url, cookie, expected in cases:
            check(our_url, expected, cookie)
            check(floor_url, "<")
            measured = {}
            for side, url in (("ours", our_url), ("floor", floor_url)):
                if args.warmup > 0:
                    harness.measure(
                        url,
                        duration=args.warmup,
                        connections=args.connections,
                        cookie=cookie,
                        tool=args.tool,
                    )
                load = harness.measure(
                    url,
                    duration=args.duration,
                    connections=args.connections,
                    cookie=cookie,
                    tool=args.tool,
                )
                measured[side] = load
                print(
                    f"{name:<28} {side:<5} {load.requests_per_second:9.1f} req/s  "
                    f"p99 {load.p99_ms:7.1f} ms  {load.requests} requests, "
                    f"{load.errors} errors ({load.tool})",
                    flush=True,
                )
                if load.errors:
                    failures.append(f"{name} ({side}): {load.errors} failed requests")
            results.append(harness.result_row(name, measured["ours"], measured["floor"]))

        programme, listing = results
        met = programme["ratio"] >= TARGET_PROGRAMME_RATIO
        print(
            f"Target: programme page ratio {programme['ratio']:.2f} >= "
            f"{TARGET_PROGRAMME_RATIO}: {'met' if met else 'NOT MET'}"
        )
        met = listing["p99_ms"] < TARGET_LIST_P99_MS
        print(
            f"Target: organiser list p99 {listing['p99_ms']:.1f} ms < "
            f"{TARGET_LIST_P99_MS:.0f} ms: {'met' if met else 'NOT MET'}"
        )
        for failure in failures:
            print(f"Error: {failure}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
    harness.print_result_line(BENCHMARK, results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
