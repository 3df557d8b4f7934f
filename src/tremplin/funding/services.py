"""The domain verbs of contributions and matchfunding.

Checkout (``start_checkout``) validates the contribution, holds the chosen reward with a
conditional UPDATE (``claimed = claimed + 1 WHERE claimed < stock``: a limited stock is never
oversold) and stores a PENDING contribution under the form's idempotency key (a replayed or
double-clicked POST returns the same contribution and never holds a second reward). The
payment itself belongs to ``tremplin.payments``, which calls back here, inside its own
transaction and with the payment row locked:

- ``on_payment_confirmed``: PENDING → CONFIRMED, campaign totals with F(), matchfunding;
- ``on_payment_failed``: PENDING → FAILED, the reward hold released once;
- ``on_refund_done``: CONFIRMED → REFUNDED, totals and matchfunding given back.

Locks are always taken in the same order (contribution → campaign → matchfunding pot), so two
transactions never wait on each other in a cycle.

A *late* confirmation (the checkout expired or failed, then the provider confirms the payment
anyway) is still counted, because the money was taken: the reward is claimed again if stock
remains, otherwise the contribution is flagged ``reward_unavailable`` for the organiser. If the
campaign has already failed (all-or-nothing), the late payment is refunded at once; if it has
closed otherwise, it counts but is not matched.

Offline contributions (cheque, cash, transfer) are CONFIRMED when recorded, one by one or from
a CSV file (a bad file is refused whole). At the deadline ``close_campaign`` refunds every
confirmed online payment of a failed all-or-nothing campaign exactly once (one Refund row per
payment), lists the offline ones for a manual refund and releases matched funds; ``settle``
produces the statement computed from the rows."""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import MAX_AMOUNT, Campaign, CampaignSettings, RewardTier
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.money import ZERO, format_money, parse_amount, round_money
from tremplin.funding.enums import (
    AllocationState,
    ContributionSource,
    ContributionState,
    MatchRule,
)
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot

CHECKOUT_TTL = datetime.timedelta(minutes=30)
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
CHANNEL_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
MAX_NAME = 150
MAX_MESSAGE = 500
MAX_REFERENCE = 100
ADDRESS_FIELDS = ("address", "postal_code", "city")
OFFLINE_SOURCES = (ContributionSource.CHEQUE, ContributionSource.CASH, ContributionSource.TRANSFER)
# States in which a campaign's page is public but no longer takes contributions.
ENDED_STATES = (
    CampaignState.SUCCEEDED,
    CampaignState.FAILED,
    CampaignState.CLOSED,
    CampaignState.SETTLED,
)
CLOSED_OUTCOMES = (CampaignState.SUCCEEDED, CampaignState.FAILED, CampaignState.CLOSED)
# Offline contributions can be recorded while the campaign is live and after a close that
# keeps the money (a cheque that arrives late), until the campaign is settled.
OFFLINE_STATES = (CampaignState.LIVE, CampaignState.SUCCEEDED, CampaignState.CLOSED)
FUNDING_CLOSED_ACTION = "tremplin.campaign.funding_closed"


class FundingError(ValidationError):
    """A contribution or a funding operation that is refused; the message is shown to the
    person. ``code`` names the reason; ``field`` the form field it belongs to, if any."""

    def __init__(self, message: Any, code: str = "invalid", field: str | None = None):
        if isinstance(message, dict):
            super().__init__(message)
        elif field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
        self.code = code
        self.field = field


# --- small helpers ----------------------------------------------------------------------------


def new_key() -> str:
    """A fresh idempotency key for a checkout form (uuid4, 32 hexadecimal characters)."""
    return uuid.uuid4().hex


def is_valid_key(key: Any) -> bool:
    return isinstance(key, str) and bool(KEY_PATTERN.match(key))


def clean_channel(value: Any) -> str:
    """The tracking channel (``?canal=``): a slug of at most 60 characters, else nothing."""
    if isinstance(value, str) and CHANNEL_PATTERN.match(value):
        return value.lower()
    return ""


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


def _clean_name(value: Any, errors: dict[str, list], *, required: bool = True) -> str:
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


def _clean_email(value: Any, errors: dict[str, list], *, required: bool) -> str:
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


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _campaign_open_error(campaign: Campaign, now: datetime.datetime) -> FundingError | None:
    """Why ``campaign`` does not take contributions now, or None."""
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


def campaign_open_error(campaign: Campaign) -> FundingError | None:
    """Why ``campaign`` does not take contributions now (for the views), or None."""
    return _campaign_open_error(campaign, timezone.now())


