"""Background work of campaigns: the clock (launch scheduled campaigns at their start,
close live ones at their deadline) and the e-mailing of news updates.

django-tasks has no periodic scheduler: ``tremplin campaigns-tick`` runs ``tick`` from cron
(see README, "Scheduled jobs"). Each campaign is claimed with a conditional UPDATE, so
running it often, or in several workers at once, never launches or closes one twice."""

from __future__ import annotations

from django_tasks import task

from tremplin.campaigns import clock, community


@task()
def campaigns_tick() -> dict[str, int]:
    return clock.tick()


@task()
def send_update_emails(update_id: int) -> int:
    """E-mail a news update to the contributors who opted in, once (``emailed_at`` claim)."""
    return community.email_update(update_id)
