"""Forms of the contributors' space and of the receipt settings."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import MAX_AMOUNT, RewardTier
from tremplin.core.money import parse_amount, round_money
from tremplin.donors.beneficiary import SETTINGS_FIELDS
from tremplin.donors.models import ReceiptSettings
from tremplin.funding.forms import COUNTRIES

CODE_RE = re.compile(r"^[0-9]{6}$")
SIREN_RE = re.compile(r"^([0-9]{9}|W[0-9]{9})$")
POSTAL_RE = re.compile(r"^[0-9]{5}$")


def _one_line(value: str) -> str:
    return " ".join(value.split())


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address you contributed with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we sent you"),
        max_length=12,
        help_text=_("Six digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not CODE_RE.match(code):
            raise ValidationError(_("Type the six digits of the code."), code="format")
        return code


class ChoicesForm(forms.Form):
    hide_name = forms.BooleanField(label=_("Hide my name on the campaign's page"), required=False)
    hide_amount = forms.BooleanField(
        label=_("Hide my amount on the campaign's page"), required=False
    )
    news_consent = forms.BooleanField(
        label=_("Send me the campaign's news by e-mail"), required=False
    )


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Street address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=COUNTRIES,
        initial="FR",
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )

    def clean_address(self) -> str:
        return _one_line(self.cleaned_data["address"])

    def clean_city(self) -> str:
        return _one_line(self.cleaned_data["city"])

    def clean_postal_code(self) -> str:
        return _one_line(self.cleaned_data["postal_code"]).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("country") == "FR"
            and data.get("postal_code")
            and not POSTAL_RE.match(data["postal_code"])
        ):
            self.add_error("postal_code", _("A French postal code has five digits."))
        return data


class ReceiptSettingsForm(forms.ModelForm):
    """The beneficiary of a campaign and whether it may issue receipts; plus the value of
    each of the campaign's rewards (``reward_<pk>`` fields)."""

    class Meta:
        model = ReceiptSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, rewards: list[RewardTier], values: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.rewards = rewards
        for reward in rewards:
            value = values.get(reward.pk)
            self.fields[f"reward_{reward.pk}"] = forms.CharField(
                label=_("Value of “%(title)s” (€)") % {"title": reward.title},
                required=False,
                max_length=24,
                initial="" if value is None else str(value).replace(".", ","),
                help_text=_("What it would cost to buy; empty: worth nothing."),
            )

    def reward_fields(self):
        return [self[f"reward_{reward.pk}"] for reward in self.rewards]

    def settings_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean_legal_name(self) -> str:
        return _one_line(self.cleaned_data["legal_name"])

    def clean_identifier(self) -> str:
        value = self.cleaned_data["identifier"].replace(" ", "").upper()
        if value and not SIREN_RE.match(value):
            raise ValidationError(
                _("A SIREN number has 9 digits; an RNA number is W followed by 9 digits."),
                code="format",
            )
        return value

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if not POSTAL_RE.match(value):
            raise ValidationError(_("A French postal code has five digits."), code="format")
        return value

    def clean_signatory(self) -> str:
        return _one_line(self.cleaned_data["signatory"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("entitled") and not (data.get("article_200") or data.get("article_238_bis")):
            self.add_error(
                "article_200", _("Tick the article(s) of the CGI under which gifts are deductible.")
            )
        values: dict[int, Decimal | None] = {}
        for reward in self.rewards:
            name = f"reward_{reward.pk}"
            raw = (data.get(name) or "").strip()
            if not raw:
                values[reward.pk] = None
                continue
            try:
                value = parse_amount(raw)
            except (ValidationError, ValueError, ArithmeticError):
                self.add_error(name, _("Type an amount in euros, for example 12,50."))
                continue
            if value < 0 or value > MAX_AMOUNT:
                self.add_error(name, _("Type an amount between 0 and 1,000,000 €."))
                continue
            values[reward.pk] = round_money(value)
        data["reward_values"] = values
        return data
