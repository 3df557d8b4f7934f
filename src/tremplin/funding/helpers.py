"""Small shared pieces of the funding app: idempotency keys, the tracking channel, the
programme's crowdfunding settings and pot, the cleaning of amounts, names and e-mail
addresses, whether a campaign takes contributions, an offline row and its date check, and
the groups of campaign states that funding uses."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import ENDED_STATES, CampaignState
from tremplin.campaigns.models import MAX_AMOUNT, Campaign, CampaignSettings
from tremplin.core import attribution
from tremplin.core.dates import PARIS
from tremplin.core.money import format_money, parse_amount, round_money
from tremplin.funding.enums import ContributionSource
from tremplin.funding.errors import FundingError
from tremplin.funding.models import MatchfundingPot

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")

MAX_NAME = 150
MAX_MESSAGE = 500
MAX_REFERENCE = 100
ADDRESS_FIELDS = ("address", "postal_code", "city")
OFFLINE_SOURCES = (ContributionSource.CHEQUE, ContributionSource.CASH, ContributionSource.TRANSFER)
# Offline contributions can be recorded while the campaign is live and after a close that
# keeps the money (a cheque that arrives late), until the campaign is settled.
OFFLINE_STATES = (CampaignState.LIVE, CampaignState.SUCCEEDED, CampaignState.CLOSED)


def new_key() -> str:
    """A fresh idempotency key for a checkout form (uuid4, 32 hexadecimal characters)."""
    return uuid.uuid4().hex


def is_valid_key(key: Any) -> bool:
    return isinstance(key, str) and bool(KEY_PATTERN.match(key))


def clean_channel(value: Any) -> str:
    """The tracking channel (``?canal=``): a slug of at most 60 characters, else nothing."""
    return attribution.clean_value("canal", value)


def clean_attribution(values: Any) -> dict[str, str]:
    """The other sources of a contribution (``ref``, ``utm_source``, ``utm_medium``,
    ``utm_campaign``), cleaned (``core.attribution``); the channel is kept apart."""
    if not isinstance(values, dict):
        return {}
    found = attribution.from_query(values)
    found.pop("canal", None)
    return found


def settings_of(campaign: Campaign) -> CampaignSettings:
    """The programme's crowdfunding rules (the defaults when none are saved yet)."""
    try:
        return CampaignSettings.objects.get(programme_id=campaign.programme_id)
    except CampaignSettings.DoesNotExist:
        return CampaignSettings(programme_id=campaign.programme_id)


def pot_of(campaign: Campaign) -> MatchfundingPot | None:
    return MatchfundingPot.objects.filter(programme_id=campaign.programme_id).first()


def clean_amount(value: Any, *, field_name: str = "amount") -> Decimal:
    """An amount of money typed by a person or passed by code: a plain decimal number with
    at most two decimals, strictly positive and at most the platform's maximum. Raises
    FundingError (no exponent, NaN, infinity, letters)."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        try:
            amount = parse_amount(str(value if value is not None else ""))
        except ValueError:
            raise FundingError(
                _("Enter an amount in euros, for example 25 or 12,50."),
                "amount_invalid",
                field_name,
            ) from None
    if not amount.is_finite():
        raise FundingError(
            _("Enter an amount in euros, for example 25 or 12,50."), "amount_invalid", field_name
        )
    if amount <= 0:
        raise FundingError(_("The amount must be more than zero."), "amount_zero", field_name)
    if amount > MAX_AMOUNT:
        raise FundingError(
            _("The amount cannot be more than %(max)s.") % {"max": format_money(MAX_AMOUNT)},
            "amount_max",
            field_name,
        )
    if round_money(amount) != amount:
        raise FundingError(
            _("An amount has at most two decimals (cents), for example 12,50."),
            "amount_decimals",
            field_name,
        )
    return round_money(amount)


def clean_name(value: Any, errors: dict[str, list], *, required: bool = True) -> str:
    name = " ".join(str(value or "").split())
    if not name and required:
        errors.setdefault("name", []).append(
            ValidationError(_("Enter a name."), code="name_required")
        )
    elif len(name) > MAX_NAME:
        errors.setdefault("name", []).append(
            ValidationError(
                _("A name has at most %(max)d characters.") % {"max": MAX_NAME},
                code="name_length",
            )
        )
    elif "<" in name or ">" in name:
        errors.setdefault("name", []).append(
            ValidationError(_("A name cannot contain the characters < or >."), code="name_html")
        )
    return name


def clean_email(value: Any, errors: dict[str, list], *, required: bool) -> str:
    email = str(value or "").strip()
    if not email:
        if required:
            errors.setdefault("email", []).append(
                ValidationError(
                    _("Enter your e-mail address: we send the receipt there."),
                    code="email_required",
                )
            )
        return ""
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append(
            ValidationError(
                _("Enter a valid e-mail address, for example name@example.org."),
                code="email_invalid",
            )
        )
    return email


def clean_text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def campaign_open_error(
    campaign: Campaign, now: datetime.datetime | None = None
) -> FundingError | None:
    """Why ``campaign`` does not take contributions at ``now`` (by default: now), or None."""
    if now is None:
        now = timezone.now()
    live = campaign.state == CampaignState.LIVE
    if live and (campaign.ends_at is None or campaign.ends_at > now):
        return None
    if campaign.state in ENDED_STATES or campaign.state == CampaignState.LIVE:
        return FundingError(
            _("This campaign is closed: it no longer accepts contributions."), "campaign_closed"
        )
    if campaign.state == CampaignState.SCHEDULED:
        return FundingError(
            _("This campaign has not started yet: come back on its launch day."),
            "campaign_not_started",
        )
    return FundingError(_("This campaign does not accept contributions."), "campaign_not_live")


@dataclass
class OfflineRow:
    """One offline contribution, as entered in the form or read from a CSV line."""

    amount: Decimal
    name: str
    source: str
    received_on: datetime.date
    email: str = ""
    reference: str = ""
    hide_name: bool = False
    hide_amount: bool = False


def check_received_on(campaign: Campaign, day: datetime.date) -> str | None:
    """Why ``day`` is refused as the date an offline contribution was received, or None."""
    today = timezone.localdate(timezone.now(), PARIS)
    if day > today:
        return _("The date cannot be in the future.")
    if campaign.starts_at and day < timezone.localdate(campaign.starts_at, PARIS):
        return _("The date cannot be before the campaign started (%(date)s).") % {
            "date": timezone.localdate(campaign.starts_at, PARIS).strftime("%d/%m/%Y")
        }
    return None
