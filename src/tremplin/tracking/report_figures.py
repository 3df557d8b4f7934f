"""The figures of a programme's final report, computed once from the rows, so that the
PDF, the CSV and the XLSX say the same thing (they are all written from this dict).

``report_figures(programme)`` reads the database (a fixed handful of queries whatever the
number of contributions but the day-by-day pass over the contribution rows) and returns a
JSON-safe dict: amounts are strings with two decimals, dates ISO strings, labels are codes
(translated when written out). Nothing in it depends on the clock: the same rows give the
same dict, key for key, and ``fingerprint`` gives its SHA-256 (stored with the report, so a
regenerated report can be compared with the first).

Money comes from the rows, never from the cached totals: raised = the CONFIRMED
contributions, matched = the CONFIRMED matchfunding allocations, refunds = the REFUNDED
contributions — what ``tremplin audit-ledger`` checks the totals against."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from tremplin.calls.enums import ApplicationState, Eligibility
from tremplin.calls.models import Application, Programme
from tremplin.campaigns.enums import ENDED_STATES, CampaignState, FundingRule
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.dates import PARIS
from tremplin.funding.enums import AllocationState, ContributionSource, ContributionState
from tremplin.funding.models import Contribution, MatchAllocation
from tremplin.jury.exports import participation
from tremplin.jury.models import Jury
from tremplin.jury.publication import laureates
from tremplin.tracking.channels import ALL
from tremplin.tracking.models import PastCampaign, PastEdition
from tremplin.tracking.series import series_for

VERSION = 1
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
TOP_COMMUNES = 15
DIRECT = "direct"
# A campaign's outcome in the report.
REACHED, NOT_REACHED, LIVE, NOT_STARTED = "reached", "not_reached", "live", "not_started"


def money(value) -> str:
    return str(Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP))


def percent(part, whole) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP))


def median(values: list[Decimal]) -> Decimal:
    if not values:
        return ZERO
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def paris_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment, PARIS).date() if moment else None


def _counted(rows: list[tuple[str, int]]) -> list[list]:
    """[[label, n], …] by decreasing count, then label: a stable order."""
    return [[label, n] for label, n in sorted(rows, key=lambda r: (-r[1], r[0]))]


# --- the call and the jury --------------------------------------------------------------------


def _call(programme: Programme) -> dict:
    submitted = Application.objects.filter(
        programme=programme, state__in=[ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN]
    )
    states = Counter(
        (row["state"], row["eligibility"])
        for row in submitted.values("state", "eligibility").order_by()
    )
    active = submitted.filter(state=ApplicationState.SUBMITTED)

    def group(column: str) -> list[list]:
        rows = active.values(column).annotate(n=Count("pk")).order_by()
        return _counted([(row[column] or "", row["n"]) for row in rows])

    return {
        "applications": sum(states.values()),
        "withdrawn": sum(n for (state, _e), n in states.items() if state == "withdrawn"),
        "eligible": states[(ApplicationState.SUBMITTED, Eligibility.ELIGIBLE)],
        "ineligible": states[(ApplicationState.SUBMITTED, Eligibility.INELIGIBLE)],
        "communes": group("commune"),
        "categories": group("category"),
        "profiles": group("maker_profile"),
    }


def _jury(programme: Programme) -> dict | None:
    jury = Jury.objects.filter(programme=programme).first()
    if jury is None:
        return None
    rows = participation(jury)
    submitted = sum(1 for row in rows if row.submitted)
    return {
        "method": jury.method,
        "ballot_scope": jury.ballot_scope,
        "partners": jury.partners.count(),
        "ballots_expected": len(rows),
        "ballots_submitted": submitted,
        "participation": percent(submitted, len(rows)),
        "published": paris_day(jury.published_at).isoformat() if jury.published_at else None,
        "laureates": laureates(programme).count() if jury.published_at else 0,
    }


# --- the campaigns and the money ---------------------------------------------------------------


def _outcome(campaign: Campaign, raised: Decimal, matched: Decimal, matched_counts: bool) -> str:
    if campaign.state == CampaignState.LIVE:
        return LIVE
    if campaign.state not in ENDED_STATES:
        return NOT_STARTED
    total = raised + (matched if matched_counts else ZERO)
    return REACHED if total >= campaign.goal else NOT_REACHED


def _campaigns(programme: Programme) -> tuple[list[Campaign], dict, dict]:
    campaigns = list(
        Campaign.objects.filter(programme=programme)
        .exclude(launched_at__isnull=True)
        .select_related("application", "application__maker")
        .order_by("title", "pk")
    )
    ids = [c.pk for c in campaigns]
    by_state = defaultdict(lambda: [ZERO, 0])
    for row in (
        Contribution.objects.filter(campaign_id__in=ids)
        .values("campaign_id", "state")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    ):
        by_state[(row["campaign_id"], row["state"])] = [Decimal(row["total"] or 0), row["n"]]
    matched = {
        row["campaign_id"]: Decimal(row["total"] or 0)
        for row in MatchAllocation.objects.filter(
            campaign_id__in=ids, state=AllocationState.CONFIRMED
        )
        .values("campaign_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    return campaigns, by_state, matched


def _gifts(ids: list[int]) -> dict:
    confirmed = Contribution.objects.filter(campaign_id__in=ids, state=ContributionState.CONFIRMED)
    amounts = [Decimal(a) for a in confirmed.values_list("amount", flat=True)]
    channels = defaultdict(lambda: [0, ZERO])
    for row in confirmed.values("channel").annotate(n=Count("pk"), total=Sum("amount")).order_by():
        key = row["channel"] or DIRECT
        channels[key][0] += row["n"]
        channels[key][1] += Decimal(row["total"] or 0)
    sources = {
        row["source"]: Decimal(row["total"] or 0)
        for row in confirmed.values("source").annotate(total=Sum("amount")).order_by()
    }
    communes = defaultdict(lambda: [0, ZERO, set()])
    unknown = 0
    for row in confirmed.values("city").annotate(n=Count("pk"), total=Sum("amount")).order_by():
        city = " ".join((row["city"] or "").split())
        if not city:
            unknown += row["n"]
            continue
        key = city.casefold()  # "Roubaix" and "roubaix" are one commune
        communes[key][0] += row["n"]
        communes[key][1] += Decimal(row["total"] or 0)
        communes[key][2].add(city)
    # shown as written, its capitalised spelling first (a stable choice)
    named = {
        k: (n, total, min(spellings, key=lambda s: (s[:1].islower(), s)))
        for k, (n, total, spellings) in communes.items()
    }
    ranked = sorted(
        ((name, (n, total)) for n, total, name in named.values()),
        key=lambda item: (-item[1][0], item[0]),
    )
    top, rest = ranked[:TOP_COMMUNES], ranked[TOP_COMMUNES:]
    online = sources.get(ContributionSource.ONLINE, ZERO)
    return {
        "contributions": len(amounts),
        "average_gift": money(sum(amounts, ZERO) / len(amounts)) if amounts else money(0),
        "median_gift": money(median(amounts)),
        "online": money(online),
        "offline": money(sum(sources.values(), ZERO) - online),
        "channels": [
            {"channel": key, "contributions": n, "amount": money(total)}
            for key, (n, total) in sorted(channels.items(), key=lambda i: (-i[1][1], i[0]))
        ],
        "communes": [
            {"commune": key, "contributions": n, "amount": money(total)} for key, (n, total) in top
        ],
        "communes_other": sum(n for _k, (n, _t) in rest),
        "communes_unknown": unknown,
    }


def _daily(campaigns: list[Campaign], goals: Decimal, as_of: datetime.datetime) -> list[dict]:
    """The programme's cumulative figures at the end of each day (Europe/Paris), summed over
    its campaigns' daily series (``tracking.series``, read as of ``as_of``, the data's last
    change: the same rows give the same days whenever the report is made): from the first
    campaign's first day to the last day of any series, each campaign counting its last
    figures after its series ends."""
    if not campaigns:
        return []
    by_campaign = series_for([c.pk for c in campaigns], ALL, now=as_of)
    days: dict[datetime.date, dict[int, object]] = defaultdict(dict)
    for pk, rows in by_campaign.items():
        for row in rows:
            days[row.day][pk] = row
    if not days:
        return []
    out = []
    current: dict[int, object] = {}
    day, end = min(days), max(days)
    while day <= end:
        current.update(days.get(day, {}))
        raised = sum((Decimal(r.raised_cents) for r in current.values()), ZERO) / 100
        matched = sum((Decimal(r.matched_cents) for r in current.values()), ZERO) / 100
        out.append(
            {
                "day": day.isoformat(),
                "raised": money(raised),
                "matched": money(matched),
                "contributions": sum(r.contributors for r in current.values()),
                "percent_of_goal": percent(raised, goals),
            }
        )
        day += datetime.timedelta(days=1)
    return out


# --- the comparison with the previous editions --------------------------------------------------


def _edition_row(
    *, name, year, source, applications, laureates_n, campaigns, reached, raised, contributors
) -> dict:
    return {
        "name": name,
        "year": year,
        "source": source,
        "applications": applications,
        "laureates": laureates_n,
        "campaigns": campaigns,
        "reached": reached,
        "success_rate": percent(reached, campaigns),
        "raised": money(raised),
        "contributions": contributors,
        "average_gift": money(Decimal(raised) / contributors) if contributors else money(0),
    }


def _platform_edition(programme: Programme) -> dict:
    """An edition run on the platform, in the comparison's terms."""
    campaigns, by_state, matched = _campaigns(programme)
    rule = CampaignSettings.objects.filter(programme=programme).first()
    counts = bool(rule and rule.matched_counts_toward_goal)
    reached = ended = 0
    raised = ZERO
    contributors = 0
    for c in campaigns:
        r, n = by_state[(c.pk, ContributionState.CONFIRMED)]
        raised += r
        contributors += n
        outcome = _outcome(c, r, matched.get(c.pk, ZERO), counts)
        ended += outcome in (REACHED, NOT_REACHED)
        reached += outcome == REACHED
    start = programme.campaigns_start_at or programme.call_opens_at
    published = Jury.objects.filter(programme=programme, published_at__isnull=False).exists()
    return _edition_row(
        name=programme.name,
        year=timezone.localtime(start, PARIS).year,
        source="platform",
        applications=Application.objects.filter(
            programme=programme,
            state__in=[ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN],
        ).count(),
        laureates_n=laureates(programme).count() if published else len(campaigns),
        campaigns=ended,
        reached=reached,
        raised=raised,
        contributors=contributors,
    )


