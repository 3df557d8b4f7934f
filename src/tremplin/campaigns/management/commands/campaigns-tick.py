"""`tremplin campaigns-tick`: launch the scheduled campaigns whose start has come and close
the live ones past their deadline (succeeded, failed or closed; a failed all-or-nothing
campaign's contributions are refunded). Run it from cron, e.g. every minute:

    * * * * *  cd /srv/tremplin && tremplin campaigns-tick

Each campaign is claimed with a conditional UPDATE, so running it more often, or on several
machines, never launches or closes one twice.
"""

from __future__ import annotations

from tremplin.campaigns.tasks import campaigns_tick
from tremplin.core.management.scheduled import ScheduledTaskCommand


class Command(ScheduledTaskCommand):
    help = (
        "Launch the scheduled campaigns that are due and close the live campaigns past their "
        "deadline. Safe to run often (e.g. every minute from cron)."
    )
    task = campaigns_tick
    task_name = "campaigns tick task"

    def summary(self, result) -> str:
        return (
            f"{result['launched']} campaign(s) launched, {result['closed']} closed, "
            f"{result['programmes_closed']} programme(s) closed."
        )
