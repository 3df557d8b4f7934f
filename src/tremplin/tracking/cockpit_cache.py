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


def with_last_confirmation(campaigns):
    """``campaigns`` annotated with their latest confirmation (``last_confirmed_at``): a
    correlated subquery each, served by the (campaign, confirmed_at) index."""
    latest = (
        Contribution.objects.filter(campaign_id=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by("-confirmed_at")
        .values("confirmed_at")[:1]
    )
    return campaigns.annotate(last_confirmed_at=Subquery(latest))


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
        getattr(campaign, "last_confirmed_at", None),
        programme.pk,
        programme.slug,
        programme.name,
    )


def key(campaigns, *, stored_key: str, scope: str, user_id, path: str, language: str, now):
    """The cache key of the live part for ``campaigns`` (loaded, with
    ``with_last_confirmation``) as seen now by this user at this address."""
    ids = sorted(campaign.pk for campaign in campaigns)
    refunds = Contribution.objects.filter(
        campaign_id__in=ids, state=ContributionState.REFUNDED
    ).aggregate(count=Count("pk"), latest=Max("refunded_at"), last_id=Max("pk"))
    alerts = Alert.objects.filter(campaign_id__in=ids).aggregate(
        count=Count("pk"),
        last_id=Max("pk"),
        acknowledged=Max("acknowledged_at"),
        resolved=Max("resolved_at"),
        open=Count("pk", filter=Q(resolved_at__isnull=True)),
    )
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
            sorted(refunds.items()),
            sorted(alerts.items()),
        )
    )
    return (
        "tracking:cockpit-live:" + hashlib.blake2b(fingerprint.encode(), digest_size=20).hexdigest()
    )
