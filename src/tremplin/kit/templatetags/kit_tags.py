"""Template helpers of the kit: a proof's warnings as sentences for the reader."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

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
    return str(code)


@register.filter
def kit_language(code: str) -> str:
    return {"fr": _("French"), "en": _("English")}.get(code, code)
