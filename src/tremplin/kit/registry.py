"""The kinds of item a kit version holds, in one place.

An ``ItemKind`` says which items of its kind a campaign's content gets (``plan``: one per
format, per size, per language…) and how one is made (``make``: bytes or text, with its
alt text, tracked link, warnings and facts). The generation (``kit.generation``) walks
``kinds()`` in order, one item at a time, and counts them for the progress bar; the proof,
the printers' ZIP and the partners' portal read the items, whatever their kind.

A new kind (the teaser video of ``kit.teaser``) is one more line in ``kinds()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tremplin.kit.content import KitContent


@dataclass(frozen=True)
class Unit:
    """One item to make: ``variant`` (format code, size, text kind…) and ``language``
    distinguish the items of a kind."""

    kind: str
    variant: str
    language: str
    label: str


@dataclass
class Made:
    """What a kind's ``make`` returns for one unit: a file (``data`` with its
    ``extension`` and ``media_type``) and/or a text (``body``)."""

    data: bytes | None = None
    extension: str = ""
    media_type: str = ""
    body: str = ""
    alt_text: str = ""
    tracked_url: str = ""
    warnings: list[dict] = field(default_factory=list)
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ItemKind:
    code: str
    group: str  # an ItemGroup
    plan: Callable[[KitContent], list[Unit]]
    make: Callable[[KitContent, Unit], Made]
    # Printed items are downloaded by printers, one ZIP per variant (format).
    printed: bool = False
    # Text items can be edited by the organiser while the version is a proof; ``rerender``
    # makes the item's file again from its edited text (the press release's PDF).
    editable: bool = False
    rerender: Callable[[KitContent, Unit, str], Made] | None = None


def kinds() -> list[ItemKind]:
    """Every kind of item, in the order they are made and shown."""
    from tremplin.kit import posters_kind, press, teaser_kind, texts, visuals

    return [
        posters_kind.POSTER,
        visuals.VISUAL,
        texts.TEXT,
        press.PRESS,
        teaser_kind.TEASER,
    ]


def kind(code: str) -> ItemKind | None:
    return next((k for k in kinds() if k.code == code), None)


def plan(content: KitContent) -> list[Unit]:
    return [unit for item_kind in kinds() for unit in item_kind.plan(content)]
