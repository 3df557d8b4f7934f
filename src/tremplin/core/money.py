"""Money: Decimal euros with two places, never float.

One rounding helper (``round_money``), one parser for what people type (``parse_amount``:
"1 500,50", "12,50 €", "1,500.50"), one display function (``format_money``, behind the
``money`` template filter)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_MAX_INPUT = 24


def round_money(value: Decimal | int | str) -> Decimal:
    """The one rounding of amounts: to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Read an amount typed the French or the English way. Raises ValueError for anything
    that is not a plain decimal number (no exponent, NaN, infinity or letters)."""
    cleaned = _SPACES.sub("", str(text)).strip().strip("€")
    if not cleaned or len(cleaned) > _MAX_INPUT:
        raise ValueError(text)
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def format_money(value, *, cents: bool | None = None) -> str:
    """``1 500 €`` / ``12,50 €`` in French, ``€1,500`` / ``€12.50`` in English. Cents are
    shown when the amount has some, unless ``cents`` says otherwise."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    if cents is None:
        cents = amount != amount.to_integral_value()
    text = number_format(amount, decimal_pos=2 if cents else 0, use_l10n=True, force_grouping=True)
    if (get_language() or "fr").startswith("en"):
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}\u00a0€"


def to_cents(amount: Decimal) -> int:
    """Euros with two decimals to an integer number of cents (what providers speak)."""
    cents = Decimal(amount) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has more than two decimal places")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))
