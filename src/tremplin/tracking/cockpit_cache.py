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

import functools
import hashlib
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import time_format
from django.utils.safestring import SafeString, mark_safe

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
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


# What the version holds of each campaign: its own row (totals, state, dates, title,
# programme), then its programme's slug and name, its latest confirmation and its alerts.
ROW_FIELDS = (
    "id",
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
)
# Dates and decimals come as text (``_text``).
_AS_TEXT = {
    "goal",
    "starts_at",
    "launched_at",
    "ends_at",
    "settled_at",
    "raised_amount",
    "matched_amount",
}
_STATE = ROW_FIELDS.index("state")
_ENDS_AT = ROW_FIELDS.index("ends_at")


def _text(column: str) -> str:
    """The column as text: compared as it is, not parsed into dates and decimals (most of
    the time of the query in Python was parsing them)."""
    return f"CAST({column} AS TEXT)"


@functools.cache
def _version_sql() -> str:
    """One statement, written once (the ORM took longer to compile it than the database to
    run it): the campaigns' rows, their latest confirmation by a correlated subquery served
    by the (campaign, confirmed_at) index of the contributions, and their alerts grouped.

    A refund needs no column of its own: it takes its amount off the campaign's
    ``raised_amount`` and one off its ``contributor_count`` in the same transaction
    (``funding.contributions``), so the campaign's row changes — unless a confirmation
    made up for it at once, and that moves the latest confirmation."""
    campaign, programme = Campaign._meta, Programme._meta
    contribution, alert = Contribution._meta, Alert._meta
    columns = [f"c.{campaign.get_field(name).column}" for name in ROW_FIELDS]
    columns = ", ".join(
        _text(column) if name in _AS_TEXT else column
        for name, column in zip(ROW_FIELDS, columns, strict=True)
    )
    confirmed = contribution.get_field("confirmed_at").column
    # Only names from the models' meta are put in; every value is a parameter.
    latest = _text(
        f"(SELECT f.{confirmed} FROM {contribution.db_table} f"  # noqa: S608
        f" WHERE f.campaign_id = c.id AND f.{confirmed} IS NOT NULL"
        f" ORDER BY f.{confirmed} DESC LIMIT 1)"
    )
    return f"""
        WITH chosen AS (<ids>)
        SELECT {columns}, p.{programme.get_field("slug").column},
               p.{programme.get_field("name").column},
               {latest}, a.n, a.last_pk, a.open_n, a.ack_n,
               {_text("a.last_ack")}, {_text("a.last_resolved")}
        FROM {campaign.db_table} c
        JOIN {programme.db_table} p ON p.id = c.programme_id
        LEFT JOIN (
            SELECT campaign_id, COUNT(*) AS n, MAX(id) AS last_pk,
                   SUM(CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END) AS open_n,
                   SUM(CASE WHEN resolved_at IS NULL AND acknowledged_at IS NOT NULL
                       THEN 1 ELSE 0 END) AS ack_n,
                   MAX(acknowledged_at) AS last_ack, MAX(resolved_at) AS last_resolved
            FROM {alert.db_table} WHERE campaign_id IN (SELECT * FROM chosen)
            GROUP BY campaign_id
        ) a ON a.campaign_id = c.id
        WHERE c.id IN (SELECT * FROM chosen)
        ORDER BY c.id
    """  # noqa: S608


def versions(campaigns) -> list[tuple]:
    """The version rows of ``campaigns`` (a queryset), in the order of their ids: one query,
    no model built. Their dates and amounts are text (``_text``): they are compared, never
    shown."""
    ids_sql, params = campaigns.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_version_sql().replace("<ids>", ids_sql), params)
        return cursor.fetchall()


@functools.lru_cache(maxsize=4096)
def _aware(value: str | None) -> datetime | None:
    """A date of the version rows (text), read once per process."""
    value = parse_datetime(value) if value else None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _days_left(row: tuple, now) -> int | None:
    """What the cockpit shows of a campaign's days left (``cockpit._days_left``)."""
    state, ends_at = row[_STATE], _aware(row[_ENDS_AT])
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
            rows,
            [_days_left(row, now) for row in rows],
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
