"""Offline contributions (cheque, cash, transfer): CONFIRMED when recorded, one by one
(``record_offline``) or from a CSV file (``import_offline_csv``; a bad file is refused
whole, see ``funding.offline_csv``), and given back by hand (``record_offline_refund``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.money import ZERO
from tremplin.funding.contributions import lock_contribution, mail_confirmed, refund_contribution
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import (
    OFFLINE_STATES,
    OfflineRow,
    check_received_on,
    clean_amount,
    is_valid_key,
    new_key,
)
from tremplin.funding.matchfunding import allocate_match
from tremplin.funding.models import Contribution
from tremplin.funding.offline_csv import CSVImportError, parse_offline_csv


def offline_error(campaign: Campaign) -> FundingError | None:
    if campaign.state in OFFLINE_STATES:
        return None
    return FundingError(
        _(
            "Offline contributions can be recorded while the campaign is live, or after it "
            "closed with its money kept, until it is settled."
        ),
        "offline_not_allowed",
    )


def _received_at(day: datetime.date) -> datetime.datetime:
    """Noon in Paris on the day the money was received (a day, not an instant)."""
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=PARIS)


def _create_offline(
    campaign: Campaign, row: OfflineRow, *, user, key: str, language: str
) -> Contribution:
    contribution = Contribution.objects.create(
        campaign_id=campaign.pk,
        amount=row.amount,
        state=ContributionState.CONFIRMED,
        source=row.source,
        name=row.name,
        email=row.email,
        language=language,
        country="",
        hide_name=row.hide_name,
        hide_amount=row.hide_amount,
        idempotency_key=key,
        offline_reference=row.reference,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        confirmed_at=_received_at(row.received_on),
    )
    contribution.campaign = campaign
    return contribution


def record_offline(
    campaign: Campaign, row: OfflineRow, *, user, key: str | None = None
) -> Contribution:
    """Record one offline contribution, CONFIRMED at once, the campaign's totals and its
    matchfunding updated in the same transaction. ``key`` (the form's idempotency key) makes
    a replayed POST return the first contribution."""
    full_key = f"offline-{key}" if key else f"offline-{new_key()}"
    existing = Contribution.objects.filter(idempotency_key=full_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            error = offline_error(locked)
            if error is not None:
                raise error
            problem = check_received_on(locked, row.received_on)
            if problem:
                raise FundingError(problem, "date", "received_on")
            row.amount = clean_amount(row.amount)
            contribution = _create_offline(
                locked, row, user=user, key=full_key, language=getattr(user, "language", "fr")
            )
            Campaign.objects.filter(pk=locked.pk).update(
                raised_amount=F("raised_amount") + contribution.amount,
                contributor_count=F("contributor_count") + 1,
            )
            if locked.state == CampaignState.LIVE:
                allocate_match(contribution, programme_id=locked.programme_id)
            log_action(
                "tremplin.contribution.offline_recorded",
                obj=locked,
                user=user,
                data={
                    "amount": str(contribution.amount),
                    "source": contribution.source,
                    "name": contribution.name,
                    "reference": contribution.offline_reference,
                    "contribution": contribution.pk,
                },
            )
            mail_confirmed(contribution)
    except IntegrityError:
        existing = Contribution.objects.filter(idempotency_key=full_key).first()
        if existing is None:
            raise
        return existing
    return contribution


def record_offline_refund(contribution: Contribution, *, user) -> Contribution:
    """The organiser gave an offline contribution back (after a failure, or by mistake):
    CONFIRMED → REFUNDED, totals and matchfunding given back. Online contributions are
    refunded through their payment only."""
    if contribution.source == ContributionSource.ONLINE:
        raise FundingError(
            _("An online contribution is refunded through its payment."), "online_refund"
        )
    with transaction.atomic():
        locked = lock_contribution(contribution.pk)
        if locked.state != ContributionState.CONFIRMED:
            raise FundingError(
                _("Only a confirmed contribution can be marked as refunded."), "not_confirmed"
            )
        refund_contribution(locked, timezone.now())
        log_action(
            "tremplin.contribution.offline_refunded",
            obj=Campaign.objects.get(pk=locked.campaign_id),
            user=user,
            data={"amount": str(locked.amount), "name": locked.name, "contribution": locked.pk},
        )
    return locked


@dataclass
class ImportResult:
    count: int
    total: Decimal
    contributions: list[Contribution]


def import_offline_csv(campaign: Campaign, data: bytes, *, user, key: str) -> ImportResult:
    """Import a whole CSV file of offline contributions in one transaction: every line is
    checked first and any problem refuses the whole file (CSVImportError, nothing stored).
    ``key`` (the upload form's idempotency key) makes a replayed upload import nothing
    twice: each line's contribution is keyed ``import-<key>-<line>``."""
    if not is_valid_key(key):
        raise CSVImportError([(None, _("This form has expired: reload the page and try again."))])
    error = offline_error(campaign)
    if error is not None:
        raise CSVImportError([(None, error.messages[0])])
    prefix = f"import-{key}-"
    previous = list(Contribution.objects.filter(idempotency_key__startswith=prefix))
    if previous:  # the same upload, posted again
        return ImportResult(len(previous), sum((c.amount for c in previous), ZERO), previous)
    existing_references = set(
        Contribution.objects.filter(campaign=campaign)
        .exclude(offline_reference="")
        .values_list("source", "offline_reference")
    )
    rows = parse_offline_csv(campaign, data, existing_references=existing_references)
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            error = offline_error(locked)
            if error is not None:
                raise CSVImportError([(None, error.messages[0])])
            language = getattr(user, "language", "fr")
            created = [
                _create_offline(locked, row, user=user, key=f"{prefix}{line}", language=language)
                for line, row in rows
            ]
            total = sum((c.amount for c in created), ZERO)
            Campaign.objects.filter(pk=locked.pk).update(
                raised_amount=F("raised_amount") + total,
                contributor_count=F("contributor_count") + len(created),
            )
            if locked.state == CampaignState.LIVE:
                for contribution in created:
                    allocate_match(contribution, programme_id=locked.programme_id)
            log_action(
                "tremplin.contributions.imported",
                obj=locked,
                user=user,
                data={"count": len(created), "amount": str(total)},
            )
    except IntegrityError:
        previous = list(Contribution.objects.filter(idempotency_key__startswith=prefix))
        if not previous:
            raise
        return ImportResult(len(previous), sum((c.amount for c in previous), ZERO), previous)
    return ImportResult(len(created), total, created)
