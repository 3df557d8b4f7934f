"""``{% load tracking_tags %}``: amounts in cents, alert rules in words."""

from __future__ import annotations

from django import template

from tremplin.core.money import format_money, from_cents
from tremplin.tracking.enums import AlertRule

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


@register.filter
def money_from_cents(value) -> str:
    try:
        return format_money(from_cents(int(value)), cents=False)
    except (TypeError, ValueError):
        return ""


@register.filter
def rule_label(value) -> str:
    try:
        return str(AlertRule(value).label)
    except ValueError:
        return ""


@register.filter
def chance_words(forecast) -> str:
    """``{{ forecast|chance_words }}``: "À ce rythme, 8 campagnes sur 10 comme celle-ci…"."""
    from tremplin.tracking.display import chance_sentence

    return chance_sentence(forecast) if forecast else ""


@register.filter
def projection_words(forecast) -> str:
    """``{{ forecast|projection_words }}``: "Montant final projeté : … (probablement entre …)"."""
    from tremplin.tracking.display import projection_sentence

    return projection_sentence(forecast) if forecast else ""
