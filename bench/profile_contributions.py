"""In-process timing of one contribution's requests, without HTTP, gunicorn or chaos: the
quick loop while optimising the checkout and the webhook.

    uv run python bench/profile_contributions.py                    # 300 contributions
    uv run python bench/profile_contributions.py --profile webhook  # cProfile of one step

Same throwaway SQLite database and data as bench/contributions.py (``load_data``). For
each step of a contribution prints the mean CPU time per request in ms and its SQL queries:
``checkout`` (POST the checkout form), ``pay`` (POST the sandbox card), ``webhook`` (the
sandbox's webhook for the payment, POSTed as its sender does), ``duplicate`` (the same
webhook again). ``SHOW_SQL=<step>`` prints the step's SQL. Not run in CI.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import time
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import harness
from contributions import CARD, load_data

STEPS = ("checkout", "pay", "webhook", "duplicate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", choices=STEPS, default=None)
    args = parser.parse_args()

    os.environ.update(SANDBOX_WEBHOOK_TRANSPORT="inprocess", SANDBOX_WEBHOOK_DELIVERY="poll")
    var_dir = harness.setup_django("contributions-profile")
    try:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from tremplin.sandbox import conf
        from tremplin.sandbox.models import SandboxWebhook
        from tremplin.sandbox.signing import sign

        settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
        settings.SANDBOX_WEBHOOK_DELIVERY = "poll"
        setup = load_data(200)
        client = Client()
        path = setup["contribute_path"]
        page = client.get(path).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        sender = Client()  # the sandbox's webhook sender, one connection

        def deliver(webhook):
            """What ``sandbox.delivery.deliver`` sends, without the claim bookkeeping."""
            signature = sign(webhook.body, conf.webhook_secret())
            return sender.post(
                urlsplit(webhook.charge.webhook_url).path,
                webhook.body,
                content_type="application/json",
                headers={conf.SIGNATURE_HEADER: signature},
            )

        cpu: dict[str, float] = defaultdict(float)
        queries: dict[str, int] = {}
        profiler = cProfile.Profile() if args.profile else None

        def step(name, fn):
            executed = []

            def count(execute, sql, params, many, context):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                if profiler and name == args.profile:
                    profiler.enable()
                started = time.process_time()
                result = fn()
                cpu[name] += time.process_time() - started
                if profiler and name == args.profile:
                    profiler.disable()
            queries[name] = len(executed)
            if os.environ.get("SHOW_SQL") == name:
                print("\n".join(q[:160] for q in executed))
            return result

        for n in range(args.repeat):
            form = {
                "csrfmiddlewaretoken": token,
                "amount": f"{10 + n % 90},50",
                "name": "Donateur",
                "email": "donateur@bench.example",
                "country": "FR",
                "key": uuid.uuid4().hex,
            }
            response = step("checkout", lambda form=form: client.post(path, form))
            assert response.status_code == 302, response.status_code
            pay_path = urlsplit(response["Location"]).path
            response = step(
                "pay", lambda p=pay_path: client.post(p, {"csrfmiddlewaretoken": token, **CARD})
            )
            assert response.status_code == 302, response.status_code
            webhook = (
                SandboxWebhook.objects.filter(delivered_at__isnull=True)
                .select_related("charge")
                .latest("pk")
            )
            SandboxWebhook.objects.filter(pk=webhook.pk).update(delivered_at=timezone.now())
            for name in ("webhook", "duplicate"):
                response = step(name, lambda w=webhook: deliver(w))
                assert response.status_code == 200, response.status_code
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
        for name in STEPS:
            print(
                f"{name:<10} {cpu[name] / args.repeat * 1000:7.2f} ms CPU per request, "
                f"{queries[name]} queries"
            )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
