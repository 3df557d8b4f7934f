"""The daily digest: one e-mail per recipient and day, in the recipient's language, with
yesterday's change of each campaign they follow, the open alerts and what ends soon.

Who gets it (``digest_recipients``), for the programmes with a live campaign or one that
closed yesterday:

- the organiser's team (every role): all the campaigns of the organiser's programmes, and
  their alerts; on unless they turn it off;
- coaches: the campaigns they coach, and their alerts; on unless they turn it off;
- members of a partner organisation of the programme: its campaigns (no alerts: those are
  the team's working notes); off unless they opt in.

``send_daily_digests`` (the periodic command ``tremplin tracking-digest``, once a day) builds
each digest, then claims the recipient's ``DigestDelivery`` row for the day with a
conditional UPDATE of ``sent_at`` in the transaction that queues the e-mail: two workers
running it at once send each digest once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import OrganiserMembership, PartnerMembership, User
from tremplin.core.money import from_cents
from tremplin.tracking import actions
from tremplin.tracking.models import Alert, DigestDelivery, DigestPreference
from tremplin.tracking.series import series_for

ENDING_SOON = timedelta(days=7)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a Paris day, as aware datetimes."""
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)


# --- preferences ---------------------------------------------------------------------------------


def is_team_or_coach(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_coach or OrganiserMembership.objects.filter(user=user).exists())
    )


def may_receive(user) -> bool:
    """Whether the digest is for this person at all (team, coach or partner member)."""
    return bool(
        user.is_authenticated
        and (is_team_or_coach(user) or PartnerMembership.objects.filter(user=user).exists())
    )


def wants_digest(user) -> bool:
    preference = DigestPreference.objects.filter(user=user).first()
    if preference is not None:
        return preference.enabled
    return is_team_or_coach(user)


def set_digest_preference(user, enabled: bool) -> DigestPreference:
    """Turn the daily digest on or off for ``user`` (logged when it changes)."""
    with transaction.atomic():
        before = wants_digest(user)
        preference, _created = DigestPreference.objects.select_for_update().get_or_create(
            user=user, defaults={"enabled": enabled}
        )
        if preference.enabled != enabled:
            preference.enabled = enabled
            preference.save(update_fields=["enabled", "updated_at"])
        if before != enabled:
            log_action(
                actions.DIGEST_PREFERENCE_CHANGED, obj=user, user=user, data={"enabled": enabled}
            )
    return preference


# --- what a digest says ------------------------------------------------------------------------


@dataclass
class Reader:
    """A recipient and what they follow: campaign pks, and those whose alerts they see."""

    user: User
    team_or_coach: bool = False
    campaigns: set[int] = field(default_factory=set)
    with_alerts: set[int] = field(default_factory=set)
    managed: set[int] = field(default_factory=set)  # programme pks of their organiser


def followed_campaigns(now: datetime) -> list[Campaign]:
    """Live campaigns, and those closed yesterday (Paris)."""
    yesterday = timezone.localdate(now, PARIS) - timedelta(days=1)
    start, end = day_bounds(yesterday)
    return list(
        Campaign.objects.filter(
            Q(state=CampaignState.LIVE) | Q(closed_at__gte=start, closed_at__lt=end)
        )
        .select_related("programme__organiser")
        .order_by("programme__name", "ends_at", "title")
    )


def digest_recipients(campaigns: list[Campaign]) -> dict[int, Reader]:
    readers: dict[int, Reader] = {}

    def reader(user) -> Reader:
        return readers.setdefault(user.pk, Reader(user))

    by_organiser: dict[int, list[Campaign]] = defaultdict(list)
    by_programme: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in campaigns:
        by_organiser[campaign.programme.organiser_id].append(campaign)
        by_programme[campaign.programme_id].append(campaign)
    team = OrganiserMembership.objects.filter(
        organiser_id__in=list(by_organiser), user__is_active=True
    ).select_related("user")
    for membership in team:
        entry = reader(membership.user)
        entry.team_or_coach = True
        for campaign in by_organiser[membership.organiser_id]:
            entry.campaigns.add(campaign.pk)
            entry.with_alerts.add(campaign.pk)
            entry.managed.add(campaign.programme_id)
    coaches = User.objects.filter(
        pk__in={c.coach_id for c in campaigns if c.coach_id}, is_active=True, is_coach=True
    )
    coach_by_pk = {u.pk: u for u in coaches}
    for campaign in campaigns:
        coach = coach_by_pk.get(campaign.coach_id)
        if coach is not None:
            entry = reader(coach)
            entry.team_or_coach = True
            entry.campaigns.add(campaign.pk)
            entry.with_alerts.add(campaign.pk)
    partners = (
        PartnerMembership.objects.filter(
            partner__programmes__in=list(by_programme), user__is_active=True
        )
        .select_related("user")
        .values_list("user", "partner__programmes")
    )
    partner_users = User.objects.in_bulk({user_id for user_id, _p in partners})
    for user_id, programme_id in partners:
        if programme_id in by_programme and user_id in partner_users:
            entry = reader(partner_users[user_id])
            entry.campaigns.update(c.pk for c in by_programme[programme_id])
    preferences = dict(
        DigestPreference.objects.filter(user_id__in=list(readers)).values_list("user", "enabled")
    )
    return {
        pk: entry
        for pk, entry in readers.items()
        if entry.campaigns and preferences.get(pk, entry.team_or_coach)
    }