def _comparison(programme: Programme) -> list[dict]:
    rows = []
    editions = PastEdition.objects.filter(organiser_id=programme.organiser_id).prefetch_related(
        Prefetch("campaigns", queryset=PastCampaign.objects.order_by())
    )
    for edition in editions:
        past = list(edition.campaigns.all())
        reached = sum(1 for c in past if c.funded)
        rows.append(
            (
                edition.campaigns_start,
                _edition_row(
                    name=edition.name,
                    year=edition.year,
                    source="past",
                    applications=edition.applications_count,
                    laureates_n=edition.laureates_count,
                    campaigns=len(past),
                    reached=reached,
                    raised=sum((c.raised for c in past), ZERO),
                    contributors=sum(c.contributors for c in past),
                ),
            )
        )
    this_start = programme.campaigns_start_at or programme.call_opens_at
    earlier = (
        Programme.objects.filter(organiser_id=programme.organiser_id, campaigns__isnull=False)
        .exclude(pk=programme.pk)
        .filter(Q(campaigns_start_at__lt=this_start) | Q(campaigns_start_at__isnull=True))
        .filter(call_opens_at__lt=programme.call_opens_at)
        .distinct()
    )
    for other in earlier:
        start = other.campaigns_start_at or other.call_opens_at
        rows.append((paris_day(start), _platform_edition(other)))
    own = _platform_edition(programme)
    own["source"] = "this"
    rows.append((paris_day(this_start), own))
    return [row for _day, row in sorted(rows, key=lambda r: (r[0], r[1]["name"]))]


