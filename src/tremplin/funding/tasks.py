"""Background work of funding: expiring the checkouts left unpaid.

A checkout holds its reward for 30 minutes (``Contribution.expires_at``). ``expire_checkouts``
cancels the PENDING contributions past that time and gives their reward back to the stock,
each claimed once with a conditional UPDATE. django-tasks has no periodic scheduler:
``tremplin expire-checkouts`` runs it from cron (see README, "Scheduled jobs")."""

from __future__ import annotations

from django_tasks import task

from tremplin.funding.expiry import expire_pending_checkouts


@task()
def expire_checkouts() -> int:
    return expire_pending_checkouts()
