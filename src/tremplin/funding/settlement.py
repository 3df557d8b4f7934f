"""Closing and settlement: the money side of a campaign's close, its settlement statement,
and the settlement itself.

- ``close_funds`` answers campaigns' ``campaign_closed`` signal (see ``funding.receivers``),
  in the close's transaction, the campaign's row locked: once per campaign
  (``Campaign.funds_closed_at``, set under that lock), a failed all-or-nothing campaign's
  confirmed online payments are refunded — one Refund row per payment, retried by the
  payments app, never sent twice —, its offline contributions are listed for a manual
  refund and its matched funds go back to the pot; every contributor gets an e-mail (one
  per address). Funding never writes ``Campaign.state``: campaigns' clock decided the
  outcome before sending the signal.
- ``statement`` computes the settlement statement from the rows (never from the cached
  totals).
- ``settle`` checks the statement (every refund done…), records it in the audit log, then
  moves the campaign to SETTLED through ``campaigns.clock.mark_settled``. A refund the
  provider refused for good blocks it until the organiser retries it or records it as given
  back outside the platform (``payments.refund_recovery``; the statement lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.clock import mark_settled
from tremplin.campaigns.enums import CLOSED_OUTCOMES, CampaignState
from tremplin.campaigns.errors import refuse, wrong_state
from tremplin.campaigns.lifecycle import lock_campaign
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_organiser_editor
from tremplin.core.audit import log_action
from tremplin.core.contributor_links import space_path
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.money import ZERO, round_money
from tremplin.funding import actions
from tremplin.funding.enums import AllocationState, ContributionSource, ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import OFFLINE_SOURCES, settings_of
from tremplin.funding.matchfunding import release_allocations
from tremplin.funding.models import Contribution, MatchAllocation


@dataclass
class CloseResult:
    outcome: str
    refunds_requested: int = 0
    offline_to_refund: int = 0
    matched_released: Decimal = ZERO
    already_done: bool = False


def close_funds(campaign: Campaign, *, user=None) -> CloseResult:
    """The money side of a campaign's close (see the module's docstring). A campaign that is
    not SUCCEEDED, FAILED or CLOSED is refused (FundingError ``not_closable``); a second call
    does nothing (``already_done``)."""
    from tremplin.payments import services as payments
    from tremplin.payments.enums import PaymentState
    from tremplin.payments.models import Payment

    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state not in CLOSED_OUTCOMES:
            raise FundingError(
                _("Only a live or just closed campaign can be closed."), "not_closable"
            )
        result = CloseResult(outcome=locked.state)
        if locked.funds_closed_at is not None:
            result.already_done = True
            return result
        if locked.state == CampaignState.FAILED:
            allocations = list(
                MatchAllocation.objects.filter(
                    campaign=locked, state=AllocationState.CONFIRMED
                ).order_by("pk")
            )
            result.matched_released = release_allocations(locked.pk, allocations, now)
            to_refund = Payment.objects.filter(
                contribution__campaign=locked,
                contribution__state=ContributionState.CONFIRMED,
                state=PaymentState.CONFIRMED,
                refund__isnull=True,
            ).order_by("pk")
            for payment in to_refund:
                payments.request_refund(payment)
                result.refunds_requested += 1
            result.offline_to_refund = Contribution.objects.filter(
                campaign=locked,
                state=ContributionState.CONFIRMED,
                source__in=OFFLINE_SOURCES,
            ).count()
        Campaign.objects.filter(pk=locked.pk).update(funds_closed_at=now)
        log_action(
            actions.CAMPAIGN_FUNDING_CLOSED,
            obj=locked,
            user=user,
            data={
                "outcome": locked.state,
                "refunds_requested": result.refunds_requested,
                "offline_to_refund": result.offline_to_refund,
                "matched_released": str(result.matched_released),
            },
        )
        _mail_close(locked)
    return result


def _mail_close(campaign: Campaign) -> None:
    """The contributors' e-mails of a close, one per address (in the language of its latest
    contribution). The maker's e-mail is sent by the campaigns' close."""
    context = {
        "campaign": campaign.title,
        "outcome": campaign.state,
        "raised": str(campaign.raised_amount),
        "matched": str(campaign.matched_amount),
        "goal": str(campaign.goal),
        "path": f"/c/{campaign.slug}/",
    }
    rows = (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
        .exclude(email="")
        .order_by("-created_at", "-pk")
        .values_list("email", "name", "language", "source")
    )
    seen: set[str] = set()
    for email, name, language, source in rows:
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        send_mail_on_commit(
            "funding/email/campaign_closed_contributor",
            email,
            {
                **context,
                "name": name,
                "offline": source != ContributionSource.ONLINE,
                "space_path": space_path(email),
            },
            language=language,
        )


@dataclass
class SourceLine:
    source: str
    label: str
    count: int
    amount: Decimal


@dataclass
class Statement:
    """A campaign's settlement statement, computed from the contribution, allocation and
    refund rows (never from the cached totals)."""

    campaign: Campaign
    funding_rule: str
    online_count: int
    online_amount: Decimal
    offline_count: int
    offline_amount: Decimal
    offline_lines: list[SourceLine]
    matched_amount: Decimal
    matched_released: Decimal
    refunds_done_count: int
    refunds_done_amount: Decimal
    refunds_pending_count: int
    refunds_pending_amount: Decimal
    refunds_failed_count: int
    refunds_failed_amount: Decimal
    refunds_outside_count: int
    refunds_outside_amount: Decimal
    # The refunds the provider refused for good, for the organiser to retry or to record
    # as given back outside the platform (payments.refund_recovery).
    failed_refunds: list
    offline_to_refund: list[Contribution]
    offline_refunded_amount: Decimal
    fee_percent: Decimal
    fees: Decimal
    net_payout: Decimal
    totals_match: bool
    pending_checkouts: int

    @property
    def raised_amount(self) -> Decimal:
        return self.online_amount + self.offline_amount

    @property
    def failed(self) -> bool:
        return self.campaign.state == CampaignState.FAILED

    @property
    def project_total(self) -> Decimal:
        """What the project receives in all: the online payout, the offline money and the
        matched funds (nothing when the campaign failed: everything goes back)."""
        if self.failed:
            return ZERO
        return self.net_payout + self.offline_amount + self.matched_amount

    @property
    def can_settle(self) -> bool:
        if self.campaign.state in (CampaignState.SUCCEEDED, CampaignState.CLOSED):
            return True
        return (
            self.campaign.state == CampaignState.FAILED
            and self.online_amount == 0
            and self.refunds_pending_count == 0
            and self.refunds_failed_count == 0
            and not self.offline_to_refund
        )

    def lines(self) -> list[tuple[str, Decimal | int]]:
        """(label, value) pairs for the CSV export, in the reader's language."""
        return [
            (_("Confirmed online contributions"), self.online_count),
            (_("Raised online (€)"), self.online_amount),
            (_("Confirmed offline contributions"), self.offline_count),
            (_("Raised offline (€)"), self.offline_amount),
            *[
                (_("Offline: %(mode)s (€)") % {"mode": line.label}, line.amount)
                for line in self.offline_lines
            ],
            (_("Matched funds (€)"), self.matched_amount),
            (_("Matched funds released (€)"), self.matched_released),
            (_("Refunds done"), self.refunds_done_count),
            (_("Refunded online (€)"), self.refunds_done_amount),
            (_("Refunds in progress"), self.refunds_pending_count),
            (_("Refunds in progress (€)"), self.refunds_pending_amount),
            (_("Refunds failed"), self.refunds_failed_count),
            (_("Refunds failed (€)"), self.refunds_failed_amount),
            (_("Refunds made outside the platform"), self.refunds_outside_count),
            (_("Refunded outside the platform (€)"), self.refunds_outside_amount),
            (_("Offline contributions to refund by hand"), len(self.offline_to_refund)),
            (_("Offline contributions refunded (€)"), self.offline_refunded_amount),
            (_("Fees (%)"), self.fee_percent),
            (_("Fees (€)"), self.fees),
            (_("Net online payout (€)"), self.net_payout),
            (_("Total for the project (€)"), self.project_total),
        ]


