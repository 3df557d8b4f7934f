"""`tremplin tracking-digest`: send today's daily digest to every recipient (the
organiser's team, the coaches, the partner members who opted in), once. Run it from cron
once a day, in the morning:

    30 7 * * *  cd /srv/tremplin && tremplin tracking-digest

Each digest is claimed with a conditional UPDATE: a second run, or two workers, send
nothing more.
"""

from __future__ import annotations

from tremplin.core.management.scheduled import ScheduledTaskCommand
from tremplin.tracking.tasks import send_daily_digests_task


class Command(ScheduledTaskCommand):
    help = "Send today's daily digest of the campaigns to each recipient, once."
    task = send_daily_digests_task
    task_name = "daily digest task"

    def summary(self, result) -> str:
        return f"{result['sent']} digest(s) sent of {result['recipients']} recipient(s)."