# --- checkout ---------------------------------------------------------------------------------


def _hold_reward(reward_id: int) -> bool:
    """Claim one unit of a reward: a conditional UPDATE, so two buyers of the last unit can
    never both get it (the database re-checks the condition on the locked row)."""
    return (
        RewardTier.objects.filter(pk=reward_id)
        .filter(Q(stock__isnull=True) | Q(claimed__lt=F("stock")))
        .update(claimed=F("claimed") + 1)
        == 1
    )


def _release_reward(reward_id: int) -> None:
    """Give back one unit of a reward (called only by a transition that happens once)."""
    RewardTier.objects.filter(pk=reward_id, claimed__gt=0).update(claimed=F("claimed") - 1)


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
    name = _clean_name(form_data.get("name"), errors)
    email = _clean_email(form_data.get("email"), errors, required=True)
    address = {key: _text(form_data.get(key), limit) for key, limit in _ADDRESS_LIMITS.items()}
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
        "language": _text(form_data.get("language"), 8) or "fr",
    }


_ADDRESS_LIMITS = {"address": 300, "postal_code": 12, "city": 100, "country": 2}


def start_checkout(
    campaign: Campaign,
    form_data: dict,
    *,
    idempotency_key: str,
    user=None,
    channel: str = "",
    rules: CampaignSettings | None = None,
) -> Contribution:
    """Create the PENDING contribution of a checkout and hold its reward.

    ``form_data``: amount (text or Decimal), reward (RewardTier, its pk, or None), name,
    email, address, postal_code, city, country, hide_name, hide_amount, message,
    news_consent, language; ``rules``: the programme's settings, when the caller has read
    them already. The same ``idempotency_key`` twice returns the first
    contribution (whatever the data) and never holds a second reward. Raises FundingError:
    the campaign is not live or past its deadline, a value is refused, the reward is sold
    out."""
    if not is_valid_key(idempotency_key):
        raise FundingError(
            _("This form has expired: please reload the page and try again."), "key_invalid"
        )
    existing = _existing(campaign, idempotency_key)
    if existing is not None:
        return existing
    now = timezone.now()
    fresh = Campaign.objects.only("pk", "state", "ends_at", "programme_id").get(pk=campaign.pk)
    error = _campaign_open_error(fresh, now)
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
                idempotency_key=idempotency_key,
                expires_at=now + CHECKOUT_TTL,
                **data,
            )
            if reward is not None and not _hold_reward(reward.pk):
                raise FundingError(
                    _(
                        "This reward is sold out: choose another one or contribute "
                        "without a reward."
                    ),
                    "sold_out",
                    "reward",
                )
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
    from django.urls import reverse

    from tremplin.payments import services as payments
    from tremplin.payments.enums import PaymentState

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
            locked.payments.filter(state__in=(PaymentState.CREATED, PaymentState.PENDING))
            .exclude(checkout_url="")
            .order_by("-created_at", "-pk")
            .first()
        )
        if payment is None:
            payment = payments.create_payment(locked)
        return payment.checkout_url or reverse("funding:thanks", args=[locked.idempotency_key])


# --- payment callbacks (called by tremplin.payments inside its transaction) ------------------


def _lock_contribution(pk: int) -> Contribution:
    return Contribution.objects.select_for_update().get(pk=pk)


def on_payment_confirmed(payment) -> None:
    """The provider confirmed ``payment`` (called by payments.services.confirm_payment,
    inside its transaction, the payment row locked). PENDING, FAILED or CANCELLED →
    CONFIRMED; a contribution already CONFIRMED or REFUNDED is left alone."""
    contribution = _lock_contribution(payment.contribution_id)
    if contribution.state in (ContributionState.CONFIRMED, ContributionState.REFUNDED):
        return
    late = contribution.state != ContributionState.PENDING
    # A late confirmation: the hold was released when the checkout expired or failed.
    reclaim = late and contribution.reward_id and not contribution.reward_unavailable
    if reclaim and not _hold_reward(contribution.reward_id):
        contribution.reward_unavailable = True
        log_action(
            "tremplin.contribution.reward_unavailable",
            obj=contribution,
            data={"reward": contribution.reward_id},
            organiser=_organiser(contribution.campaign_id),
        )
    _confirm(contribution, timezone.now())
    campaign = Campaign.objects.only("pk", "state", "programme_id").get(pk=contribution.campaign_id)
    if campaign.state == CampaignState.LIVE:
        allocate_match(contribution, programme_id=campaign.programme_id)
    elif campaign.state == CampaignState.FAILED:
        # Money taken after an all-or-nothing failure goes straight back.
        from tremplin.payments import services as payments

        payments.request_refund(payment)
        return
    _mail_confirmed(contribution)


