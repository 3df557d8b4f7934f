"""Alerts on campaigns at risk, to their coach and the organiser.

Three rules, with thresholds from the programme's settings (``TrackingSettings``):

- **below pace**: the campaign has raised less than ``pace_percent`` % of what a campaign on
  course for exactly its goal has raised by now (the forecast's curve: ``pace_needed``),
  after its first day, while its goal is not reached;
- **quiet**: no contribution confirmed for ``quiet_days`` days (counted from the start
  when there is none), while its goal is not reached;
- **final hours**: ``final_hours`` hours or fewer left and the goal not reached.

``evaluate_alerts`` (the periodic command ``tremplin tracking-alerts``) opens an alert when
a rule starts to hold, keeps it open while it holds, resolves it when it no longer does
(or the campaign is over), and e-mails each open, unacknowledged alert to the campaign's
coach and the organiser's managers at most once a day (``emailed_on`` claimed by a
conditional UPDATE). It is idempotent: running it again changes nothing. An alert is
raised at most once per campaign, rule and day (a database constraint); one resolved and
holding again the same day is reopened."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.campaigns.clock import goal_reached
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import OrganiserMembership, OrganiserRole
from tremplin.core.money import from_cents, to_cents
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.tracking import actions
from tremplin.tracking.enums import AlertRule
from tremplin.tracking.errors import TrackingError
from tremplin.tracking.forecast import Curve, pace_needed
from tremplin.tracking.models import Alert, TrackingSettings

MAX_NOTE = 2000


def settings_for(programme: Programme) -> TrackingSettings:
    """The programme's alert settings (the defaults, unsaved, when it has none)."""
    found = TrackingSettings.objects.filter(programme=programme).first()
    return found or TrackingSettings(programme=programme)


def save_settings(instance: TrackingSettings, *, user, changed: Sequence[str]) -> TrackingSettings:
    """Save a programme's alert settings (from the validated form) and log what changed."""
    with transaction.atomic():
        instance.save()
        if changed:
            log_action(
                actions.ALERT_SETTINGS_CHANGED,
                obj=instance.programme,
                user=user,
                data={"changed": {name: str(getattr(instance, name)) for name in changed}},
            )
    return instance


# --- the rules ---------------------------------------------------------------------------------


