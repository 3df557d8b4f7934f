"""`tremplin coaching-tips`: send the timed tips due today to the makers of live campaigns
(each tip decided once per campaign, on its day). Run it from cron, e.g. every hour:

    0 * * * *  cd /srv/tremplin && tremplin coaching-tips

Each tip is claimed with a conditional UPDATE: overlapping runs never send one twice.
"""

from __future__ import annotations

from tremplin.coaching.tasks import coaching_tips
from tremplin.core.management.scheduled import ScheduledTaskCommand


class Command(ScheduledTaskCommand):
    help = "Send the timed tips due to the makers of live campaigns. Safe to run often."
    task = coaching_tips
    task_name = "coaching tips task"

    def summary(self, result) -> str:
        return f"{result['sent']} tip(s) sent, {result['skipped']} skipped (condition not met)."
