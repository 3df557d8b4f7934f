"""The print formats of the posters: three built in (A4 and A3 portrait, the street panel of
120 × 176 cm) and the custom ones an organiser adds (``PosterFormat``), all seen as one
``FormatSpec``. The verbs that add, change and remove a custom format live here too."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.audit import log_action
from tremplin.core.models import Organiser
from tremplin.kit import actions
from tremplin.kit.errors import KitError
from tremplin.kit.models import PosterFormat

DEFAULT_BLEED_MM = 5


@dataclass(frozen=True)
class FormatSpec:
    code: str
    name: str
    width_mm: float
    height_mm: float
    bleed_mm: float
    # How far the poster is read from: sizes the QR code (kit.posters.qr_side_mm).
    reading_distance_cm: int
    # The channel carried by the QR code and the short link (``?canal=``).
    channel: str
    # Copies per laureate, written in the printers' manifest.
    quantity: int
    builtin: bool = True

    @property
    def label(self) -> str:
        return f"{self.name} — {self.width_mm:g} × {self.height_mm:g} mm"


BUILTIN_FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("a4", str(gettext_lazy("A4 poster")), 210, 297, DEFAULT_BLEED_MM, 50, "affiche", 50),
    FormatSpec("a3", str(gettext_lazy("A3 poster")), 297, 420, DEFAULT_BLEED_MM, 80, "affiche", 20),
    # The street panel of bus shelters (mobilier urbain, 120 × 176 cm): 250 panels for the
    # ten laureates of the programme this product comes from.
    FormatSpec(
        "abribus",
        str(gettext_lazy("Street panel 120 × 176 cm")),
        1200,
        1760,
        DEFAULT_BLEED_MM,
        250,
        "bus",
        25,
    ),
)
BUILTIN_CODES = frozenset(spec.code for spec in BUILTIN_FORMATS)


def builtin_formats() -> list[FormatSpec]:
    """The built-in formats, named in the active language."""
    names = {
        "a4": _("A4 poster"),
        "a3": _("A3 poster"),
        "abribus": _("Street panel 120 × 176 cm"),
    }
    return [
        FormatSpec(**{**spec.__dict__, "name": names.get(spec.code, spec.name)})
        for spec in BUILTIN_FORMATS
    ]


def spec_of(poster_format: PosterFormat) -> FormatSpec:
    return FormatSpec(
        code=f"x-{poster_format.code}",
        name=poster_format.name,
        width_mm=poster_format.width_mm,
        height_mm=poster_format.height_mm,
        bleed_mm=poster_format.bleed_mm,
        reading_distance_cm=poster_format.reading_distance_cm,
        channel=poster_format.channel,
        quantity=poster_format.quantity,
        builtin=False,
    )


def formats_for(organiser_id: int) -> list[FormatSpec]:
    """Every format the organiser's kits are printed in: the built-in ones, then its own."""
    custom = PosterFormat.objects.filter(organiser_id=organiser_id).order_by("name", "pk")
    return builtin_formats() + [spec_of(row) for row in custom]


FORMAT_FIELDS = (
    "name",
    "code",
    "width_mm",
    "height_mm",
    "bleed_mm",
    "reading_distance_cm",
    "channel",
    "quantity",
)


def _save(poster_format: PosterFormat, *, user, action: str) -> PosterFormat:
    poster_format.full_clean()
    try:
        with transaction.atomic():
            poster_format.save()
            log_action(
                action,
                obj=poster_format,
                user=user,
                data={
                    "name": poster_format.name,
                    "size": f"{poster_format.width_mm}x{poster_format.height_mm}",
                },
            )
    except IntegrityError:
        raise KitError(
            _("The organiser already has a format with this code."), code="duplicate"
        ) from None
    return poster_format


def add_format(organiser: Organiser, *, user, values: dict) -> PosterFormat:
    """A custom format for the organiser's kits (the next kits are printed in it too)."""
    poster_format = PosterFormat(organiser=organiser, **{k: values[k] for k in FORMAT_FIELDS})
    return _save(poster_format, user=user, action=actions.KIT_FORMAT_ADDED)


def change_format(poster_format: PosterFormat, *, user, values: dict) -> PosterFormat:
    for name in FORMAT_FIELDS:
        setattr(poster_format, name, values[name])
    return _save(poster_format, user=user, action=actions.KIT_FORMAT_CHANGED)


def remove_format(poster_format: PosterFormat, *, user) -> None:
    with transaction.atomic():
        log_action(
            actions.KIT_FORMAT_REMOVED,
            obj=poster_format,
            user=user,
            data={"name": poster_format.name},
        )
        poster_format.delete()
