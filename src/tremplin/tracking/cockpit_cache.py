"""The cockpit's rendered live part, kept in the shared cache under a key that changes with
anything it shows (issue #10's benchmark: the page was rebuilt for every request).

The key holds the cheap version of the data of the campaigns shown (read in few, indexed
queries): each campaign's own row (totals, state, dates, title, programme's name) and its
latest confirmation and its alerts (opened, acknowledged, resolved) — correlated subqueries
on indexes, in the campaigns' one query; a refund changes the campaign's totals — the series'
cursors (a close, a rebuild: one aggregate); and what the page depends on beside the data:
who looks (scope, the user outside the organiser's scope), the address (sort, order,
organiser, programme), the language, the days left of each campaign and the hour (the
forecast is that of the hour). Any change of these shows at once; unchanged data costs two
small queries and one cache read.

The page says "Figures at HH:MM": the time is put in at each request (``NOW_MARK``), since
figures of an unchanged version are the figures of now. While one request computes a new
version, the others are served the previous version of the same page (``serve``), with the
time it was computed at, instead of all waiting for it (or all computing it)."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.safestring import SafeString, mark_safe

from tremplin.campaigns.enums import CampaignState
from tremplin.funding.models import Contribution
from tremplin.tracking.models import Alert

# A version is computed again after this long even when nothing changed (the hour changes
# its key before then).
CACHE_SECONDS = 3600
# How long a request waits for another computing the same page when no previous version of
# it is at hand (then computes it itself).
LOCK_SECONDS = 5
# Where the rendered live part says the time of its figures.
NOW_MARK: SafeString = mark_safe("<!--tracking:figures-time-->")  # noqa: S308


def _per_campaign(queryset, **aggregates) -> dict:
    """One correlated subquery per aggregate over ``queryset``'s rows of each campaign."""
    rows = queryset.filter(campaign_id=OuterRef("pk")).order_by().values("campaign_id")
    return {
        name: Subquery(rows.annotate(value=aggregate).values("value")[:1])
        for name, aggregate in aggregates.items()
    }


VERSION_FIELDS = (
    "last_confirmed_at",
    "alert_count",
    "last_alert",
    "open_alerts",
    "acknowledged_alerts",
    "last_acknowledged_at",
    "last_resolved_at",
)


def with_version(campaigns):
    """``campaigns`` annotated with the version of their data (``VERSION_FIELDS``), in the
    same query: correlated subqueries served by the (campaign, confirmed_at) index of the
    contributions and the campaign index of the alerts.

    A refund needs no column of its own: it takes its amount off the campaign's
    ``raised_amount`` and one off its ``contributor_count`` in the same transaction
    (``funding.contributions``), so the campaign's row changes — unless a confirmation
    made up for it at once, and that moves the latest confirmation."""
    latest = (
        Contribution.objects.filter(campaign_id=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by("-confirmed_at")
        .values("confirmed_at")[:1]
    )
    open_alert = Q(resolved_at__isnull=True)
    return campaigns.annotate(
        last_confirmed_at=Subquery(latest),
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


# What the version holds of each campaign's own row (with VERSION_FIELDS).
ROW_FIELDS = (
    "pk",
    "title",
    "slug",
    "goal",
    "state",
    "starts_at",
    "launched_at",
    "ends_at",
    "settled_at",
    "raised_amount",
    "matched_amount",
    "contributor_count",
    "programme_id",
    "programme__slug",
    "programme__name",
)


def versions(campaigns) -> list[tuple]:
    """The version rows of ``campaigns`` (a queryset): one query, no model built."""
    return list(with_version(campaigns).values_list(*ROW_FIELDS, *VERSION_FIELDS))


def _days_left(row: tuple, now) -> int | None:
    """What the cockpit shows of a campaign's days left (``cockpit._days_left``)."""
    state, ends_at = row[ROW_FIELDS.index("state")], row[ROW_FIELDS.index("ends_at")]
    if state != CampaignState.LIVE or not ends_at:
        return None
    return max(0, math.ceil((ends_at - now).total_seconds() / 86400))


def page_key(*, scope: str, user_id, path: str, language: str) -> str:
    """The key of the latest version of this page (whatever its data), for ``serve``."""
    fingerprint = repr((scope, user_id if scope != "organiser" else None, path, language))
    return (
        "tracking:cockpit-page:" + hashlib.blake2b(fingerprint.encode(), digest_size=20).hexdigest()
    )


def key(rows: list[tuple], *, stored_key: str, page: str, now) -> str:
    """The cache key of the live part for the campaigns of ``rows`` (``versions``) as seen
    now on ``page`` (``page_key``: this user at this address, in this language): no query."""
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    fingerprint = repr(
        (
            page,
            hour.isoformat(),
            stored_key,
            sorted(rows),
            [_days_left(row, now) for row in sorted(rows)],
        )
    )
    return (
        "tracking:cockpit-live:" + hashlib.blake2b(fingerprint.encode(), digest_size=20).hexdigest()
    )


def stamp(entry: tuple[str, datetime]) -> str:
    """A cached live part (its HTML, the moment it was computed) with the time of its figures."""
    html, computed_at = entry
    return html.replace(NOW_MARK, time_format(timezone.localtime(computed_at), "H:i"))


def serve(live_key: str, latest_key: str, compute: Callable[[], str], now: datetime) -> str:
    """The live part of ``live_key`` (``key``): from the cache, or computed once by
    ``compute`` (one request at a time per version, whatever the number of processes: a
    lock in the shared cache). While another request computes it, the latest version of the
    same page (``latest_key``: ``page_key``) is served with the time of its own figures;
    without one, the request waits up to ``LOCK_SECONDS`` for the other's result."""
    entry = cache.get(live_key)
    if entry is not None:
        return stamp((entry[0], now))
    lock = f"{live_key}:computing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        previous = cache.get(latest_key)
        if previous is not None:
            return stamp(previous)
        entry = wait_for_another(live_key)
        if entry is not None:
            return stamp((entry[0], now))
    try:
        entry = (compute(), now)
        cache.set_many({live_key: entry, latest_key: entry}, CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return stamp(entry)


def wait_for_another(live_key: str) -> tuple[str, datetime] | None:
    """The result of the request computing ``live_key``; None when nobody is, or after
    ``LOCK_SECONDS``."""
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        entry = cache.get(live_key)
        if entry is not None:
            return entry
        if cache.get(f"{live_key}:computing") is None:
            return cache.get(live_key)
        time.sleep(0.02)
    return None
