"""Tax receipts (Cerfa n° 11580*05) of gifts to a beneficiary entitled to them.

- ``issue_receipt(contribution_id)``: one confirmed gift of a campaign that kept its money
  (SUCCEEDED, CLOSED keep-it-all, then SETTLED), whose beneficiary is entitled, whose donor
  gave a postal address, gets one receipt: numbered without gaps per beneficiary and year
  (a counter row locked with ``select_for_update``, in the transaction that inserts the
  receipt, so a rollback gives its number back), everything it prints frozen on the row.
- ``issue_campaign_receipts(campaign)``: every receipt of a campaign at its close (the
  ``campaign_closed`` receiver, in the close's transaction) or when the organiser asks.
- ``cancel_receipt_of(contribution)``: a refund after the issue cancels the receipt, which
  is kept and marked (its number stays used).

Never for a refunded gift: only CONFIRMED contributions are issued, read under the
contribution's row lock; a refund takes that same lock (payment → contribution), then
cancels the receipt in its own transaction (``receivers``).

Lock order: campaign (a close) → contribution → receipt counter. The close locks the
contributions with SKIP LOCKED: one locked by a refund or a late confirmation is left to
that transaction (refunded: no receipt; confirmed: ``issue_receipt`` after its commit)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.contributor_links import space_path
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.money import ZERO, format_money, round_money
from tremplin.donors import actions
from tremplin.donors.enums import RECEIPT_TRANSITIONS, PaymentMethod, ReceiptState
from tremplin.donors.errors import DonorsError
from tremplin.donors.models import Receipt, ReceiptCounter, ReceiptSettings, RewardValue
from tremplin.donors.words import amount_in_words_fr
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.models import Contribution

# A campaign in one of these states has kept its gifts.
KEPT_STATES = (CampaignState.SUCCEEDED, CampaignState.CLOSED, CampaignState.SETTLED)


def beneficiary_key(identifier: str, legal_name: str) -> str:
    """What numbers receipts per beneficiary: its SIREN/RNA number, else its legal name."""
    if identifier:
        return identifier.strip().upper()
    return "name:" + (slugify(legal_name) or "-")[:200]


def entitled_settings(campaign_id: int) -> ReceiptSettings | None:
    return (
        ReceiptSettings.objects.select_related("campaign__programme")
        .filter(campaign_id=campaign_id, entitled=True)
        .first()
    )


def has_postal_address(contribution: Contribution) -> bool:
    return bool(
        contribution.address.strip()
        and contribution.postal_code.strip()
        and contribution.city.strip()
    )


def postal_address(address: str, postal_code: str, city: str, country: str = "FR") -> str:
    line = f"{address.strip()}, {postal_code.strip()} {city.strip()}"
    if country and country.upper() != "FR":
        line += f", {country.upper()}"
    return line


def payment_method_of(contribution: Contribution) -> str:
    if contribution.source == ContributionSource.CASH:
        return PaymentMethod.CASH
    if contribution.source == ContributionSource.CHEQUE:
        return PaymentMethod.CHEQUE
    return PaymentMethod.TRANSFER_OR_CARD


def reward_deduction(
    gift: Decimal, reward_value: Decimal, earlier_rewards: Decimal = ZERO
) -> tuple[Decimal, bool]:
    """(the amount the receipt states, whether the reward's value was deducted). A reward
    stays within the administration's tolerance when it is worth at most
    RECEIPT_REWARD_TOLERANCE_PERCENT % of the gift and the rewards of the donor's year
    (``earlier_rewards`` + this one) stay within RECEIPT_REWARD_CEILING_EUROS; beyond,
    its whole value is deducted."""
    if reward_value <= 0:
        return gift, False
    share = gift * Decimal(settings.RECEIPT_REWARD_TOLERANCE_PERCENT) / 100
    ceiling = Decimal(settings.RECEIPT_REWARD_CEILING_EUROS)
    if reward_value <= share and earlier_rewards + reward_value <= ceiling:
        return gift, False
    return max(round_money(gift - reward_value), ZERO), True


# --- numbering ------------------------------------------------------------------------------


def _read_counter(organiser_id: int, key: str, year: int) -> ReceiptCounter:
    """The counter row, locked until the end of the transaction."""
    return ReceiptCounter.objects.select_for_update().get(
        organiser_id=organiser_id, beneficiary_key=key, year=year
    )


def next_number(organiser_id: int, key: str, year: int) -> int:
    """The next number of the beneficiary's year, in the caller's transaction."""
    ReceiptCounter.objects.bulk_create(
        [ReceiptCounter(organiser_id=organiser_id, beneficiary_key=key, year=year)],
        ignore_conflicts=True,
    )
    counter = _read_counter(organiser_id, key, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


# --- issuing --------------------------------------------------------------------------------


@dataclass
class IssueResult:
    issued: int = 0
    awaiting_address: int = 0


def _issue(
    contribution: Contribution, rs: ReceiptSettings, now: datetime.datetime, *, notify: bool
) -> Receipt | None:
    """Number and store the receipt of ``contribution`` (locked, CONFIRMED, with an
    address), in the caller's transaction; None when its gift is wholly a reward's value."""
    organiser_id = rs.campaign.programme.organiser_id
    year = timezone.localdate(now).year
    key = rs.beneficiary_key
    number = next_number(organiser_id, key, year)  # serialises the beneficiary's year
    if Receipt.objects.filter(contribution_id=contribution.pk).exists():
        # Issued by another transaction while this one waited for the counter: raising
        # rolls this (sub)transaction back, the number with it.
        raise _AlreadyIssued
    reward_value = ZERO
    if contribution.reward_id:
        reward_value = (
            RewardValue.objects.filter(reward_id=contribution.reward_id)
            .values_list("value", flat=True)
            .first()
        ) or ZERO
    donor = contribution.email or contribution.name
    earlier = (
        Receipt.objects.filter(
            organiser_id=organiser_id,
            beneficiary_key=key,
            year=year,
            state=ReceiptState.ISSUED,
            **(
                {"donor_email": contribution.email} if contribution.email else {"donor_name": donor}
            ),
        ).aggregate(total=Sum("reward_value"))["total"]
        or ZERO
    )
    amount, deducted = reward_deduction(contribution.amount, reward_value, earlier)
    if amount <= 0:
        return None
    gift_moment = contribution.confirmed_at or contribution.created_at or now
    receipt = Receipt.objects.create(
        contribution=contribution,
        settings=rs,
        organiser_id=organiser_id,
        beneficiary_key=key,
        year=year,
        number=number,
        beneficiary_name=rs.legal_name,
        beneficiary_identifier=rs.identifier,
        beneficiary_address=postal_address(rs.address, rs.postal_code, rs.city),
        beneficiary_purpose=rs.purpose,
        articles=", ".join(rs.articles),
        signatory=rs.signatory,
        donor_name=contribution.name,
        donor_address=postal_address(
            contribution.address, contribution.postal_code, contribution.city, contribution.country
        ),
        donor_email=contribution.email,
        language=contribution.language or "fr",
        gift_amount=contribution.amount,
        reward_value=reward_value if contribution.reward_id else ZERO,
        reward_deducted=deducted,
        amount=amount,
        amount_in_words=amount_in_words_fr(amount),
        gift_date=timezone.localdate(gift_moment),
        gift_form=rs.gift_form,
        payment_method=payment_method_of(contribution),
        issued_at=now,
        emailed_at=None if notify else now,
    )
    log_action(
        actions.RECEIPT_ISSUED,
        obj=receipt,
        organiser=rs.campaign.programme.organiser,
        data={"receipt_number": receipt.order_number, "amount": str(amount)},
    )
    if notify and receipt.donor_email:
        from tremplin.donors.tasks import send_receipt

        receipt_pk = receipt.pk
        transaction.on_commit(lambda: send_receipt.enqueue(receipt_pk))
    return receipt


class _AlreadyIssued(Exception):
    pass


def _due(contribution: Contribution, campaign_state: str) -> bool:
    return contribution.state == ContributionState.CONFIRMED and campaign_state in KEPT_STATES


def issue_receipt(
    contribution_id: int, *, now: datetime.datetime | None = None, notify: bool = True
) -> Receipt | None:
    """The receipt of one gift if it is due now (see the module's docstring); None when it
    is not (not confirmed, campaign not over or failed, beneficiary not entitled, no postal
    address yet, already issued). Safe to call any number of times, from any process."""
    now = now or timezone.now()
    # Most gifts go to campaigns without receipts: one query, no lock, and done.
    entitled = ReceiptSettings.objects.filter(
        campaign__contributions__pk=contribution_id, entitled=True
    ).exists()
    if not entitled:
        return None
    try:
        with transaction.atomic():
            contribution = Contribution.objects.select_for_update().get(pk=contribution_id)
            campaign_state = (
                Campaign.objects.filter(pk=contribution.campaign_id)
                .values_list("state", flat=True)
                .get()
            )
            if not _due(contribution, campaign_state) or not has_postal_address(contribution):
                return None
            rs = entitled_settings(contribution.campaign_id)
            if rs is None or Receipt.objects.filter(contribution_id=contribution.pk).exists():
                return None
            return _issue(contribution, rs, now, notify=notify)
    except _AlreadyIssued:
        return None


def issue_campaign_receipts(
    campaign: Campaign, *, now: datetime.datetime | None = None, notify: bool = True
) -> IssueResult:
    """Every receipt due for ``campaign``; the donors who gave no postal address yet are
    asked for it (one e-mail per address, with the link to their space)."""
    now = now or timezone.now()
    result = IssueResult()
    with transaction.atomic():
        state = Campaign.objects.filter(pk=campaign.pk).values_list("state", flat=True).get()
        rs = entitled_settings(campaign.pk)
        if rs is None or state not in KEPT_STATES:
            return result
        due = (
            Contribution.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(campaign_id=campaign.pk, state=ContributionState.CONFIRMED)
            .filter(tax_receipt__isnull=True)
            .order_by("confirmed_at", "pk")
        )
        asked: set[str] = set()
        for contribution in due:
            if not has_postal_address(contribution):
                result.awaiting_address += 1
                if notify and contribution.email and contribution.email not in asked:
                    asked.add(contribution.email)
                    _ask_address(contribution, rs)
                continue
            try:
                with transaction.atomic():
                    if _issue(contribution, rs, now, notify=notify) is not None:
                        result.issued += 1
            except _AlreadyIssued:
                continue
    return result


def _ask_address(contribution: Contribution, rs: ReceiptSettings) -> None:
    send_mail_on_commit(
        "donors/email/address_needed",
        contribution.email,
        {
            "name": contribution.name,
            "beneficiary": rs.legal_name,
            "campaign": rs.campaign.title,
            "amount": str(contribution.amount),
            "space_path": space_path(contribution.email),
        },
        language=contribution.language,
    )


# --- cancelling -----------------------------------------------------------------------------


def cancel_receipt_of(contribution: Contribution, *, now: datetime.datetime | None = None) -> bool:
    """The gift was refunded: its issued receipt, if any, becomes CANCELLED (kept, its
    number used), in the refund's transaction; the donor is told. False without one."""
    now = now or timezone.now()
    receipt = (
        Receipt.objects.select_for_update()
        .filter(contribution_id=contribution.pk, state=ReceiptState.ISSUED)
        .first()
    )
    if receipt is None:
        return False
    if ReceiptState.CANCELLED not in RECEIPT_TRANSITIONS[receipt.state]:  # pragma: no cover
        raise DonorsError("A cancelled receipt cannot change.", "transition_refused")
    receipt.state = ReceiptState.CANCELLED
    receipt.cancelled_at = now
    receipt.save(update_fields=["state", "cancelled_at"])
    log_action(
        actions.RECEIPT_CANCELLED,
        obj=receipt,
        organiser=receipt.organiser,
        data={"receipt_number": receipt.order_number, "amount": str(receipt.amount)},
    )
    if receipt.donor_email:
        send_mail_on_commit(
            "donors/email/receipt_cancelled",
            receipt.donor_email,
            {
                "name": receipt.donor_name,
                "number": receipt.order_number,
                "beneficiary": receipt.beneficiary_name,
                "amount": str(receipt.amount),
                "amount_display": format_money(receipt.amount, cents=True),
                "space_path": space_path(receipt.donor_email),
            },
            language=receipt.language,
        )
    return True
