"""`tremplin sandbox-deliver`: send the sandbox's webhooks that are due (the ones whose
task was lost, or all of them with SANDBOX_WEBHOOK_DELIVERY=poll). ``--loop`` keeps going
(every ``--interval`` seconds) until ``--duration`` is over or Ctrl-C; ``--threads`` sends
several at once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from tremplin.sandbox import delivery


def _deliver(pk: int) -> bool:
    try:
        return bool(delivery.deliver(pk))
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = "Deliver the sandbox payment service's webhooks that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep delivering.")
        parser.add_argument("--interval", type=float, default=0.05)
        parser.add_argument("--duration", type=float, default=0.0, help="Stop after N s.")
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument(
            "--shard",
            default="",
            metavar="I/N",
            help="Only the webhooks whose id is I modulo N (for N senders side by side).",
        )

    def handle(self, *args, **options) -> None:
        deadline = time.monotonic() + options["duration"] if options["duration"] else None
        delivered = 0
        threads = max(1, options["threads"])
        shard = None
        if options["shard"]:
            index, _, count = options["shard"].partition("/")
            shard = (int(index), int(count))
        with ThreadPoolExecutor(max_workers=threads) as pool:
            send = pool.map if threads > 1 else map  # one thread: in this one
            try:
                while True:
                    ids = delivery.due_ids(limit=500, shard=shard)
                    delivered += sum(send(_deliver if threads > 1 else delivery.deliver, ids))
                    if not options["loop"] or (deadline and time.monotonic() > deadline):
                        break
                    if not ids:
                        time.sleep(options["interval"])
            except KeyboardInterrupt:
                pass
        self.stdout.write(f"{delivered} webhook(s) delivered.")