def statement(campaign: Campaign) -> Statement:
    """The settlement statement of ``campaign`` (a handful of queries, from the rows)."""
    from tremplin.payments.enums import RefundState
    from tremplin.payments.models import Refund

    rules = settings_of(campaign)
    contributions = Contribution.objects.filter(campaign=campaign)
    by_source = {
        (row["source"], row["state"]): (row["n"], row["total"] or ZERO)
        for row in contributions.filter(
            state__in=(ContributionState.CONFIRMED, ContributionState.REFUNDED)
        )
        .values("source", "state")
        .annotate(n=Count("pk"), total=Sum("amount"))
    }
    online_count, online_amount = by_source.get(
        (ContributionSource.ONLINE, ContributionState.CONFIRMED), (0, ZERO)
    )
    offline_lines = []
    for source in OFFLINE_SOURCES:
        count, amount = by_source.get((source, ContributionState.CONFIRMED), (0, ZERO))
        if count:
            offline_lines.append(
                SourceLine(source, str(ContributionSource(source).label), count, amount)
            )
    offline_count = sum(line.count for line in offline_lines)
    offline_amount = sum((line.amount for line in offline_lines), ZERO)
    offline_refunded = sum(
        (by_source.get((s, ContributionState.REFUNDED), (0, ZERO))[1] for s in OFFLINE_SOURCES),
        ZERO,
    )
    allocations = {
        row["state"]: row["total"] or ZERO
        for row in MatchAllocation.objects.filter(campaign=campaign)
        .values("state")
        .annotate(total=Sum("amount"))
    }
    refunds = {
        row["state"]: (row["n"], row["total"] or ZERO)
        for row in Refund.objects.filter(payment__contribution__campaign=campaign)
        .values("state")
        .annotate(n=Count("pk"), total=Sum("amount"))
    }
    done_count, done_amount = refunds.get(RefundState.DONE, (0, ZERO))
    pending_count, pending_amount = refunds.get(RefundState.CREATED, (0, ZERO))
    failed_count, failed_amount = refunds.get(RefundState.FAILED, (0, ZERO))
    outside_count, outside_amount = refunds.get(RefundState.OUTSIDE, (0, ZERO))
    failed_refunds = (
        list(
            Refund.objects.filter(
                payment__contribution__campaign=campaign, state=RefundState.FAILED
            )
            .select_related("payment__contribution")
            .order_by("pk")
        )
        if failed_count
        else []
    )
    failed_campaign = campaign.state == CampaignState.FAILED
    offline_to_refund = (
        list(
            contributions.filter(
                state=ContributionState.CONFIRMED, source__in=OFFLINE_SOURCES
            ).order_by("confirmed_at", "pk")
        )
        if failed_campaign
        else []
    )
    fees = round_money(online_amount * rules.fee_percent / 100)
    net = ZERO if failed_campaign else online_amount - fees
    matched = allocations.get(AllocationState.CONFIRMED, ZERO)
    totals_match = (
        campaign.raised_amount == online_amount + offline_amount
        and campaign.contributor_count == online_count + offline_count
        and campaign.matched_amount == matched
    )
    return Statement(
        campaign=campaign,
        funding_rule=rules.funding_rule,
        online_count=online_count,
        online_amount=online_amount,
        offline_count=offline_count,
        offline_amount=offline_amount,
        offline_lines=offline_lines,
        matched_amount=matched,
        matched_released=allocations.get(AllocationState.RELEASED, ZERO),
        refunds_done_count=done_count,
        refunds_done_amount=done_amount,
        refunds_pending_count=pending_count,
        refunds_pending_amount=pending_amount,
        refunds_failed_count=failed_count,
        refunds_failed_amount=failed_amount,
        refunds_outside_count=outside_count,
        refunds_outside_amount=outside_amount,
        failed_refunds=failed_refunds,
        offline_to_refund=offline_to_refund,
        offline_refunded_amount=offline_refunded,
        fee_percent=rules.fee_percent,
        fees=fees,
        net_payout=net,
        totals_match=totals_match,
        pending_checkouts=contributions.filter(state=ContributionState.PENDING).count(),
    )


