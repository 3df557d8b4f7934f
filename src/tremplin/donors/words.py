"""Amounts in words, in French, for the tax receipt's “somme en toutes lettres”.

Traditional spelling (the one of accounting documents): hyphens below a hundred only,
« et » in 21, 31… 71, « quatre-vingts » and « deux cents » take an ``s`` when they end the
number and are not followed by « mille », « million » and « milliard » are nouns
(« deux millions d'euros »). Pure functions, no Django."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
# Beyond a thousand billion euros nobody gives: refused rather than spelled wrongly.
LIMIT = 10**12


def _below_100(n: int, *, final: bool) -> str:
    """0 < n < 100; ``final``: nothing follows (``quatre-vingts`` takes its ``s``)."""
    if n < 20:
        return UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in TENS:
        word = TENS[tens]
        if unit == 0:
            return word
        if unit == 1:
            return f"{word} et un"
        return f"{word}-{UNITS[unit]}"
    if tens == 7:  # soixante-dix … soixante-dix-neuf
        if unit == 1:
            return "soixante et onze"
        return f"soixante-{UNITS[10 + unit]}"
    # tens 8 and 9: quatre-vingt(s) …
    rest = n - 80
    if rest == 0:
        return "quatre-vingts" if final else "quatre-vingt"
    return f"quatre-vingt-{UNITS[rest]}"


def _below_1000(n: int, *, final: bool) -> str:
    """0 < n < 1000; ``final``: nothing follows or a noun (million, milliard) does."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        elif rest == 0 and final:
            parts.append(f"{UNITS[hundreds]} cents")
        else:
            parts.append(f"{UNITS[hundreds]} cent")
    if rest:
        parts.append(_below_100(rest, final=final))
    return " ".join(parts)


def number_in_words_fr(n: int) -> str:
    """A whole number 0 ≤ n < 10¹² in French words."""
    if n < 0 or n >= LIMIT:
        raise ValueError(f"{n} is out of range")
    if n == 0:
        return "zéro"
    billions, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    thousands, units = divmod(rest, 1000)
    parts = []
    for count, singular, plural in (
        (billions, "milliard", "milliards"),
        (millions, "million", "millions"),
    ):
        if count:
            parts.append(f"{_below_1000(count, final=True)} {singular if count == 1 else plural}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if units:
        parts.append(_below_1000(units, final=True))
    return " ".join(parts)


def amount_in_words_fr(amount: Decimal | str | int) -> str:
    """An amount in euros in French words: ``Decimal("1234.56")`` → « mille deux cent
    trente-quatre euros et cinquante-six centimes »; ``Decimal("0.50")`` → « cinquante
    centimes »; ``Decimal("1000000")`` → « un million d'euros ». Negative amounts and
    amounts of a thousand billion euros or more raise ValueError."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("a negative amount")
    cents_total = int(value * 100)
    euros, cents = divmod(cents_total, 100)
    parts = []
    if euros or not cents:
        words = number_in_words_fr(euros)
        if euros >= 10**6 and euros % 10**6 == 0:
            unit = "d'euros"
        elif euros in (0, 1):
            unit = "euro"
        else:
            unit = "euros"
        parts.append(f"{words} {unit}")
    if cents:
        parts.append(f"{number_in_words_fr(cents)} {'centime' if cents == 1 else 'centimes'}")
    return " et ".join(parts)
