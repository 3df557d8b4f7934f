"""The organiser's side of the receipts: a campaign's beneficiary settings and the value of
its rewards (``save_receipt_settings``), and the yearly summary of each beneficiary
(``yearly_summary``): the total of the gifts and the number of receipts it must declare."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.core.audit import log_action
from tremplin.core.money import ZERO
from tremplin.donors import actions
from tremplin.donors.enums import ReceiptState
from tremplin.donors.models import Receipt, ReceiptSettings, RewardValue
from tremplin.donors.receipts import beneficiary_key

SETTINGS_FIELDS = (
    "entitled",
    "legal_name",
    "identifier",
    "address",
    "postal_code",
    "city",
    "purpose",
    "article_200",
    "article_238_bis",
    "gift_form",
    "signatory",
)


def save_receipt_settings(
    campaign: Campaign, data: dict, reward_values: dict[int, Decimal | None], *, user
) -> ReceiptSettings:
    """Create or change the campaign's beneficiary settings and its rewards' values.
    Receipts already issued keep what they printed."""
    with transaction.atomic():
        rs = ReceiptSettings.objects.select_for_update().filter(campaign=campaign).first()
        rs = rs or ReceiptSettings(campaign=campaign)
        for name in SETTINGS_FIELDS:
            setattr(rs, name, data[name])
        rs.beneficiary_key = beneficiary_key(rs.identifier, rs.legal_name)
        rs.save()
        rewards = set(RewardTier.objects.filter(campaign=campaign).values_list("pk", flat=True))
        for reward_pk, value in reward_values.items():
            if reward_pk not in rewards:
                continue
            if value is None:
                RewardValue.objects.filter(reward_id=reward_pk).delete()
            else:
                RewardValue.objects.update_or_create(reward_id=reward_pk, defaults={"value": value})
        log_action(
            actions.RECEIPT_SETTINGS_CHANGED,
            obj=campaign,
            user=user,
            data={"entitled": rs.entitled, "legal_name": rs.legal_name, "gift_form": rs.gift_form},
        )
    return rs


@dataclass
class BeneficiaryYear:
    key: str
    legal_name: str
    identifier: str
    receipts: int = 0
    total: Decimal = ZERO
    cancelled: int = 0
    cancelled_total: Decimal = ZERO
    campaigns: list[str] = field(default_factory=list)
    first_number: str = ""
    last_number: str = ""


def receipt_years(organiser) -> list[int]:
    return sorted(
        set(Receipt.objects.filter(organiser=organiser).values_list("year", flat=True)),
        reverse=True,
    )


def yearly_summary(organiser, year: int) -> list[BeneficiaryYear]:
    """One line per beneficiary of ``organiser`` for the receipts issued in ``year``: the
    valid receipts (to declare) and their total, the cancelled ones apart. Computed from the
    receipt rows."""
    issued = Q(state=ReceiptState.ISSUED)
    cancelled = Q(state=ReceiptState.CANCELLED)
    rows = (
        Receipt.objects.filter(organiser=organiser, year=year)
        .values("beneficiary_key")
        .annotate(
            receipts=Count("pk", filter=issued),
            total=Sum("amount", filter=issued),
            cancelled=Count("pk", filter=cancelled),
            cancelled_total=Sum("amount", filter=cancelled),
        )
        .order_by("beneficiary_key")
    )
    lines = []
    for row in rows:
        receipts = Receipt.objects.filter(
            organiser=organiser, year=year, beneficiary_key=row["beneficiary_key"]
        )
        latest = receipts.order_by("-number").first()
        first = receipts.order_by("number").first()
        campaigns = sorted(set(receipts.values_list("contribution__campaign__title", flat=True)))
        lines.append(
            BeneficiaryYear(
                key=row["beneficiary_key"],
                legal_name=latest.beneficiary_name,
                identifier=latest.beneficiary_identifier,
                receipts=row["receipts"],
                total=row["total"] or ZERO,
                cancelled=row["cancelled"],
                cancelled_total=row["cancelled_total"] or ZERO,
                campaigns=campaigns,
                first_number=first.order_number,
                last_number=latest.order_number,
            )
        )
    lines.sort(key=lambda line: line.legal_name.lower())
    return lines
