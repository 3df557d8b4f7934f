"""`tremplin expire-checkouts`: cancel the checkouts left unpaid for more than 30 minutes
and give their reward back to the stock. Run it from cron, e.g. every five minutes:

    */5 * * * *  cd /srv/tremplin && tremplin expire-checkouts

Each checkout is claimed once in the database, so running it more often, or on several
machines, never releases a reward twice.
"""

from __future__ import annotations

from tremplin.core.management.scheduled import ScheduledTaskCommand
from tremplin.funding.tasks import expire_checkouts


class Command(ScheduledTaskCommand):
    help = (
        "Cancel the checkouts left unpaid past their 30 minutes and release their reward "
        "holds. Safe to run often (e.g. every five minutes from cron)."
    )
    task = expire_checkouts
    task_name = "checkout expiry task"

    def summary(self, result) -> str:
        return f"{result} expired checkout(s) cancelled."
