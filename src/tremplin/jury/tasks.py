"""Background work of the jury: reminders to the jurors who have not submitted.

``send_jury_reminders`` looks for juries whose voting closes within 3 days (then 1 day) and
e-mails every member whose ballot is not submitted. Each reminder is claimed once per jury
with a conditional UPDATE (``... SET reminder_3d_sent_at = now WHERE reminder_3d_sent_at IS
NULL AND closes_at <= now + 3 days``): running it twice, or in two workers at once, never
sends a reminder twice. django-tasks has no periodic scheduler: ``tremplin jury-reminders``
runs it, from cron (see README, "Scheduled jobs")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tremplin.calls.enums import ProgrammeState
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit
from tremplin.jury.enums import BallotScope, BallotState
from tremplin.jury.models import Ballot, Jury, JuryMember

REMINDERS: tuple[tuple[int, str], ...] = (
    (1, "reminder_1d_sent_at"),
    (3, "reminder_3d_sent_at"),
)


def _claim(jury_id: int, field: str, days: int, now: datetime) -> bool:
    """Set ``field`` to now if it is still empty and the jury closes within ``days`` days;
    True when this call won the claim."""
    return (
        Jury.objects.filter(
            pk=jury_id,
            closed_at__isnull=True,
            closes_at__gt=now,
            closes_at__lte=now + timedelta(days=days),
            **{f"{field}__isnull": True},
        ).update(**{field: now})
        == 1
    )


def recipients(jury: Jury) -> list[JuryMember]:
    """The members whose ballot is not submitted (partner scope: every member of a partner
    whose shared ballot is not submitted)."""
    members = JuryMember.objects.filter(jury=jury).select_related("user", "partner")
    submitted = Ballot.objects.filter(jury=jury, state=BallotState.SUBMITTED)
    if jury.ballot_scope == BallotScope.MEMBER:
        done = set(submitted.filter(member__isnull=False).values_list("member_id", flat=True))
        return [m for m in members.order_by("pk") if m.pk not in done]
    done = set(submitted.filter(member__isnull=True).values_list("partner_id", flat=True))
    return [m for m in members.order_by("pk") if m.partner_id not in done]


def _remind(jury_id: int, now: datetime) -> int:
    """Claim the reminder due for one jury and queue its e-mails; the number queued."""
    with transaction.atomic():
        days = 0
        if _claim(jury_id, "reminder_1d_sent_at", 1, now):
            days = 1
            # Past the 1-day mark the 3-day reminder is pointless: never send it after.
            _claim(jury_id, "reminder_3d_sent_at", 3, now)
        elif _claim(jury_id, "reminder_3d_sent_at", 3, now):
            days = 3
        if not days:
            return 0
        jury = Jury.objects.select_related("programme").get(pk=jury_id)
        programme = jury.programme
        ballot_path = reverse("jury:ballot", args=[programme.slug])
        people = recipients(jury)
        for member in people:
            send_mail_on_commit(
                "jury/email/reminder",
                member.user.email,
                {
                    "member_name": str(member.user),
                    "partner": member.partner.name,
                    "programme": programme.name,
                    "ballot_path": ballot_path,
                    "closes_at": jury.closes_at.isoformat(),
                    "days": days,
                    "shared": jury.ballot_scope == BallotScope.PARTNER,
                },
                language=member.user.language,
            )
        log_action(
            "tremplin.jury.reminder_sent", obj=jury, data={"days": days, "count": len(people)}
        )
        return len(people)


def remind_jurors(now: datetime | None = None) -> int:
    """Send the reminders due now; the number of e-mails queued."""
    now = now or timezone.now()
    due = (
        Jury.objects.filter(
            programme__state=ProgrammeState.JURY,
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + timedelta(days=3),
        )
        .exclude(reminder_1d_sent_at__isnull=False)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    return sum(_remind(jury_id, now) for jury_id in list(due))


@task()
def send_jury_reminders() -> int:
    return remind_jurors()