def _organiser(campaign_id: int):
    from tremplin.core.models import Organiser

    organiser_id = (
        Campaign.objects.filter(pk=campaign_id).values_list("programme__organiser_id", flat=True)
    ).first()
    return Organiser(pk=organiser_id) if organiser_id else None


def _confirm(contribution: Contribution, when: datetime.datetime) -> None:
    """CONFIRMED and counted in the campaign's totals, in the caller's transaction."""
    contribution.state = ContributionState.CONFIRMED
    contribution.confirmed_at = contribution.confirmed_at or when
    contribution.expires_at = None
    contribution.save(update_fields=["state", "confirmed_at", "expires_at", "reward_unavailable"])
    Campaign.objects.filter(pk=contribution.campaign_id).update(
        raised_amount=F("raised_amount") + contribution.amount,
        contributor_count=F("contributor_count") + 1,
    )


def _mail_confirmed(contribution: Contribution) -> None:
    if not contribution.email:
        return
    campaign = Campaign.objects.only("slug", "title").get(pk=contribution.campaign_id)
    reward_title = ""
    if contribution.reward_id:
        reward_title = (
            RewardTier.objects.filter(pk=contribution.reward_id).values_list("title", flat=True)
        ).first() or ""
    send_mail_on_commit(
        "funding/email/contribution_confirmed",
        contribution.email,
        {
            "name": contribution.name,
            "campaign": campaign.title,
            "amount": str(contribution.amount),
            "reward": reward_title,
            "reward_unavailable": contribution.reward_unavailable,
            "path": f"/c/{campaign.slug}/",
            "offline": contribution.source != ContributionSource.ONLINE,
        },
        language=contribution.language,
    )


def on_payment_failed(payment) -> None:
    """The payment failed or was declined (called by payments.services.fail_payment inside
    its transaction). The contribution becomes FAILED and its reward hold is released —
    once: only while it is still PENDING and no other payment of it is still open."""
    from tremplin.payments.enums import PaymentState

    contribution = _lock_contribution(payment.contribution_id)
    if contribution.state != ContributionState.PENDING:
        return
    still_open = (
        contribution.payments.filter(state__in=(PaymentState.CREATED, PaymentState.PENDING))
        .exclude(pk=payment.pk)
        .exists()
    )
    if still_open:
        return
    contribution.state = ContributionState.FAILED
    contribution.expires_at = None
    contribution.save(update_fields=["state", "expires_at"])
    if contribution.reward_id:
        _release_reward(contribution.reward_id)


def on_refund_done(refund) -> None:
    """The provider has refunded ``refund.payment`` (called by payments.services inside its
    transaction). CONFIRMED → REFUNDED, campaign totals decreased, the contribution's matched
    funds given back to the pot, its reward unit released."""
    contribution = _lock_contribution(refund.payment.contribution_id)
    if contribution.state != ContributionState.CONFIRMED:
        return
    _unconfirm(contribution, timezone.now())


def _unconfirm(contribution: Contribution, when: datetime.datetime) -> None:
    contribution.state = ContributionState.REFUNDED
    contribution.refunded_at = when
    contribution.save(update_fields=["state", "refunded_at"])
    Campaign.objects.filter(pk=contribution.campaign_id).update(
        raised_amount=F("raised_amount") - contribution.amount,
        contributor_count=F("contributor_count") - 1,
    )
    allocation = MatchAllocation.objects.filter(
        contribution=contribution, state=AllocationState.CONFIRMED
    ).first()
    if allocation is not None:
        _release_allocations(contribution.campaign_id, [allocation], when)
    if contribution.reward_id and not contribution.reward_unavailable:
        _release_reward(contribution.reward_id)


# --- matchfunding -----------------------------------------------------------------------------


def _lock_pot(programme_id: int) -> MatchfundingPot | None:
    """The programme's pot, its row locked until the end of the transaction: allocations are
    computed and written one at a time, so the pot is never overspent."""
    return MatchfundingPot.objects.select_for_update().filter(programme_id=programme_id).first()


