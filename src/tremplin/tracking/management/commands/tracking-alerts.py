"""`tremplin tracking-alerts`: evaluate the alert rules of every live campaign — raise,
keep, resolve — and e-mail each open, unacknowledged alert to the campaign's coach and the
organiser's managers, at most once a day. Run it from cron, e.g. every hour:

    0 * * * *  cd /srv/tremplin && tremplin tracking-alerts

Idempotent: a second run changes nothing; two at once never raise or e-mail twice.
"""

from __future__ import annotations

from tremplin.core.management.scheduled import ScheduledTaskCommand
from tremplin.tracking.tasks import evaluate_alerts_task


class Command(ScheduledTaskCommand):
    help = (
        "Evaluate the alerts of the live campaigns (below pace, no contribution for days, "
        "last hours below goal) and e-mail the new ones. Safe to run often."
    )
    task = evaluate_alerts_task
    task_name = "tracking alerts task"

    def summary(self, result) -> str:
        return (
            f"{result['campaigns']} live campaign(s) checked: {result['raised']} alert(s) "
            f"raised, {result['resolved']} resolved, {result['emailed']} e-mail(s) queued."
        )