def settle(campaign: Campaign, *, user) -> Statement:
    """SUCCEEDED / FAILED / CLOSED → SETTLED once the money is paid out or refunded. A
    succeeded or keep-it-all campaign can be settled at once; a failed one once every
    online refund is done (or recorded as made outside the platform) and every offline
    contribution has been given back
    (``record_offline_refund``). Under the campaign's lock: the statement is checked
    (FundingError otherwise) and recorded in the audit log, then ``mark_settled`` moves the
    campaign and tells the maker."""
    if not is_organiser_editor(user, campaign):
        raise refuse()
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.state not in CLOSED_OUTCOMES:
            raise wrong_state(locked.state, _("settled"))
        result = statement(locked)
        if not result.can_settle:
            if locked.state == CampaignState.FAILED:
                raise FundingError(
                    _(
                        "The campaign can be settled once every contributor has been refunded: "
                        "some refunds are not done yet."
                    ),
                    "refunds_pending",
                )
            raise FundingError(_("Only a closed campaign can be settled."), "not_settleable")
        log_action(
            actions.CAMPAIGN_SETTLEMENT,
            obj=locked,
            user=user,
            data={
                "outcome": locked.state,
                "online": str(result.online_amount),
                "offline": str(result.offline_amount),
                "matched": str(result.matched_amount),
                "refunded": str(result.refunds_done_amount),
                "fees": str(result.fees),
                "net_payout": str(result.net_payout),
            },
        )
        mark_settled(locked, user=user)
    campaign.refresh_from_db()
    return result