def _campaign_allocated(pot: MatchfundingPot, campaign_id: int) -> Decimal:
    total = MatchAllocation.objects.filter(
        pot=pot, campaign_id=campaign_id, state=AllocationState.CONFIRMED
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def ratio_match(
    amount: Decimal,
    pot: MatchfundingPot,
    campaign_allocated: Decimal,
) -> Decimal:
    """What the ratio rule gives to a contribution of ``amount``: amount × ratio, within the
    cap per contribution, what the campaign's cap leaves and what the pot has left."""
    candidates = [round_money(amount * pot.ratio), pot.budget - pot.allocated]
    if pot.cap_per_contribution is not None:
        candidates.append(pot.cap_per_contribution)
    if pot.cap_per_campaign is not None:
        candidates.append(pot.cap_per_campaign - campaign_allocated)
    return max(min(candidates), ZERO)


def allocate_match(
    contribution: Contribution, *, programme_id: int | None = None
) -> MatchAllocation | None:
    """Matchfunding for a contribution just confirmed (in the caller's transaction, after
    the campaign's totals have moved). Ratio rule: one allocation per contribution. Threshold
    grant: one allocation per campaign (``one_grant_per_campaign``) when its confirmed total
    reaches the threshold. Nothing when the programme has no pot or the pot is empty."""
    campaign_id = contribution.campaign_id
    if programme_id is None:
        programme_id = Campaign.objects.values_list("programme_id", flat=True).get(pk=campaign_id)
    pot = _lock_pot(programme_id)
    if pot is None or pot.remaining <= 0:
        return None
    if pot.rule == MatchRule.RATIO:
        amount = ratio_match(contribution.amount, pot, _campaign_allocated(pot, campaign_id))
        if amount <= 0:
            return None
        allocation = MatchAllocation.objects.create(
            pot=pot, campaign_id=campaign_id, contribution=contribution, amount=amount
        )
        contribution.matched_amount = amount
        Contribution.objects.filter(pk=contribution.pk).update(matched_amount=amount)
    else:
        if not pot.grant_amount or not pot.grant_threshold_percent:
            return None
        raised, goal = Campaign.objects.values_list("raised_amount", "goal").get(pk=campaign_id)
        if raised * 100 < goal * pot.grant_threshold_percent:
            return None
        if MatchAllocation.objects.filter(
            pot=pot, campaign_id=campaign_id, contribution__isnull=True
        ).exists():
            return None
        amount = min(pot.grant_amount, pot.remaining)
        allocation = MatchAllocation.objects.create(
            pot=pot, campaign_id=campaign_id, contribution=None, amount=amount
        )
    _add_allocated(pot, amount)
    Campaign.objects.filter(pk=campaign_id).update(matched_amount=F("matched_amount") + amount)
    return allocation


def _add_allocated(pot: MatchfundingPot, amount: Decimal) -> None:
    MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=F("allocated") + amount)
    pot.allocated += amount


def _release_allocations(
    campaign_id: int, allocations: list[MatchAllocation], when: datetime.datetime
) -> Decimal:
    """Give ``allocations`` (CONFIRMED) back to their pot; the total released."""
    if not allocations:
        return ZERO
    pot = MatchfundingPot.objects.select_for_update().get(pk=allocations[0].pot_id)
    total = sum((a.amount for a in allocations), ZERO)
    MatchAllocation.objects.filter(
        pk__in=[a.pk for a in allocations], state=AllocationState.CONFIRMED
    ).update(state=AllocationState.RELEASED, released_at=when)
    MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=F("allocated") - total)
    Campaign.objects.filter(pk=campaign_id).update(matched_amount=F("matched_amount") - total)
    Contribution.objects.filter(
        pk__in=[a.contribution_id for a in allocations if a.contribution_id]
    ).update(matched_amount=ZERO)
    return total


def save_pot(pot: MatchfundingPot, *, user, changed: list[str] | None = None) -> MatchfundingPot:
    """Create or change a programme's pot. The budget may not go below what is already
    allocated (checked under the pot's lock)."""
    with transaction.atomic():
        if pot.pk:
            locked = MatchfundingPot.objects.select_for_update().get(pk=pot.pk)
            if pot.budget < locked.allocated:
                raise FundingError(
                    _("The budget cannot be less than what is already allocated (%(amount)s).")
                    % {"amount": format_money(locked.allocated)},
                    "budget_below_allocated",
                    "budget",
                )
            pot.allocated = locked.allocated
            created = False
        else:
            pot.allocated = ZERO
            created = True
        pot.save()
        log_action(
            "tremplin.matchfunding.created" if created else "tremplin.matchfunding.changed",
            obj=pot.programme,
            user=user,
            data={"changed": changed or []} if not created else {"funder": pot.funder_name},
        )
    return pot


