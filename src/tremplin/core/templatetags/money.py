"""``{% load money %}`` then ``{{ amount|money }}``: the one way to show an amount."""

from django import template

from tremplin.core.money import format_money

register = template.Library()


@register.filter(name="money")
def money(value) -> str:
    return format_money(value)


@register.filter(name="money_cents")
def money_cents(value) -> str:
    """Always with cents, for statements and receipts."""
    return format_money(value, cents=True)
