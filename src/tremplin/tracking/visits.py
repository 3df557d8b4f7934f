"""Counting the landing visits of a campaign's page by channel: one aggregate counter per
campaign × day (Europe/Paris) × channel × partner, incremented in the database (an UPDATE
… count + 1, or the row's creation), nothing stored about the visitor.

A visit is counted when the campaign's public page answers 200 to a GET whose query has a
channel (``?canal=``; ``&ref=`` names the partner of a ``partenaire`` link). Such a page is
never served from the page cache (``core.pagecache`` skips query strings), so the
middleware sees every one. Reloads and abuse are damped in the shared cache, never in the
database: one visit per address, campaign and channel per ``VISIT_WINDOW``, at most
``VISITS_PER_ADDRESS`` counted visits per address per hour; the address only names a
short-lived cache counter (hashed, see ``core.ratelimit``) and is never written anywhere."""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.models import Campaign
from tremplin.core import attribution
from tremplin.core.models import Partner
from tremplin.core.ratelimit import allow, client_ip
from tremplin.tracking.channels import PARTNER, normalise
from tremplin.tracking.models import ChannelVisit
from tremplin.tracking.series import paris_day

VISIT_WINDOW = 30 * 60  # seconds: the same visitor back within it is the same visit
VISITS_PER_ADDRESS = 60  # counted visits per address per hour, all campaigns together
CAMPAIGN_VIEW = "campaigns:campaign"
# Crawlers and link previews are not visitors.
_ROBOTS = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|curl|wget", re.I)


def add_visit(
    campaign_id: int, channel: str, ref: str = "", when: datetime.datetime | None = None
) -> None:
    """One more visit in the counter of ``campaign_id`` × today × ``channel`` × ``ref``."""
    day = paris_day(when or timezone.now())
    key = {"campaign_id": campaign_id, "day": day, "channel": channel, "ref": ref}
    if ChannelVisit.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ChannelVisit.objects.create(**key, count=1)
    except IntegrityError:  # created by another request meanwhile
        ChannelVisit.objects.filter(**key).update(count=F("count") + 1)


def _partner_ref(campaign_id: int, value: str) -> str:
    """The partner's slug when ``value`` names a partner of the campaign's organiser."""
    ref = attribution.clean_value("ref", value)
    if not ref:
        return ""
    known = Partner.objects.filter(
        slug=ref, organiser__programmes__campaigns__pk=campaign_id
    ).exists()
    return ref if known else ""


def count_visit(request: HttpRequest, response: HttpResponse) -> bool:
    """Count the visit ``request`` made if it is a tracked landing on a campaign's page."""
    if request.method != "GET" or response.status_code != 200 or "canal" not in request.GET:
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != CAMPAIGN_VIEW:
        return False
    canal = attribution.clean_value("canal", request.GET.get("canal"))
    if not canal or _ROBOTS.search(request.META.get("HTTP_USER_AGENT", "")):
        return False
    campaign_id = (
        Campaign.objects.filter(slug=match.kwargs.get("slug", ""), state__in=PUBLIC_STATES)
        .values_list("pk", flat=True)
        .first()
    )
    if campaign_id is None:
        return False
    channel = normalise(canal)
    ref = _partner_ref(campaign_id, request.GET.get("ref", "")) if channel == PARTNER else ""
    address = client_ip(request)
    if not allow(
        "tracking-visit", f"{address}|{campaign_id}|{channel}|{ref}", limit=1, window=VISIT_WINDOW
    ):
        return False
    if not allow("tracking-visit-address", address, limit=VISITS_PER_ADDRESS, window=3600):
        return False
    add_visit(campaign_id, channel, ref)
    return True