# --- expiry -----------------------------------------------------------------------------------


def expire_pending_checkouts(now: datetime.datetime | None = None, *, batch: int = 500) -> int:
    """PENDING checkouts past their ``expires_at`` → CANCELLED, their reward hold released,
    their open payments cancelled. Each contribution is claimed with a conditional UPDATE
    (still PENDING, still expired), so a run racing a confirmation, or another run, never
    releases a hold twice. The payments are cancelled after the claim commits (payments lock
    the payment before the contribution; doing it inside would invert that order). A payment
    the provider confirms later still counts: see ``on_payment_confirmed``."""
    from tremplin.payments import services as payments
    from tremplin.payments.enums import PaymentState
    from tremplin.payments.models import Payment

    now = now or timezone.now()
    count = 0
    while True:
        rows = list(
            Contribution.objects.filter(
                state=ContributionState.PENDING, expires_at__lt=now
            ).values_list("pk", "reward_id")[:batch]
        )
        expired: list[int] = []
        for pk, reward_id in rows:
            with transaction.atomic():
                claimed = Contribution.objects.filter(
                    pk=pk, state=ContributionState.PENDING, expires_at__lt=now
                ).update(state=ContributionState.CANCELLED)
                if claimed and reward_id:
                    _release_reward(reward_id)
            if claimed:
                expired.append(pk)
        count += len(expired)
        open_payments = Payment.objects.filter(
            contribution_id__in=expired,
            state__in=(PaymentState.CREATED, PaymentState.PENDING),
        ).values_list("pk", flat=True)
        for payment_pk in list(open_payments):
            payments.cancel_payment(payment_pk, reason="checkout_expired")
        if len(rows) < batch:
            return count


# --- offline contributions ------------------------------------------------------------------


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
            _mail_confirmed(contribution)
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
        locked = _lock_contribution(contribution.pk)
        if locked.state != ContributionState.CONFIRMED:
            raise FundingError(
                _("Only a confirmed contribution can be marked as refunded."), "not_confirmed"
            )
        _unconfirm(locked, timezone.now())
        log_action(
            "tremplin.contribution.offline_refunded",
            obj=Campaign.objects.get(pk=locked.campaign_id),
            user=user,
            data={"amount": str(locked.amount), "name": locked.name, "contribution": locked.pk},
        )
    return locked


# --- CSV import ---------------------------------------------------------------------------------

CSV_COLUMNS = ("date", "montant", "nom", "email", "mode", "reference", "anonyme")
CSV_REQUIRED_COLUMNS = ("date", "montant", "nom", "mode")
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_ROWS = 5000
CSV_MAX_ERRORS = 50
SOURCE_WORDS = {
    "cheque": ContributionSource.CHEQUE,
    "chèque": ContributionSource.CHEQUE,
    "especes": ContributionSource.CASH,
    "espèces": ContributionSource.CASH,
    "espece": ContributionSource.CASH,
    "espèce": ContributionSource.CASH,
    "cash": ContributionSource.CASH,
    "virement": ContributionSource.TRANSFER,
    "transfer": ContributionSource.TRANSFER,
}
YES_WORDS = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO_WORDS = {"non", "n", "no", "0", "faux", "false", ""}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


