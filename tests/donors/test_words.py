"""The amount in words of the receipts (« somme en toutes lettres »)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tremplin.donors.words import amount_in_words_fr

CASES = [
    ("0.50", "cinquante centimes"),
    ("80", "quatre-vingts euros"),
    ("1000", "mille euros"),
    ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
    ("1000000", "un million d'euros"),
    ("0.01", "un centime"),
    ("1", "un euro"),
    ("1.01", "un euro et un centime"),
    ("21", "vingt et un euros"),
    ("71", "soixante et onze euros"),
    ("81", "quatre-vingt-un euros"),
    ("99", "quatre-vingt-dix-neuf euros"),
    ("180", "cent quatre-vingts euros"),
    ("200", "deux cents euros"),
    ("201", "deux cent un euros"),
    ("80000", "quatre-vingt mille euros"),
    ("200000", "deux cent mille euros"),
    ("2000000", "deux millions d'euros"),
    ("1000200", "un million deux cents euros"),
    ("25.10", "vingt-cinq euros et dix centimes"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_amounts_in_words(amount, words):
    assert amount_in_words_fr(Decimal(amount)) == words


def test_rounded_to_the_cent():
    assert amount_in_words_fr(Decimal("10.005")) == "dix euros et un centime"


@pytest.mark.parametrize("amount", ["-1", "1000000000000"])
def test_out_of_range_is_refused(amount):
    with pytest.raises(ValueError):
        amount_in_words_fr(Decimal(amount))
