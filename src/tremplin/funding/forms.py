"""Forms of funding: the contributor's checkout form, and the organiser's (or maker's)
offline contribution, CSV import, matchfunding pot and contributions filter forms.

The forms check types and lengths; the rules (amount bounds, rewards, stock, campaign
state) live in the domain modules (``funding.checkout``, ``funding.offline``…) and come
back as field errors."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tremplin.calls.forms import FrenchDecimalField, MoneyField
from tremplin.campaigns.models import Campaign, CampaignSettings, RewardTier
from tremplin.core.dates import PARIS
from tremplin.core.money import format_money
from tremplin.funding import helpers
from tremplin.funding.enums import ContributionSource, ContributionState, MatchRule
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import (
    MAX_MESSAGE,
    MAX_NAME,
    MAX_REFERENCE,
    OFFLINE_SOURCES,
    OfflineRow,
    check_received_on,
    clean_amount,
    is_valid_key,
)
from tremplin.funding.models import MatchfundingPot
from tremplin.funding.offline_csv import CSV_MAX_BYTES

COUNTRIES = (
    ("FR", _("France")),
    ("BE", _("Belgium")),
    ("LU", _("Luxembourg")),
    ("CH", _("Switzerland")),
    ("DE", _("Germany")),
    ("NL", _("Netherlands")),
    ("ES", _("Spain")),
    ("IT", _("Italy")),
    ("PT", _("Portugal")),
    ("GB", _("United Kingdom")),
    ("IE", _("Ireland")),
    ("AT", _("Austria")),
    ("DK", _("Denmark")),
    ("SE", _("Sweden")),
    ("FI", _("Finland")),
    ("PL", _("Poland")),
)
ADDRESS_FIELD_NAMES = ("address", "postal_code", "city", "country")


class AmountField(forms.CharField):
    """An amount typed the French way ("12,50") or the English way; read and checked by
    ``clean_amount`` (no exponent, NaN, infinity, more than two decimals)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return clean_amount(text)
        except FundingError as error:
            raise ValidationError(error.error_dict["amount"]) from None


