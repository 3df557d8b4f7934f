"""``{% load tracking_tags %}``: amounts in cents, alert rules in words."""

from __future__ import annotations

from django import template

from tremplin.core.money import format_money, from_cents
from tremplin.tracking.enums import AlertRule

register = template.Library()


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