# --- all of it ------------------------------------------------------------------------------------


def campaign_rows(programme: Programme) -> tuple[list[Campaign], list[dict], dict]:
    """Each launched campaign of the programme with its figures from the rows (title,
    maker, commune, goal, raised, matched, contributions, % of goal, refunds, outcome), and
    their totals. Shared by the report and the open data."""
    campaigns, by_state, matched = _campaigns(programme)
    rule = CampaignSettings.objects.filter(programme=programme).first()
    matched_counts = bool(rule and rule.matched_counts_toward_goal)
    rows = []
    totals = {
        "raised": ZERO,
        "matched": ZERO,
        "refunds": ZERO,
        "refunds_count": 0,
        "goals": ZERO,
        "outcomes": Counter(),
        "rule": rule.funding_rule if rule else FundingRule.ALL_OR_NOTHING,
        "matched_counts": matched_counts,
    }
    for c in campaigns:
        raised, count = by_state[(c.pk, ContributionState.CONFIRMED)]
        refunded, refunded_count = by_state[(c.pk, ContributionState.REFUNDED)]
        match = matched.get(c.pk, ZERO)
        outcome = _outcome(c, raised, match, matched_counts)
        totals["outcomes"][outcome] += 1
        totals["raised"] += raised
        totals["matched"] += match
        totals["refunds"] += refunded
        totals["refunds_count"] += refunded_count
        totals["goals"] += c.goal
        application = c.application
        rows.append(
            {
                "title": c.title,
                "slug": c.slug,
                "maker": application.maker_name or application.maker.full_name,
                "commune": application.commune,
                "category": application.category,
                "goal": money(c.goal),
                "raised": money(raised),
                "matched": money(match),
                "contributions": count,
                "percent": percent(raised + (match if matched_counts else ZERO), c.goal),
                "refunds": money(refunded),
                "outcome": outcome,
            }
        )
    return campaigns, rows, totals


