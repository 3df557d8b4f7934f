"""core.fields: ids from a browser are parsed strictly before any query."""

from __future__ import annotations

import pytest
from django import forms

from tests import factories
from tremplin.core.fields import (
    MAX_ID,
    IdChoiceField,
    IdMultipleChoiceField,
    parse_id,
)
from tremplin.core.models import Partner

HOSTILE = ["", " ", "\x00", "1\x00", "abc", "1.5", "-1", "0", "١", "²", "9" * 40, str(MAX_ID + 1)]


@pytest.mark.parametrize("value", HOSTILE)
def test_parse_id_refuses_what_is_not_an_id(value):
    assert parse_id(value) is None


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), (" 42 ", 42), (7, 7), (str(MAX_ID), MAX_ID)]
)
def test_parse_id_reads_ids(value, expected):
    assert parse_id(value) == expected


def test_parse_id_refuses_booleans_and_none():
    assert parse_id(True) is None and parse_id(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE[2:])
def test_the_fields_refuse_hostile_ids_with_a_validation_error(value):
    partner = factories.PartnerFactory()

    class PartnerForm(forms.Form):
        one = IdChoiceField(queryset=Partner.objects.all())
        many = IdMultipleChoiceField(queryset=Partner.objects.all())

    form = PartnerForm({"one": value, "many": [str(partner.pk), value]})
    assert not form.is_valid()
    assert form.has_error("one", "invalid_choice")
    assert form.has_error("many", "invalid_choice")
    assert "\x00" not in str(form.errors)

    good = PartnerForm({"one": str(partner.pk), "many": [str(partner.pk)]})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["one"] == partner
    assert list(good.cleaned_data["many"]) == [partner]