class KeyField(forms.CharField):
    """The hidden idempotency key of a form (generated when the form is shown)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("This form has expired: reload the page and try again."),
                "max_length": _("This form has expired: reload the page and try again."),
            },
        )
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not is_valid_key(value):
            raise ValidationError(
                _("This form has expired: reload the page and try again."), code="key"
            )


def reward_label(reward: RewardTier) -> str:
    return f"{reward.title} ({format_money(reward.min_amount)})"


class ContributeForm(forms.Form):
    """The checkout form: no account needed."""

    amount = AmountField(
        label=_("Your contribution (€)"),
        help_text=_("In euros, for example 25 or 12,50."),
    )
    reward = forms.ChoiceField(
        label=_("Reward"), required=False, widget=forms.RadioSelect, choices=()
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send the confirmation of your contribution there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=COUNTRIES,
        required=False,
        initial="FR",
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    hide_name = forms.BooleanField(label=_("Hide my name"), required=False)
    hide_amount = forms.BooleanField(label=_("Hide my amount"), required=False)
    message = forms.CharField(
        label=_("A message to the maker"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("500 characters at most. Only the maker and the organiser read it."),
    )
    news_consent = forms.BooleanField(
        label=_("Send me the campaign's news"),
        required=False,
        help_text=_("The maker's news updates, by e-mail."),
    )
    key = KeyField()

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        rewards: list[RewardTier],
        minimum: Decimal,
        maximum: Decimal,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.rewards = rewards
        self.fields["reward"].choices = [
            ("", _("No reward")),
            *((str(r.pk), r.title) for r in rewards),
        ]
        self.fields["amount"].help_text = _(
            "In euros, for example 25 or 12,50: from %(min)s to %(max)s."
        ) % {"min": format_money(minimum), "max": format_money(maximum)}

    def selected_reward(self) -> RewardTier | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix("reward"))
        else:
            value = self.initial.get("reward")
        for reward in self.rewards:
            if str(reward.pk) == str(value or ""):
                return reward
        return None

    def checkout_data(self, language: str) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("key", None)
        data["reward"] = data.get("reward") or None
        data["language"] = language
        return data


class OfflineContributionForm(forms.Form):
    """One offline contribution: a cheque, cash or a bank transfer."""

    amount = AmountField(label=_("Amount (€)"), help_text=_("For example 25 or 12,50."))
    source = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(s.value, s.label) for s in OFFLINE_SOURCES],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    name = forms.CharField(label=_("Contributor's name"), max_length=MAX_NAME)
    email = forms.EmailField(
        label=_("Contributor's e-mail address"),
        max_length=254,
        required=False,
        help_text=_("If given, the contributor receives a confirmation."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=MAX_REFERENCE,
        required=False,
        help_text=_("Cheque number, transfer reference, receipt number…"),
    )
    hide_name = forms.BooleanField(label=_("Do not show the name on the page"), required=False)
    hide_amount = forms.BooleanField(label=_("Do not show the amount on the page"), required=False)
    key = KeyField()

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_name(self) -> str:
        errors: dict[str, list] = {}
        name = helpers.clean_name(self.cleaned_data["name"], errors)
        if errors:
            raise ValidationError(errors["name"])
        return name

    def clean_received_on(self) -> datetime.date:
        day = self.cleaned_data["received_on"]
        problem = check_received_on(self.campaign, day)
        if problem:
            raise ValidationError(problem, code="date")
        return day

    def row(self) -> OfflineRow:
        data = self.cleaned_data
        return OfflineRow(
            amount=data["amount"],
            name=data["name"],
            source=data["source"],
            received_on=data["received_on"],
            email=data.get("email") or "",
            reference=" ".join((data.get("reference") or "").split()),
            hide_name=data.get("hide_name", False),
            hide_amount=data.get("hide_amount", False),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns separated by semicolons (;), UTF-8, 2 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    key = KeyField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(_("The file is too large: 2 MB at most."), code="size")
        return upload


class PotForm(forms.ModelForm):
    budget = MoneyField(label=_("Budget (€)"), max_digits=12)
    ratio = FrenchDecimalField(
        label=_("Euros added per euro contributed"),
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("For example 1 (one euro per euro) or 0,5 (fifty cents per euro)."),
    )
    cap_per_contribution = MoneyField(
        label=_("Cap per contribution (€)"),
        required=False,
        help_text=_("Leave empty for no cap."),
    )
    cap_per_campaign = MoneyField(
        label=_("Cap per campaign (€)"),
        required=False,
        help_text=_("Leave empty for no cap."),
    )
    grant_amount = MoneyField(label=_("Grant (€)"), required=False)
    grant_threshold_percent = forms.IntegerField(
        label=_("Threshold (% of the goal)"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("The grant is given once, when a campaign reaches this share of its goal."),
    )
    # Saved on the programme's CampaignSettings (campaigns decides the outcome with it).
    counts_toward_goal = forms.BooleanField(
        label=capfirst(_("matched funds count toward the goal")),
        required=False,
        help_text=_(
            "If checked, a campaign reaches its goal with the contributions and the "
            "matched funds together."
        ),
    )

    class Meta:
        model = MatchfundingPot
        fields = [
            "funder_name",
            "budget",
            "rule",
            "ratio",
            "cap_per_contribution",
            "cap_per_campaign",
            "grant_amount",
            "grant_threshold_percent",
        ]
        widgets = {"rule": forms.RadioSelect}
        help_texts = {
            "funder_name": _("Shown on the campaign pages: “+ 1 250 € matched by …”."),
        }

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = list(MatchRule.choices)
        if "counts_toward_goal" not in self.initial:
            self.initial["counts_toward_goal"] = bool(
                CampaignSettings.objects.filter(programme_id=self.instance.programme_id)
                .values_list("matched_counts_toward_goal", flat=True)
                .first()
            )
        if read_only:
            for form_field in self.fields.values():
                form_field.disabled = True

    def clean_funder_name(self) -> str:
        name = " ".join(self.cleaned_data["funder_name"].split())
        if "<" in name or ">" in name:
            raise ValidationError(_("A name cannot contain the characters < or >."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        positive = ("budget", "cap_per_contribution", "cap_per_campaign", "grant_amount")
        for name in positive:
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("The amount cannot be negative."))
        if data.get("rule") == MatchRule.RATIO:
            ratio = data.get("ratio")
            if ratio is None:
                self.add_error("ratio", _("Enter how many euros are added per euro."))
            elif ratio <= 0 or ratio > 10:
                self.add_error("ratio", _("Enter a number more than 0 and at most 10."))
            for name in ("cap_per_contribution", "cap_per_campaign"):
                value = data.get(name)
                if value is not None and value <= 0:
                    self.add_error(name, _("A cap must be more than zero (or empty)."))
        elif data.get("rule") == MatchRule.THRESHOLD_GRANT:
            if not data.get("grant_amount"):
                self.add_error("grant_amount", _("Enter the amount of the grant."))
            if not data.get("grant_threshold_percent"):
                self.add_error("grant_threshold_percent", _("Enter the threshold."))
        if data.get("ratio") is None:
            data["ratio"] = self.instance.ratio or Decimal("1")
        return data


class ContributionFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        help_text=_("Name, e-mail address or reference."),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    source = forms.ChoiceField(label=_("Paid by"), required=False)
    reward = forms.ChoiceField(label=_("Reward"), required=False)
    channel = forms.CharField(label=_("Channel"), max_length=60, required=False)

    def __init__(self, *args: Any, rewards: list[RewardTier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state")), *ContributionState.choices]
        self.fields["source"].choices = [("", _("Any means")), *ContributionSource.choices]
        self.fields["reward"].choices = [
            ("", _("Any reward")),
            ("none", _("No reward")),
            ("unavailable", _("Reward no longer available")),
            *((str(r.pk), r.title) for r in rewards),
        ]

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "state": data.get("state") or "",
            "source": data.get("source") or "",
            "reward": data.get("reward") or "",
            "channel": (data.get("channel") or "").strip(),
        }


def today() -> datetime.date:
    return timezone.localdate(timezone.now(), PARIS)


class RefundOutsideForm(forms.Form):
    """A failed refund given back outside the platform: why, and the transfer's reference
    (both required; NUL bytes are refused by Django's CharField, markup is kept as text
    and escaped wherever it is shown)."""

    use_required_attribute = False

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the card has expired: refunded by bank transfer."),
    )
    reference = forms.CharField(
        label=_("Reference of the transfer"),
        max_length=100,
        help_text=_("The bank transfer's reference, to find it in the accounts."),
    )
