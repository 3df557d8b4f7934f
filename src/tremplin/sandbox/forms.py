from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.sandbox.api import card_outcome

_DIGITS = re.compile(r"^[0-9]+$")


def luhn_ok(number: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(number)):
        n = int(digit)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


class CardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        help_text=_("16 digits, spaces allowed."),
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    expiry = forms.CharField(
        label=_("Expiry date (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric"}),
    )
    cvc = forms.CharField(
        label=_("Security code (CVC)"),
        max_length=4,
        help_text=_("The 3 digits on the back of the card."),
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_card_number(self) -> str:
        number = "".join(self.cleaned_data["card_number"].split())
        if not _DIGITS.match(number) or len(number) != 16 or not luhn_ok(number):
            raise forms.ValidationError(
                _("This card number is not valid: enter the 16 digits of the card.")
            )
        if card_outcome(number) is None:
            raise forms.ValidationError(
                _("This test service only accepts its test cards, for example 4242 4242 4242 4242.")
            )
        return number

    def clean_expiry(self) -> date:
        text = self.cleaned_data["expiry"].replace(" ", "")
        match = re.match(r"^(\d{2})/(\d{2}|\d{4})$", text)
        if not match:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, for example 12/34."))
        month, year = int(match.group(1)), int(match.group(2))
        if year < 100:
            year += 2000
        if not 1 <= month <= 12:
            raise forms.ValidationError(_("The month of the expiry date must be 01 to 12."))
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return date(year, month, 1)

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not _DIGITS.match(cvc) or len(cvc) not in (3, 4):
            raise forms.ValidationError(_("The security code is the 3 digits on the back."))
        return cvc