def yesterday_changes(
    campaign_ids: list[int], day: date, now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """(net change in cents, new contributions) of each campaign during ``day`` (Paris),
    from its daily series: the contributions confirmed that day, less those refunded that
    day."""
    out: dict[int, tuple[int, int]] = {}
    for pk, rows in series_for(campaign_ids, now=now).items():
        for row in rows:
            if row.day == day:
                out[pk] = (row.new_cents - row.refunded_cents, row.new_contributions)
    return out


def _campaign_line(campaign: Campaign, change: tuple[int, int], now: datetime) -> dict:
    goal = campaign.goal or 1
    left = (campaign.ends_at - now) if campaign.ends_at else None
    return {
        "title": campaign.title,
        "path": campaign.get_absolute_url(),
        "raised": str(campaign.raised_amount),
        "goal": str(campaign.goal),
        "percent": int(campaign.raised_amount * 100 / goal),
        "change": str(from_cents(change[0])),
        "new": change[1],
        "live": campaign.state == CampaignState.LIVE,
        "days_left": max(left.days, 0) if left is not None else None,
        "ends_at": campaign.ends_at.isoformat() if campaign.ends_at else "",
    }


def build_digests(now: datetime | None = None) -> dict[int, tuple[User, dict]]:
    """Each recipient's digest for today (about yesterday), as the e-mail's context."""
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    campaigns = followed_campaigns(now)
    readers = digest_recipients(campaigns)
    if not readers:
        return {}
    changes = yesterday_changes([c.pk for c in campaigns], today - timedelta(days=1), now)
    lines = {c.pk: _campaign_line(c, changes.get(c.pk, (0, 0)), now) for c in campaigns}
    alerts: dict[int, list[dict]] = defaultdict(list)
    for alert in Alert.objects.filter(
        campaign_id__in=list(lines), resolved_at__isnull=True
    ).order_by("opened_at", "pk"):
        alerts[alert.campaign_id].append(
            {
                "campaign": lines[alert.campaign_id]["title"],
                "rule": alert.rule,
                "acknowledged": alert.acknowledged_at is not None,
            }
        )
    programmes: dict[int, Programme] = {c.programme_id: c.programme for c in campaigns}
    digests = {}
    for pk, reader in readers.items():
        sections = []
        for programme_id, programme in programmes.items():
            mine = [
                c for c in campaigns if c.programme_id == programme_id and c.pk in reader.campaigns
            ]
            if not mine:
                continue
            path = ""
            if programme_id in reader.managed:
                path = reverse(
                    "tracking_manage:alerts", args=[programme.organiser.slug, programme.slug]
                )
            elif reader.with_alerts & {c.pk for c in mine}:
                path = reverse("tracking:coach_alerts")
            sections.append(
                {
                    "name": programme.name,
                    "path": path,
                    "campaigns": [lines[c.pk] for c in mine],
                    "alerts": [a for c in mine if c.pk in reader.with_alerts for a in alerts[c.pk]],
                    "ending": [
                        lines[c.pk]
                        for c in mine
                        if c.state == CampaignState.LIVE
                        and c.ends_at is not None
                        and c.ends_at - now <= ENDING_SOON
                    ],
                }
            )
        if sections:
            context = {
                "name": reader.user.get_short_name(),
                "day": (today - timedelta(days=1)).isoformat(),
                "programmes": sections,
                "preferences_path": reverse("tracking:digest"),
            }
            digests[pk] = (reader.user, context)
    return digests


# --- sending, once ----------------------------------------------------------------------------


def _claim_delivery(delivery_id: int, now: datetime) -> bool:
    """Claim today's digest of a recipient: True for exactly one caller."""
    claimed = DigestDelivery.objects.filter(pk=delivery_id, sent_at__isnull=True)
    return claimed.update(sent_at=now) == 1


def deliver_digest(user: User, day: date, context: dict, now: datetime | None = None) -> bool:
    """Send ``user`` their digest of ``day`` unless it was sent: True when this call sent it."""
    now = now or timezone.now()
    delivery, _created = DigestDelivery.objects.get_or_create(user=user, day=day)
    if delivery.sent_at is not None:
        return False
    with transaction.atomic():
        if not _claim_delivery(delivery.pk, now):
            return False
        send_mail_on_commit("tracking/email/digest", user.email, context, language=user.language)
    return True


def send_daily_digests(now: datetime | None = None) -> dict[str, int]:
    """Today's digests, each sent once whatever the number of runs and workers."""
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    digests = build_digests(now)
    sent = sum(deliver_digest(user, today, context, now) for user, context in digests.values())
    return {"recipients": len(digests), "sent": sent}
