"""The cockpit's rendered live part, kept in the shared cache under a key that changes with
anything it shows (issue #10's benchmark: the page was rebuilt for every request).

The key holds the cheap version of the data of the campaigns shown (read in few, indexed
queries): each campaign's own row (totals, state, dates, title, programme's name) and its
latest confirmation (one indexed probe per campaign, in the campaigns' query), the count and
latest time of the refunds, the series' cursors (a close, a rebuild), the open alerts (opened,
acknowledged, resolved); and what the page depends on beside the data: who looks (scope, the
user outside the organiser's scope), the address (sort, order, organiser, programme), the
language, the minute (the page says "Figures at HH:MM"; the forecast and the days left are
those of that minute). Any change of these shows at once; unchanged data costs the version's
queries and one cache read."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.tracking.models import Alert

CACHE_SECONDS = 120


def _per_campaign(queryset, **aggregates) -> dict:
    """One correlated subquery per aggregate over ``queryset``'s rows of each campaign."""
    rows = queryset.filter(campaign_id=OuterRef("pk")).order_by().values("campaign_id")
    return {
        name: Subquery(rows.annotate(value=aggregate).values("value")[:1])
        for name, aggregate in aggregates.items()
    }


VERSION_FIELDS = (
    "last_confirmed_at",
    "refund_count",
    "last_refund_at",
    "alert_count",
    "last_alert",
    "open_alerts",
    "acknowledged_alerts",
    "last_acknowledged_at",
    "last_resolved_at",
)


def with_version(campaigns):
    """``campaigns`` annotated with the version of their data (``VERSION_FIELDS``), in the
    same query: correlated subqueries served by the (campaign, confirmed_at) and
    (campaign, state) indexes of the contributions and the campaign index of the alerts."""
    latest = (
        Contribution.objects.filter(campaign_id=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by("-confirmed_at")
        .values("confirmed_at")[:1]
    )
    refunds = Contribution.objects.filter(state=ContributionState.REFUNDED)
    open_alert = Q(resolved_at__isnull=True)
    return campaigns.annotate(
        last_confirmed_at=Subquery(latest),
        **_per_campaign(refunds, refund_count=Count("pk"), last_refund_at=Max("refunded_at")),
        **_per_campaign(
            Alert.objects.all(),
            alert_count=Count("pk"),
            last_alert=Max("pk"),
            open_alerts=Count("pk", filter=open_alert),
            acknowledged_alerts=Count("pk", filter=open_alert & Q(acknowledged_at__isnull=False)),
            last_acknowledged_at=Max("acknowledged_at"),
            last_resolved_at=Max("resolved_at"),
        ),
    )


def _campaign_state(campaign) -> tuple:
    programme = campaign.programme
    return (
        campaign.pk,
        campaign.title,
        campaign.slug,
        str(campaign.goal),
        campaign.state,
        campaign.starts_at,
        campaign.launched_at,
        campaign.ends_at,
        campaign.settled_at,
        str(campaign.raised_amount),
        str(campaign.matched_amount),
        campaign.contributor_count,
        *(getattr(campaign, name, None) for name in VERSION_FIELDS),
        programme.pk,
        programme.slug,
        programme.name,
    )


def key(campaigns, *, stored_key: str, scope: str, user_id, path: str, language: str, now):
    """The cache key of the live part for ``campaigns`` (loaded with ``with_version``) as
    seen now by this user at this address: no query."""
    minute = timezone.localtime(now).replace(second=0, microsecond=0)
    fingerprint = repr(
        (
            scope,
            user_id if scope != "organiser" else None,
            path,
            language,
            minute.isoformat(),
            stored_key,
            sorted(_campaign_state(c) for c in campaigns),
        )
    )
    return (
        "tracking:cockpit-live:" + hashlib.blake2b(fingerprint.encode(), digest_size=20).hexdigest()
    )