class CSVImportError(Exception):
    """A CSV file refused whole: ``errors`` is a list of (line number or None, message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        super().__init__(errors)
        self.errors = errors

    def messages(self) -> list[str]:
        out = []
        for line, message in self.errors:
            if line is None:
                out.append(message)
            else:
                out.append(_("Line %(line)d: %(message)s") % {"line": line, "message": message})
        return out


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_row(
    campaign: Campaign, values: dict[str, str], line: int, errors: list
) -> OfflineRow | None:
    problems: list[str] = []
    day = _parse_date(values.get("date", ""))
    if day is None:
        problems.append(
            _("the date “%(value)s” is not a date (write it as 31/12/2025).")
            % {"value": _short(values.get("date", ""))}
        )
    else:
        reason = check_received_on(campaign, day)
        if reason:
            problems.append(reason)
    amount = None
    try:
        amount = clean_amount(values.get("montant", ""))
    except FundingError as error:
        problems.append(
            _("the amount “%(value)s” is refused: %(reason)s")
            % {
                "value": _short(values.get("montant", "")),
                "reason": error.error_dict["amount"][0].messages[0],
            }
        )
    field_errors: dict[str, list] = {}
    name = _clean_name(values.get("nom", ""), field_errors)
    email = _clean_email(values.get("email", ""), field_errors, required=False)
    for messages in field_errors.values():
        problems.extend(m.messages[0] for m in messages)
    mode = values.get("mode", "").strip().lower()
    source = SOURCE_WORDS.get(mode)
    if source is None:
        problems.append(
            _("the mode “%(value)s” is unknown (write chèque, espèces or virement).")
            % {"value": _short(values.get("mode", ""))}
        )
    reference = " ".join(values.get("reference", "").split())
    if len(reference) > MAX_REFERENCE:
        problems.append(
            _("the reference has more than %(max)d characters.") % {"max": MAX_REFERENCE}
        )
    anonymous_text = values.get("anonyme", "").strip().lower()
    if anonymous_text not in YES_WORDS | NO_WORDS:
        problems.append(
            _("the column anonyme must be oui or non, not “%(value)s”.")
            % {"value": _short(values.get("anonyme", ""))}
        )
    if problems:
        errors.extend((line, problem) for problem in problems)
        return None
    return OfflineRow(
        amount=amount,
        name=name,
        source=source,
        received_on=day,
        email=email,
        reference=reference,
        hide_name=anonymous_text in YES_WORDS,
    )


def parse_offline_csv(campaign: Campaign, data: bytes) -> list[tuple[int, OfflineRow]]:
    """Read and check every line of an offline contributions file (see
    docs/offline-contributions.md). Raises CSVImportError listing every problem with its line
    number; returns (line number, row) pairs when the whole file is valid."""
    if len(data) > CSV_MAX_BYTES:
        raise CSVImportError([(None, _("The file is too large: 2 MB at most."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVImportError(
            [(None, _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."))]
        ) from None
    if "\x00" in text:
        raise CSVImportError([(None, _("The file is not a CSV text file."))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    errors: list[tuple[int | None, str]] = []
    try:
        header = next(reader, None)
    except csv.Error:
        raise CSVImportError([(1, _("the line cannot be read as CSV."))]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise CSVImportError([(None, _("The file is empty."))])
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and ("," in names[0] or "\t" in names[0]):
        raise CSVImportError(
            [(1, _("the columns must be separated by semicolons (;), not commas or tabs."))]
        )
    unknown = [name for name in names if name not in CSV_COLUMNS]
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in names]
    if unknown:
        errors.append(
            (
                1,
                _("unknown column(s): %(columns)s. The columns are: %(expected)s.")
                % {
                    "columns": ", ".join(_short(n, 30) for n in unknown),
                    "expected": ";".join(CSV_COLUMNS),
                },
            )
        )
    if missing:
        errors.append((1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}))
    if len(set(names)) != len(names):
        errors.append((1, _("a column appears twice.")))
    if errors:
        raise CSVImportError(errors)
    rows: list[tuple[int, OfflineRow]] = []
    seen_references: dict[tuple[str, str], int] = {}
    existing_references = set(
        Contribution.objects.filter(campaign=campaign)
        .exclude(offline_reference="")
        .values_list("source", "offline_reference")
    )
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len({e[0] for e in errors}) >= CSV_MAX_ROWS:
                errors.append((None, _("The file has too many lines: 5,000 at most.")))
                break
            if len(cells) != len(names):
                errors.append(
                    (
                        line,
                        _("%(found)d columns instead of %(expected)d.")
                        % {"found": len(cells), "expected": len(names)},
                    )
                )
                continue
            values = dict(zip(names, cells, strict=True))
            row = _parse_row(campaign, values, line, errors)
            if row is None:
                continue
            if row.reference:
                ref_key = (row.source, row.reference)
                if ref_key in existing_references:
                    errors.append(
                        (
                            line,
                            _("the reference “%(ref)s” is already recorded for this campaign.")
                            % {"ref": _short(row.reference)},
                        )
                    )
                    continue
                if ref_key in seen_references:
                    errors.append(
                        (
                            line,
                            _("the reference “%(ref)s” is already on line %(other)d.")
                            % {"ref": _short(row.reference), "other": seen_references[ref_key]},
                        )
                    )
                    continue
                seen_references[ref_key] = line
            rows.append((line, row))
    except csv.Error:
        errors.append((reader.line_num or line + 1, _("the line cannot be read as CSV.")))
    if not rows and not errors:
        errors.append((None, _("The file has no contribution: only its header line.")))
    if errors:
        raise CSVImportError(errors[:CSV_MAX_ERRORS])
    return rows


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
    rows = parse_offline_csv(campaign, data)
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
