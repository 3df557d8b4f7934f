"""The partners' relay: which programmes and laureates a partner's member relays, the
suggested calendar, the relays they mark, and what their relay brought.

A partner's links carry ``?canal=partenaire&ref=<partner slug>`` (``kit.links``); the
campaign's pages carry them to the checkout, where they are stored on the contribution
(``Contribution.channel`` and ``Contribution.attribution["ref"]``). What a relay brought is
counted from those rows: confirmed contributions and their amount, re-derivable at any
time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import PUBLIC_STATES, CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.models import Partner, PartnerMembership
from tremplin.funding.enums import CONTRIBUTION_COUNTED
from tremplin.funding.models import Contribution
from tremplin.kit import actions
from tremplin.kit.enums import KitState
from tremplin.kit.errors import RelayError
from tremplin.kit.links import PARTNER_CHANNEL
from tremplin.kit.models import KitItem, KitVersion, RelayMark, RelayPlace
from tremplin.tracking.models import ChannelVisit

# The laureates a partner relays: approved pages onwards (not drafts or pages in review).
RELAYED_STATES = (CampaignState.APPROVED, CampaignState.SCHEDULED, *PUBLIC_STATES)
LAST_HOURS = 72
EARLIEST_RELAY = date(2000, 1, 1)


# --- what a member sees -----------------------------------------------------------------


def memberships(user) -> list[PartnerMembership]:
    if not user.is_authenticated:
        return []
    return list(
        PartnerMembership.objects.filter(user=user)
        .select_related("partner__organiser")
        .order_by("partner__organiser__name", "partner__name")
    )


def programmes_of(partner: Partner):
    """The programmes ``partner`` is a partner of (its organiser's only)."""
    return Programme.objects.filter(partners=partner, organiser_id=partner.organiser_id).order_by(
        "-created_at", "name"
    )


def relay_campaigns(programme: Programme) -> list[Campaign]:
    return list(
        Campaign.objects.filter(programme=programme, state__in=RELAYED_STATES)
        .select_related("programme")
        .prefetch_related("images")
        .order_by("starts_at", "title")
    )


def member_partner(user, partner_slug: str, programme_slug: str) -> tuple[Partner, Programme]:
    """The partner (``user`` a member of it) and one of its programmes, or LookupError."""
    if not user.is_authenticated:
        raise LookupError
    membership = (
        PartnerMembership.objects.filter(user=user, partner__slug=partner_slug)
        .select_related("partner__organiser")
        .first()
    )
    if membership is None:
        raise LookupError
    partner = membership.partner
    programme = programmes_of(partner).filter(slug=programme_slug).first()
    if programme is None:
        raise LookupError
    return partner, programme


# --- the released kits --------------------------------------------------------------------


def released_items(campaigns: list[Campaign]) -> dict[int, list[KitItem]]:
    """The items of each campaign's released kit (its latest released version): what
    partners relay. A campaign whose kit is not released yet has none."""
    versions: dict[int, KitVersion] = {}
    for version in KitVersion.objects.filter(
        campaign__in=campaigns, state=KitState.RELEASED
    ).order_by("campaign_id", "-number"):
        versions.setdefault(version.campaign_id, version)
    found: dict[int, list[KitItem]] = {}
    for item in KitItem.objects.filter(version__in=versions.values()).order_by(
        "version_id", "position", "pk"
    ):
        found.setdefault(versions_by_pk(versions)[item.version_id], []).append(item)
    return found


def versions_by_pk(versions: dict[int, KitVersion]) -> dict[int, int]:
    return {version.pk: campaign_id for campaign_id, version in versions.items()}


def for_partner(item: KitItem, partner_link: str) -> str:
    """An item's text with its tracked link replaced by the partner's own."""
    if item.tracked_url and item.body:
        return item.body.replace(item.tracked_url, partner_link)
    return item.body


def released_item(programme: Programme, pk: int) -> KitItem | None:
    """One item of a released kit of one of ``programme``'s relayed campaigns."""
    return (
        KitItem.objects.filter(
            pk=pk,
            version__state=KitState.RELEASED,
            version__campaign__programme=programme,
            version__campaign__state__in=RELAYED_STATES,
        )
        .select_related("version__campaign")
        .first()
    )


# --- the suggested calendar ------------------------------------------------------------


@dataclass(frozen=True)
class RelayMoment:
    kind: str  # launch, middle, last
    label: str
    starts: datetime  # Europe/Paris
    ends: datetime
    advice: str

    def is_now(self, now: datetime) -> bool:
        return self.starts <= now < self.ends

    def is_past(self, now: datetime) -> bool:
        return self.ends <= now


def calendar(campaign: Campaign) -> list[RelayMoment]:
    """Launch day, mid-campaign and the last 72 hours, in Paris time; empty until the
    campaign has its dates."""
    if campaign.starts_at is None or campaign.ends_at is None:
        return []
    starts = campaign.starts_at.astimezone(PARIS)
    ends = campaign.ends_at.astimezone(PARIS)
    launch_end = (starts + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    middle = starts + (ends - starts) / 2
    middle_day = middle.replace(hour=0, minute=0, second=0, microsecond=0)
    last = max(ends - timedelta(hours=LAST_HOURS), starts)
    return [
        RelayMoment(
            "launch",
            str(_("Launch day")),
            starts,
            min(launch_end, ends),
            str(_("Announce the campaign: the first contributions bring the next ones.")),
        ),
        RelayMoment(
            "middle",
            str(_("Mid-campaign")),
            max(middle_day, starts),
            min(middle_day + timedelta(days=1), ends),
            str(_("Share the news and where the campaign stands.")),
        ),
        RelayMoment(
            "last",
            str(_("The last 72 hours")),
            last,
            ends,
            str(_("The final call: most campaigns raise a large share at the end.")),
        ),
    ]


# --- what the relay brought -------------------------------------------------------------


@dataclass
class Brought:
    contributions: int = 0
    amount: Decimal = Decimal("0.00")
    visits: int | None = None  # None: not measured (no visit tracking)


@dataclass
class Results:
    by_campaign: dict[int, Brought] = field(default_factory=dict)

    def of(self, campaign: Campaign) -> Brought:
        return self.by_campaign.get(campaign.pk, Brought())

    @property
    def total(self) -> Brought:
        total = Brought()
        for brought in self.by_campaign.values():
            total.contributions += brought.contributions
            total.amount += brought.amount
            if brought.visits is not None:
                total.visits = (total.visits or 0) + brought.visits
        return total


def partner_contributions(partner: Partner):
    """The contributions that came through ``partner``'s links."""
    return Contribution.objects.filter(
        channel=PARTNER_CHANNEL, attribution__ref=partner.slug, state__in=CONTRIBUTION_COUNTED
    )


def results(partner: Partner, campaigns: list[Campaign]) -> Results:
    """Visits (tracking's aggregate counters of the partner's links), confirmed
    contributions and their amount per campaign, from the contributions' channel and
    source (two queries)."""
    rows = (
        partner_contributions(partner)
        .filter(campaign__in=campaigns)
        .values("campaign_id")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    out = Results()
    for campaign in campaigns:
        out.by_campaign[campaign.pk] = Brought(visits=0)
    for row in rows:
        brought = out.by_campaign.setdefault(row["campaign_id"], Brought(visits=0))
        brought.contributions = row["count"]
        brought.amount = row["amount"] or Decimal("0.00")
    visits = (
        ChannelVisit.objects.filter(
            campaign__in=campaigns, channel=PARTNER_CHANNEL, ref=partner.slug
        )
        .values("campaign_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in visits:
        out.by_campaign.setdefault(row["campaign_id"], Brought(visits=0)).visits = row["n"]
    return out


# --- relay marks -------------------------------------------------------------------------


def marks_of(partner: Partner, campaigns: list[Campaign]) -> dict[int, list[RelayMark]]:
    found: dict[int, list[RelayMark]] = {}
    for mark in RelayMark.objects.filter(partner=partner, campaign__in=campaigns).order_by(
        "-relayed_on", "-pk"
    ):
        found.setdefault(mark.campaign_id, []).append(mark)
    return found


def _check_member(user, partner: Partner) -> None:
    if not (
        user is not None
        and user.is_authenticated
        and PartnerMembership.objects.filter(partner=partner, user=user).exists()
    ):
        raise RelayError(_("Only the members of this partner organisation may do this."))


def _check_values(campaign: Campaign, relayed_on: date, place: str) -> None:
    if place not in RelayPlace.values:
        raise RelayError(_("Choose where you relayed the campaign."), code="place")
    today = timezone.now().astimezone(PARIS).date()
    if relayed_on > today:
        raise RelayError(_("The date of a relay cannot be in the future."), code="future")
    if relayed_on < EARLIEST_RELAY:
        raise RelayError(_("This date is too far in the past."), code="past")


@transaction.atomic
def mark_relay(
    partner: Partner,
    campaign: Campaign,
    *,
    by,
    relayed_on: date,
    place: str,
    detail: str = "",
    link: str = "",
) -> RelayMark:
    """Record that ``partner`` relayed ``campaign`` (``by``, one of its members)."""
    _check_member(by, partner)
    if not (
        campaign.state in RELAYED_STATES
        and campaign.programme.organiser_id == partner.organiser_id
        and campaign.programme.partners.filter(pk=partner.pk).exists()
    ):
        raise RelayError(_("This campaign is not one your organisation relays."), code="campaign")
    _check_values(campaign, relayed_on, place)
    mark = RelayMark.objects.create(
        partner=partner,
        campaign=campaign,
        relayed_on=relayed_on,
        place=place,
        detail=detail,
        link=link,
        created_by=by,
    )
    log_action(
        actions.KIT_RELAY_MARKED,
        obj=mark,
        user=by,
        data={"campaign": campaign.title, "place": place, "relayed_on": relayed_on.isoformat()},
    )
    return mark


@transaction.atomic
def change_relay(
    mark: RelayMark, *, by, relayed_on: date, place: str, detail: str = "", link: str = ""
) -> RelayMark:
    locked = RelayMark.objects.select_for_update().select_related("campaign").get(pk=mark.pk)
    _check_member(by, locked.partner)
    _check_values(locked.campaign, relayed_on, place)
    locked.relayed_on, locked.place, locked.detail, locked.link = relayed_on, place, detail, link
    locked.save()
    log_action(
        actions.KIT_RELAY_CHANGED,
        obj=locked,
        user=by,
        data={"place": place, "relayed_on": relayed_on.isoformat()},
    )
    return locked


@transaction.atomic
def delete_relay(mark: RelayMark, *, by) -> None:
    locked = RelayMark.objects.select_for_update().select_related("campaign").get(pk=mark.pk)
    _check_member(by, locked.partner)
    log_action(
        actions.KIT_RELAY_DELETED,
        obj=locked,
        user=by,
        data={"campaign": locked.campaign.title, "relayed_on": locked.relayed_on.isoformat()},
    )
    locked.delete()


# --- the organiser's view of a campaign's relays --------------------------------------------


@dataclass
class PartnerRelay:
    partner: Partner
    marks: list[RelayMark]
    brought: Brought


def campaign_relays(campaign: Campaign) -> list[PartnerRelay]:
    """For the organiser: each partner of the campaign's programme, what it marked as
    relayed and what its links brought to this campaign (three queries)."""
    partners = list(
        Partner.objects.filter(
            programmes=campaign.programme, organiser_id=campaign.programme.organiser_id
        ).order_by("name")
    )
    marks: dict[int, list[RelayMark]] = {}
    for mark in RelayMark.objects.filter(campaign=campaign).order_by("-relayed_on", "-pk"):
        marks.setdefault(mark.partner_id, []).append(mark)
    brought: dict[str, Brought] = {}
    rows = Contribution.objects.filter(
        campaign=campaign, channel=PARTNER_CHANNEL, state__in=CONTRIBUTION_COUNTED
    ).values_list("attribution", "amount")
    for source, amount in rows:
        ref = source.get("ref", "") if isinstance(source, dict) else ""
        figures = brought.setdefault(ref, Brought())
        figures.contributions += 1
        figures.amount += amount
    return [
        PartnerRelay(partner, marks.get(partner.pk, []), brought.get(partner.slug, Brought()))
        for partner in partners
    ]
