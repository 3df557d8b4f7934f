"""The kit's panel on the maker's backstage and the organiser's campaign page: the video's
captions, the widget's snippet and badge, each with a copy button."""

from __future__ import annotations

from django import template

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.rules import organiser_membership
from tremplin.kit import relay, rules, video
from tremplin.kit.widget import badge_snippet, badge_url, widget_snippet

register = template.Library()


@register.inclusion_tag("kit/_kit_panel.html", takes_context=True)
def kit_panel(context, campaign):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not rules.can_see_widget_snippet(user, campaign):
        return {"show": False}
    public = campaign.state in PUBLIC_STATES
    is_organiser = organiser_membership(user, campaign) is not None
    return {
        "relays": relay.campaign_relays(campaign) if is_organiser else [],
        "show": True,
        "campaign": campaign,
        "status": video.video_status(campaign),
        "can_edit_video": rules.can_edit_video(user, campaign),
        "public": public,
        "widget_snippet": widget_snippet(campaign) if public else "",
        "badge_snippet": badge_snippet(campaign) if public else "",
        "badge_url": badge_url(campaign) if public else "",
    }