def rules_holding(
    campaign: Campaign,
    settings: TrackingSettings,
    *,
    last_contribution: datetime | None,
    reached: bool,
    now: datetime,
    reference_curves: Sequence[Curve] | None = None,
) -> dict[str, dict]:
    """The rules that hold for a live campaign now, each with what it saw."""
    if reached or campaign.starts_at is None or campaign.ends_at is None:
        return {}
    holding: dict[str, dict] = {}
    raised = to_cents(campaign.raised_amount)
    goal = to_cents(campaign.goal)
    duration = (campaign.ends_at - campaign.starts_at).total_seconds()
    elapsed = (now - campaign.starts_at).total_seconds()
    if duration > 0 and elapsed >= 86400:
        needed = pace_needed(goal, elapsed / duration, reference_curves)
        if raised * 100 < needed * settings.pace_percent:
            holding[AlertRule.BELOW_PACE] = {
                "raised": str(from_cents(raised)),
                "needed": str(from_cents(needed)),
                "goal": str(campaign.goal),
            }
    quiet_since = max(last_contribution or campaign.starts_at, campaign.starts_at)
    if now - quiet_since >= timedelta(days=settings.quiet_days):
        holding[AlertRule.QUIET] = {
            "quiet_days": (now - quiet_since).days,
            "since": quiet_since.isoformat(),
        }
    left = campaign.ends_at - now
    if timedelta(0) < left <= timedelta(hours=settings.final_hours):
        holding[AlertRule.FINAL_HOURS] = {
            "hours_left": int(left.total_seconds() // 3600),
            "raised": str(campaign.raised_amount),
            "goal": str(campaign.goal),
        }
    return holding


# --- evaluation ----------------------------------------------------------------------------


def _raise(campaign: Campaign, rule: str, details: dict, now: datetime) -> bool:
    """Open the alert (or keep it open); True only when this call raised it."""
    today = timezone.localdate(now, PARIS)
    with transaction.atomic():
        current = (
            Alert.objects.select_for_update()
            .filter(campaign=campaign, rule=rule, resolved_at__isnull=True)
            .first()
        )
        if current is not None:
            Alert.objects.filter(pk=current.pk).update(checked_at=now, details=details)
            return False
        # Resolved earlier today and holding again: reopened, never a second alert a day.
        reopened = Alert.objects.filter(
            campaign=campaign, rule=rule, opened_on=today, resolved_at__isnull=False
        ).update(resolved_at=None, checked_at=now, details=details)
        if not reopened:
            try:
                with transaction.atomic():
                    Alert.objects.create(
                        campaign=campaign,
                        rule=rule,
                        opened_at=now,
                        opened_on=today,
                        checked_at=now,
                        details=details,
                    )
            except IntegrityError:  # another evaluation raised it at the same moment
                return False
        log_action(actions.ALERT_RAISED, obj=campaign, data={"rule": rule, **details})
    return True


def _resolve(alert: Alert, now: datetime) -> bool:
    with transaction.atomic():
        if not Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(resolved_at=now):
            return False
        log_action(actions.ALERT_RESOLVED, obj=alert.campaign, data={"rule": alert.rule})
    return True


def recipients(campaign: Campaign) -> list:
    """Who is told of a campaign's alerts: its coach and the organiser's managers."""
    people = {}
    if campaign.coach_id and campaign.coach.is_active:
        people[campaign.coach_id] = campaign.coach
    memberships = OrganiserMembership.objects.filter(
        organiser_id=campaign.programme.organiser_id,
        role__in=[OrganiserRole.ADMIN, OrganiserRole.MANAGER],
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        people.setdefault(membership.user_id, membership.user)
    return list(people.values())


def _claim_email(alert_id: int, today) -> bool:
    """Claim today's e-mail of an open, unacknowledged alert: True for exactly one caller."""
    claimed = (
        Alert.objects.filter(pk=alert_id, resolved_at__isnull=True, acknowledged_at__isnull=True)
        .filter(Q(emailed_on__isnull=True) | Q(emailed_on__lt=today))
        .update(emailed_on=today)
    )
    return claimed == 1


def _notify(alert: Alert, now: datetime) -> int:
    """E-mail an open, unacknowledged alert once today (claimed); the number of e-mails."""
    today = timezone.localdate(now, PARIS)
    with transaction.atomic():
        if not _claim_email(alert.pk, today):
            return 0
        campaign = alert.campaign
        programme = campaign.programme
        sent = 0
        for person in recipients(campaign):
            if person.pk == campaign.coach_id:
                path = reverse("tracking:coach_alerts")
            else:
                path = reverse(
                    "tracking_manage:alerts", args=[programme.organiser.slug, programme.slug]
                )
            send_mail_on_commit(
                "tracking/email/alert",
                person.email,
                {
                    "campaign": campaign.title,
                    "programme": programme.name,
                    "rule": alert.rule,
                    "details": alert.details,
                    "path": path,
                },
                language=person.language,
            )
            sent += 1
    return sent


def evaluate_alerts(
    now: datetime | None = None,
    *,
    notify: bool = True,
    programme: Programme | None = None,
    reference_curves: Sequence[Curve] | None = None,
) -> dict[str, int]:
    """Evaluate every live campaign's rules (of one programme, if given): raise, keep,
    resolve and e-mail its alerts. Safe to run often and in several workers at once."""
    now = now or timezone.now()
    campaigns = Campaign.objects.filter(
        state=CampaignState.LIVE, starts_at__lte=now, ends_at__gt=now
    ).select_related("programme__organiser", "programme__campaign_settings", "coach")
    open_alerts = Alert.objects.filter(resolved_at__isnull=True).select_related("campaign")
    if programme is not None:
        campaigns = campaigns.filter(programme=programme)
        open_alerts = open_alerts.filter(campaign__programme=programme)
    campaigns = list(campaigns)
    settings = {
        s.programme_id: s
        for s in TrackingSettings.objects.filter(
            programme_id__in={c.programme_id for c in campaigns}
        )
    }
    last = dict(
        Contribution.objects.filter(
            campaign__in=campaigns, state=ContributionState.CONFIRMED, confirmed_at__isnull=False
        )
        .values("campaign")
        .annotate(last=Max("confirmed_at"))
        .values_list("campaign", "last")
        .order_by()
    )
    opened: dict[int, dict[str, Alert]] = defaultdict(dict)
    for alert in open_alerts:
        opened[alert.campaign_id][alert.rule] = alert
    counts = {"campaigns": len(campaigns), "raised": 0, "resolved": 0, "emailed": 0}
    live_ids = set()
    for campaign in campaigns:
        live_ids.add(campaign.pk)
        rules = settings.get(campaign.programme_id) or TrackingSettings(programme_id=0)
        holding = rules_holding(
            campaign,
            rules,
            last_contribution=last.get(campaign.pk),
            reached=goal_reached(campaign),
            now=now,
            reference_curves=reference_curves,
        )
        for rule, details in holding.items():
            counts["raised"] += _raise(campaign, rule, details, now)
        for rule, alert in opened.get(campaign.pk, {}).items():
            if rule not in holding:
                counts["resolved"] += _resolve(alert, now)
    for campaign_id, alerts in opened.items():  # campaigns over (or no longer live)
        if campaign_id not in live_ids:
            for alert in alerts.values():
                counts["resolved"] += _resolve(alert, now)
    if notify:
        to_tell = Alert.objects.filter(
            campaign_id__in=live_ids, resolved_at__isnull=True, acknowledged_at__isnull=True
        ).select_related("campaign__programme__organiser", "campaign__coach")
        for alert in to_tell:
            rules = settings.get(alert.campaign.programme_id)
            if rules is None or rules.email_alerts:
                counts["emailed"] += _notify(alert, now)
    return counts


# --- acknowledgement ----------------------------------------------------------------------


def acknowledge_alert(alert_id: int, *, user, note: str = "") -> Alert:
    """Acknowledge an open alert with a note (it is no longer e-mailed). Refused when it is
    resolved or already acknowledged."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE or "\x00" in note:
        raise TrackingError(_("The note is too long or not valid text."), "note")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("campaign").get(pk=alert_id)
        if alert.resolved_at is not None:
            raise TrackingError(_("This alert is resolved already."), "resolved")
        if alert.acknowledged_at is not None:
            raise TrackingError(_("This alert was acknowledged already."), "acknowledged")
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.note = note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        log_action(
            actions.ALERT_ACKNOWLEDGED,
            obj=alert.campaign,
            user=user,
            data={
                "rule": alert.rule,
                "with_note": bool(note),
            },  # the note stays on the alert (erasable)
        )
    return alert


# --- reading ---------------------------------------------------------------------------------


def open_alerts_for(campaign_ids: Sequence[int]) -> dict[int, list[Alert]]:
    """The open alerts (acknowledged or not) of each campaign, by campaign pk: one query."""
    out: dict[int, list[Alert]] = defaultdict(list)
    alerts = (
        Alert.objects.filter(campaign_id__in=list(campaign_ids), resolved_at__isnull=True)
        .select_related("acknowledged_by")
        .order_by("opened_at", "pk")
    )
    for alert in alerts:
        out[alert.campaign_id].append(alert)
    return dict(out)


def detail_amount(alert: Alert, key: str) -> Decimal | None:
    value = (alert.details or {}).get(key)
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None
