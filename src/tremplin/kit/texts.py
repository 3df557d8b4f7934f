"""The texts ready to post, in French and English: a short and a long post per network,
an e-mail, the magazine's paragraph. Each carries its tracked link (``?canal=reseaux`` with
the network as ``utm_source``, ``email``, ``magazine``). The organiser may edit them while
the version is a proof (``kit.proofs.edit_text``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.core.money import format_money
from tremplin.kit.content import (
    CHANNEL_EMAIL,
    CHANNEL_MAGAZINE,
    CHANNEL_SOCIAL,
    KitContent,
)
from tremplin.kit.enums import ItemGroup
from tremplin.kit.registry import ItemKind, Made, Unit

KIND = "text"
LANGUAGES = ("fr", "en")
NETWORKS = ("facebook", "instagram", "linkedin", "mastodon")
NETWORK_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon / Bluesky / X",
}
SHORT_LIMIT = 280  # what the shortest network takes
MAX_TEXT = 10000


def link(content: KitContent, variant: str) -> str:
    if variant in ("email",):
        return content.tracked_url(CHANNEL_EMAIL)
    if variant == "magazine":
        return content.tracked_url(CHANNEL_MAGAZINE)
    network = variant.rsplit("-", 1)[0]
    base = content.tracked_url(CHANNEL_SOCIAL)
    return f"{base}&{urlencode({'utm_source': network})}"


def variants() -> list[str]:
    names = [f"{network}-{length}" for network in NETWORKS for length in ("short", "long")]
    return [*names, "email", "magazine"]


def variant_label(variant: str) -> str:
    if variant == "email":
        return _("E-mail")
    if variant == "magazine":
        return _("Magazine paragraph")
    network, length = variant.rsplit("-", 1)
    if length == "short":
        return _("%(network)s — short post") % {"network": NETWORK_NAMES[network]}
    return _("%(network)s — long post") % {"network": NETWORK_NAMES[network]}


def _date(value) -> str:
    return date_format(timezone.localtime(value), "j F Y") if value else ""


def _goal(content: KitContent) -> str:
    return format_money(content.goal, cents=False)


def _hashtags(content: KitContent) -> str:
    words = "".join(part.capitalize() for part in content.programme_name.split() if part.isalnum())
    tags = [f"#{words}"] if words else []
    tags.append(_("#crowdfunding"))
    return " ".join(tags)


def short_post(content: KitContent, variant: str) -> str:
    url = link(content, variant)
    head = _("Support “%(title)s”, a laureate of %(programme)s!") % {
        "title": content.title,
        "programme": content.programme_name,
    }
    goal = _("Goal: %(goal)s.") % {"goal": _goal(content)}
    where = _("Link in bio.") if variant.startswith("instagram") else url
    tail = f"{goal} {where}"
    room = SHORT_LIMIT - len(head) - len(tail) - 2
    pitch = content.pitch if len(content.pitch) <= room else content.pitch[: max(0, room - 1)] + "…"
    text = f"{head} {pitch} {tail}" if room > 10 else f"{head} {tail}"
    return text[:SHORT_LIMIT] if variant.startswith("instagram") else text


def long_post(content: KitContent, variant: str) -> str:
    url = link(content, variant)
    values = {
        "title": content.title,
        "programme": content.programme_name,
        "maker": content.maker_name,
        "commune": content.commune,
        "goal": _goal(content),
        "end": _date(content.ends_at),
        "organiser": content.organiser_name,
    }
    lines = [
        _("📣 %(programme)s: meet “%(title)s”!") % values,
        "",
        content.pitch,
    ]
    if content.description_text:
        description = content.description_text
        if len(description) > 600:
            description = description[:600].rsplit(" ", 1)[0] + "…"
        lines += ["", description]
    lines += [
        "",
        (
            _("%(maker)s needs you to reach %(goal)s before %(end)s.")
            if content.maker_name and content.ends_at
            else _("The project needs you to reach %(goal)s.")
        )
        % values,
        _("Every contribution counts, from %(minimum)s.")
        % {"minimum": format_money(content.min_contribution)},
        "",
        _("👉 Link in bio.") if variant.startswith("instagram") else f"👉 {url}",
        "",
        _hashtags(content),
    ]
    return "\n".join(lines)


def email(content: KitContent) -> str:
    url = link(content, "email")
    values = {
        "title": content.title,
        "programme": content.programme_name,
        "maker": content.maker_name or content.title,
        "goal": _goal(content),
        "end": _date(content.ends_at),
        "organiser": content.organiser_name,
        "url": url,
    }
    lines = [
        _("Subject: Support “%(title)s”, a laureate of %(programme)s") % values,
        "",
        _("Hello,"),
        "",
        _(
            "“%(title)s” is one of the laureates of %(programme)s, the makers programme of "
            "%(organiser)s. Its crowdfunding campaign is open until %(end)s, with a goal of "
            "%(goal)s."
        )
        % values,
        "",
        content.pitch,
        "",
        _("You can support it, or just share it, here: %(url)s") % values,
        "",
        _("Thank you for your support!"),
    ]
    return "\n".join(lines)


def magazine(content: KitContent) -> str:
    url = link(content, "magazine")
    values = {
        "title": content.title,
        "programme": content.programme_name,
        "maker": content.maker_name,
        "commune": content.commune,
        "goal": _goal(content),
        "end": _date(content.ends_at),
        "organiser": content.organiser_name,
        "url": url,
    }
    first = (
        _("In %(commune)s, %(maker)s runs “%(title)s”, one of the laureates of %(programme)s.")
        if content.commune and content.maker_name
        else _("“%(title)s” is one of the laureates of %(programme)s.")
    ) % values
    return " ".join(
        [
            first,
            content.pitch.rstrip(".") + ".",
            _(
                "Its crowdfunding campaign runs until %(end)s with a goal of %(goal)s: every "
                "reader can take part at %(url)s."
            )
            % values,
        ]
    )


def make_text(content: KitContent, variant: str, language: str) -> str:
    with translation.override(language):
        if variant == "email":
            return email(content)
        if variant == "magazine":
            return magazine(content)
        if variant.endswith("-short"):
            return short_post(content, variant)
        return long_post(content, variant)


def _plan(content: KitContent) -> list[Unit]:
    units = []
    for language in LANGUAGES:
        for variant in variants():
            units.append(Unit(KIND, variant, language, variant_label(variant)))
    return units


def _make(content: KitContent, unit: Unit) -> Made:
    body = make_text(content, unit.variant, unit.language)
    return Made(
        body=body,
        media_type="text/plain",
        tracked_url=link(content, unit.variant),
        details={"characters": len(body)},
    )


TEXT = ItemKind(code=KIND, group=ItemGroup.TEXT, plan=_plan, make=_make, editable=True)
