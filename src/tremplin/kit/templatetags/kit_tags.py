"""Template helpers of the kit: a proof's warnings as sentences for the reader; the kit's
panel on the maker's backstage and the organiser's campaign page (the video's captions,
the widget's snippet and badge, the partners' relays)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.rules import organiser_membership
from tremplin.kit import relay, rules, video
from tremplin.kit.widget import badge_snippet, badge_url, widget_snippet

register = template.Library()


@register.filter
def kit_warning(warning: dict) -> str:
    code = warning.get("code")
    if code == "low_dpi":
        return _(
            "The photo is only %(dpi)s dpi at its printed size (%(pixels)s pixels): below "
            "150 dpi it will look blurred up close. Upload a photo of at least %(needed)s "
            "pixels."
        ) % {
            "dpi": warning.get("dpi"),
            "pixels": warning.get("pixels"),
            "needed": warning.get("needed"),
        }
    if code == "no_photo":
        return _("The campaign page has no image: the poster shows a coloured block instead.")
    if code == "qr_small":
        return _(
            "The QR code is %(side)s mm wide where its reading distance asks for %(wanted)s "
            "mm: it may be hard to scan from afar."
        ) % {"side": warning.get("side_mm"), "wanted": warning.get("wanted_mm")}
    if code == "ffmpeg_missing":
        return _("The teaser could not be made: %(reason)s") % {"reason": warning.get("message")}
    return str(code)


@register.filter
def kit_language(code: str) -> str:
    return {"fr": _("French"), "en": _("English")}.get(code, code)


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
