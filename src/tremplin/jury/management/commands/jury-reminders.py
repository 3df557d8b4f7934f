"""`tremplin jury-reminders`: e-mail the jurors who have not submitted their ballot, 3 days
and 1 day before their jury closes. Run it from cron, e.g. every hour:

    0 * * * *  cd /srv/tremplin && tremplin jury-reminders

Each reminder is claimed once per jury in the database, so running it more often, or on
several machines, never sends one twice. The e-mails themselves are queued for the worker.
"""

from __future__ import annotations

from tremplin.core.management.scheduled import ScheduledTaskCommand
from tremplin.jury.tasks import send_jury_reminders


class Command(ScheduledTaskCommand):
    help = (
        "Send the jury reminders that are due (3 days and 1 day before a jury closes) to the "
        "members whose ballot is not submitted. Safe to run often (e.g. hourly from cron)."
    )
    task = send_jury_reminders
    task_name = "jury reminders task"

    def summary(self, result) -> str:
        return f"{result} jury reminder(s) queued for sending."
