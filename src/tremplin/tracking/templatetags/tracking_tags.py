from __future__ import annotations

from django import template

from tremplin.core.money import format_money, from_cents

register = template.Library()


@register.filter
def cents(value) -> str:
    """An amount in cents as money: ``{{ line.raised_cents|cents }}``."""
    return format_money(from_cents(value or 0))


@register.filter
def signed_cents(value) -> str:
    value = int(value or 0)
    text = format_money(from_cents(abs(value)))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@register.filter
def percent_of(cents_value, goal_cents) -> str:
    if not goal_cents:
        return "—"
    return f"{round(100 * int(cents_value) / int(goal_cents))} %"
