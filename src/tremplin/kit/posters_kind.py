"""The posters as a kind of kit item: one PDF per print format of the organiser."""

from __future__ import annotations

from tremplin.kit.content import KitContent
from tremplin.kit.enums import ItemGroup
from tremplin.kit.posters import render_poster
from tremplin.kit.registry import ItemKind, Made, Unit

KIND = "poster"


def _plan(content: KitContent) -> list[Unit]:
    return [Unit(KIND, spec.code, "fr", spec.label) for spec in content.formats]


def _make(content: KitContent, unit: Unit) -> Made:
    spec = next(spec for spec in content.formats if spec.code == unit.variant)
    poster = render_poster(content, spec, label=unit.label)
    return Made(
        data=poster.pdf,
        extension="pdf",
        media_type="application/pdf",
        tracked_url=content.tracked_url(spec.channel),
        warnings=poster.warnings,
        details=poster.details,
    )


POSTER = ItemKind(code=KIND, group=ItemGroup.POSTER, plan=_plan, make=_make, printed=True)
