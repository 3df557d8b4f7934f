"""Template helpers of the jury: the "my juries" block of the dashboard."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("jury/_dashboard_juries.html", takes_context=True)
def my_juries(context) -> dict:
    """The signed-in user's seats on juries, with the state of their ballot."""
    from tremplin.jury.views import seat_rows

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"rows": []}
    return {"rows": seat_rows(user)}