def report_figures(programme: Programme) -> dict:
    campaigns, rows, totals = campaign_rows(programme)
    outcomes = totals["outcomes"]
    matched_counts = totals["matched_counts"]
    ids = [c.pk for c in campaigns]
    gifts = _gifts(ids)
    ended = outcomes[REACHED] + outcomes[NOT_REACHED]
    moments = [m for c in campaigns for m in (c.closed_at, c.settled_at, c.launched_at) if m]
    last_change = (
        Contribution.objects.filter(campaign_id__in=ids).aggregate(
            a=Max("confirmed_at"), b=Max("refunded_at")
        )
        if ids
        else {}
    )
    moments += [m for m in last_change.values() if m]
    if ids:
        allocations = MatchAllocation.objects.filter(campaign_id__in=ids).aggregate(
            a=Max("created_at"), b=Max("released_at")
        )
        moments += [m for m in allocations.values() if m]
    as_of = max(moments) if moments else programme.updated_at
    start = programme.campaigns_start_at
    end = programme.campaigns_end_at
    return {
        "version": VERSION,
        "programme": {
            "name": programme.name,
            "slug": programme.slug,
            "organiser": programme.organiser.name,
            "campaigns_start": paris_day(start).isoformat() if start else None,
            "campaigns_end": paris_day(end).isoformat() if end else None,
            "funding_rule": totals["rule"],
            "matched_counts_toward_goal": matched_counts,
            "as_of": timezone.localtime(as_of, PARIS).replace(microsecond=0).isoformat(),
        },
        "call": _call(programme),
        "jury": _jury(programme),
        "campaigns": rows,
        "totals": {
            "campaigns": len(campaigns),
            "ended": ended,
            "reached": outcomes[REACHED],
            "live": outcomes[LIVE],
            "success_rate": percent(outcomes[REACHED], ended),
            "goals": money(totals["goals"]),
            "raised": money(totals["raised"]),
            "matched": money(totals["matched"]),
            "raised_and_matched": money(totals["raised"] + totals["matched"]),
            "refunds": money(totals["refunds"]),
            "refunds_count": totals["refunds_count"],
            "contributions": gifts["contributions"],
            "average_gift": gifts["average_gift"],
            "median_gift": gifts["median_gift"],
            "online": gifts["online"],
            "offline": gifts["offline"],
        },
        "channels": gifts["channels"],
        "communes": gifts["communes"],
        "communes_other": gifts["communes_other"],
        "communes_unknown": gifts["communes_unknown"],
        "days": _daily(campaigns, totals["goals"], as_of),
        "comparison": _comparison(programme),
    }


def fingerprint(figures: dict) -> str:
    """SHA-256 of the figures' canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
