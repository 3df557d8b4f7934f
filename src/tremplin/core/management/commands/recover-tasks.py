"""`tremplin recover-tasks`: queue again the background tasks whose worker died.

A task still RUNNING ``TASK_RUNNING_TIMEOUT`` seconds (15 minutes by default) after a worker
took it is held for dead: it goes back to the queue, or is marked FAILED once it has been
tried ``TASK_MAX_ATTEMPTS`` times (core/task_recovery.py). ``tremplin worker`` already does
this every minute; run this from cron as well, so stuck tasks are found even while no
worker runs, e.g. every 5 minutes:

    */5 * * * *  cd /srv/tremplin && tremplin recover-tasks

Each task is released with a conditional UPDATE: overlapping runs never release one twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tremplin.core.task_recovery import recover_stuck_tasks


class Command(BaseCommand):
    help = (
        "Queue again the background tasks left RUNNING by a worker that died (longer than "
        "TASK_RUNNING_TIMEOUT), or mark them FAILED after TASK_MAX_ATTEMPTS attempts."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Recovery of stuck tasks: {recover_stuck_tasks()}.")
