"""Template helpers of the call for projects: the "my applications" block of the dashboard."""

from __future__ import annotations

from django import template

from tremplin.calls.models import Application, Programme

register = template.Library()

DASHBOARD_APPLICATIONS = 5


@register.inclusion_tag("calls/_dashboard_applications.html", takes_context=True)
def my_applications(context, memberships=None) -> dict:
    """The signed-in person's latest applications; someone with no application and no
    organiser team is shown the open calls instead."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    applications = Application.objects.filter(maker=user).select_related("programme")
    latest = list(applications.order_by("-updated_at")[:DASHBOARD_APPLICATIONS])
    open_calls = []
    if not latest:
        open_calls = list(
            Programme.objects.open_calls()
            .select_related("organiser")
            .order_by("call_closes_at")[:3]
        )
    return {
        "show": bool(latest) or not memberships,
        "applications": latest,
        "application_count": applications.count() if latest else 0,
        "open_calls": open_calls,
    }
