"""`tremplin coaching-reminders`: the day-before reminders of workshops and meetings, and
the daily digests of the coaching threads. Run it from cron, e.g. every 15 minutes:

    */15 * * * *  cd /srv/tremplin && tremplin coaching-reminders

Each reminder and digest is claimed with a conditional UPDATE: never sent twice.
"""

from __future__ import annotations

from tremplin.coaching.tasks import coaching_reminders
from tremplin.core.management.scheduled import ScheduledTaskCommand


class Command(ScheduledTaskCommand):
    help = "Send the workshop and meeting reminders due and the daily thread digests."
    task = coaching_reminders
    task_name = "coaching reminders task"

    def summary(self, result) -> str:
        return ", ".join(f"{key}: {value}" for key, value in result.items()) + "."
