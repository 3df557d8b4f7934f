"""The checkout: ``start_checkout`` validates the contribution, holds the chosen reward with
a conditional UPDATE (``claimed = claimed + 1 WHERE claimed < stock``: a limited stock is
never oversold) and stores a PENDING contribution under the form's idempotency key (a
replayed or double-clicked POST returns the same contribution and never holds a second
reward). ``checkout_redirect_url`` then opens the payment at the provider
(``tremplin.payments``), which tells funding what happened through its signals (see
``funding.receivers``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign, CampaignSettings, RewardTier
from tremplin.core.money import format_money
from tremplin.funding.enums import ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import (
    ADDRESS_FIELDS,
    MAX_MESSAGE,
    campaign_open_error,
    clean_amount,
    clean_attribution,
    clean_channel,
    clean_email,
    clean_name,
    clean_text,
    is_valid_key,
    settings_of,
)
from tremplin.funding.models import Contribution
from tremplin.funding.rewards import hold_reward
from tremplin.payments import services as payments
from tremplin.payments.enums import PAYMENT_OPEN

CHECKOUT_TTL = datetime.timedelta(minutes=30)
# A checkout holding one of the last units of a limited reward holds it for less time, so
# that unpaid checkouts cannot keep a scarce reward from the people who would pay: the
# last SCARCE_UNITS units (or the last quarter of a larger stock).
SCARCE_CHECKOUT_TTL = datetime.timedelta(minutes=10)
SCARCE_UNITS = 10


def is_scarce(stock: int | None, claimed: int) -> bool:
    """Is a reward with ``stock`` units, ``claimed`` of them held or sold (this checkout's
    unit included), scarce: was this unit one of the last?"""
    if stock is None:
        return False
    return stock - claimed < max(SCARCE_UNITS, stock // 4)


def _shorten_scarce_hold(contribution: Contribution, reward_id: int, now) -> None:
    """After a hold: a scarce reward is held for SCARCE_CHECKOUT_TTL only (the expiry job
    reads each checkout's own ``expires_at``)."""
    row = RewardTier.objects.filter(pk=reward_id).values_list("stock", "claimed").first()
    if row is not None and is_scarce(*row):
        contribution.expires_at = now + SCARCE_CHECKOUT_TTL
        Contribution.objects.filter(pk=contribution.pk).update(expires_at=contribution.expires_at)


def _existing(campaign: Campaign, key: str) -> Contribution | None:
    existing = Contribution.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.campaign_id != campaign.pk:
        raise FundingError(
            _("This form has expired: please reload the page and try again."), "key_reused"
        )
    return existing


def validate_checkout(
    campaign: Campaign, form_data: dict, *, rules: CampaignSettings | None = None
) -> dict[str, Any]:
    """The contribution's values, cleaned and checked against the programme's rules (amount
    bounds, reward offered by this campaign and its minimum, postal address when the reward
    is shipped; ``rules``: the programme's settings when the caller has read them already).
    Raises one FundingError holding every field's errors."""
    errors: dict[str, list] = {}
    if rules is None:
        rules = settings_of(campaign)
    amount: Decimal | None = None
    try:
        amount = clean_amount(form_data.get("amount"))
    except FundingError as error:
        errors.setdefault("amount", []).extend(error.error_dict["amount"])
    if amount is not None and amount < rules.min_contribution:
        errors.setdefault("amount", []).append(
            ValidationError(
                _("The minimum contribution is %(min)s.")
                % {"min": format_money(rules.min_contribution)},
                code="amount_min",
            )
        )
    elif amount is not None and amount > rules.max_contribution:
        errors.setdefault("amount", []).append(
            ValidationError(
                _("The maximum contribution is %(max)s.")
                % {"max": format_money(rules.max_contribution)},
                code="amount_max",
            )
        )
    reward = form_data.get("reward")
    if reward not in (None, ""):
        reward_id = reward.pk if isinstance(reward, RewardTier) else reward
        try:
            reward = RewardTier.objects.get(pk=int(reward_id), campaign_id=campaign.pk)
        except (RewardTier.DoesNotExist, TypeError, ValueError):
            errors.setdefault("reward", []).append(
                ValidationError(
                    _("This reward is not offered by this campaign."), code="reward_unknown"
                )
            )
            reward = None
    else:
        reward = None
    if reward is not None and amount is not None and amount < reward.min_amount:
        errors.setdefault("reward", []).append(
            ValidationError(
                _("This reward needs a contribution of at least %(min)s.")
                % {"min": format_money(reward.min_amount)},
                code="reward_min",
            )
        )
    name = clean_name(form_data.get("name"), errors)
    email = clean_email(form_data.get("email"), errors, required=True)
    address = {key: clean_text(form_data.get(key), limit) for key, limit in _ADDRESS_LIMITS.items()}
    if reward is not None and reward.requires_shipping:
        for key in ADDRESS_FIELDS:
            if not address[key]:
                errors.setdefault(key, []).append(
                    ValidationError(
                        _("This reward is sent by post: enter your postal address."),
                        code="address_required",
                    )
                )
        if not address["country"]:
            address["country"] = "FR"
    else:
        address = {"address": "", "postal_code": "", "city": "", "country": ""}
    message = str(form_data.get("message") or "").strip()
    if len(message) > MAX_MESSAGE:
        errors.setdefault("message", []).append(
            ValidationError(
                _("A message has at most %(max)d characters.") % {"max": MAX_MESSAGE},
                code="message_length",
            )
        )
    if errors:
        raise FundingError(errors, "invalid")
    return {
        "amount": amount,
        "reward": reward,
        "name": name,
        "email": email,
        **address,
        "hide_name": bool(form_data.get("hide_name")),
        "hide_amount": bool(form_data.get("hide_amount")),
        "message": message,
        "news_consent": bool(form_data.get("news_consent")),
        "language": clean_text(form_data.get("language"), 8) or "fr",
    }


_ADDRESS_LIMITS = {"address": 300, "postal_code": 12, "city": 100, "country": 2}


def start_checkout(
    campaign: Campaign,
    form_data: dict,
    *,
    idempotency_key: str,
    user=None,
    channel: str = "",
    attribution: dict | None = None,
    rules: CampaignSettings | None = None,
) -> Contribution:
    """Create the PENDING contribution of a checkout and hold its reward.

    ``form_data``: amount (text or Decimal), reward (RewardTier, its pk, or None), name,
    email, address, postal_code, city, country, hide_name, hide_amount, message,
    news_consent, language; ``channel`` and ``attribution`` (``ref``, ``utm_source``,
    ``utm_medium``, ``utm_campaign``): where the contributor came from; ``rules``: the
    programme's settings, when the caller has read them already. The same
    ``idempotency_key`` twice returns the first contribution (whatever the data) and never
    holds a second reward. Raises FundingError: the campaign is not live or past its
    deadline, a value is refused, the reward is sold out."""
    if not is_valid_key(idempotency_key):
        raise FundingError(
            _("This form has expired: please reload the page and try again."), "key_invalid"
        )
    existing = _existing(campaign, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    fresh = Campaign.objects.only("pk", "state", "ends_at", "programme_id").get(pk=campaign.pk)
    error = campaign_open_error(fresh, now)
    if error is not None:
        raise error
    data = validate_checkout(fresh, form_data, rules=rules)
    reward: RewardTier | None = data.pop("reward")
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                campaign_id=campaign.pk,
                reward=reward,
                user=user if getattr(user, "is_authenticated", False) else None,
                channel=clean_channel(channel),
                attribution=clean_attribution(attribution),
                idempotency_key=idempotency_key,
                expires_at=now + CHECKOUT_TTL,
                **data,
            )
            if reward is not None and not hold_reward(reward.pk):
                raise FundingError(
                    _(
                        "This reward is sold out: choose another one or contribute "
                        "without a reward."
                    ),
                    "sold_out",
                    "reward",
                )
            if reward is not None:
                _shorten_scarce_hold(contribution, reward.pk, now)
    except IntegrityError:
        # The same key, submitted at the same moment by a double click: the first wins.
        existing = _existing(campaign, idempotency_key)
        if existing is None:
            raise
        return existing
    contribution.campaign = campaign
    return contribution


def checkout_redirect_url(contribution: Contribution) -> str:
    """Where the contributor goes after the checkout form: the provider's payment page of
    the contribution's open payment (created once, under the contribution's lock, so a
    double click never opens two payments), or the status page when it is no longer
    pending."""
    with transaction.atomic():
        locked = (
            Contribution.objects.select_for_update(of=("self",))
            # the settings name the payment provider (payments.provider_identifier)
            .select_related("campaign__programme__campaign_settings")
            .get(pk=contribution.pk)
        )
        if locked.state != ContributionState.PENDING:
            return reverse("funding:thanks", args=[locked.idempotency_key])
        payment = (
            locked.payments.filter(state__in=PAYMENT_OPEN)
            .exclude(checkout_url="")
            .order_by("-created_at", "-pk")
            .first()
        )
        if payment is None:
            payment = payments.create_payment(locked)
        return payment.checkout_url or reverse("funding:thanks", args=[locked.idempotency_key])
