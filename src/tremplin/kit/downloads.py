"""What printers download: one ZIP per format for a programme, with the released poster of
every laureate in that format and a manifest (laureate, format, quantity); and the share
image served to social networks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import zipfile

from django.core import signing
from django.utils import timezone

from tremplin.calls.models import Programme
from tremplin.kit.enums import KitState
from tremplin.kit.formats import FormatSpec
from tremplin.kit.models import KitItem, KitVersion
from tremplin.kit.posters_kind import KIND as POSTER

logger = logging.getLogger(__name__)
MANIFEST_COLUMNS = (
    "laureate",
    "campaign",
    "format",
    "width_mm",
    "height_mm",
    "bleed_mm",
    "quantity",
    "file",
    "sha256",
    "kit_version",
    "released_at",
)


def released_posters(programme: Programme, code: str) -> list[KitItem]:
    """The poster in format ``code`` of the latest released version of each campaign."""
    latest: dict[int, KitVersion] = {}
    versions = KitVersion.objects.filter(
        campaign__programme=programme, state=KitState.RELEASED
    ).order_by("campaign_id", "-number")
    for version in versions:
        latest.setdefault(version.campaign_id, version)
    return list(
        KitItem.objects.filter(version__in=latest.values(), kind=POSTER, variant=code)
        .select_related("version__campaign__application")
        .order_by("version__campaign__title")
    )


def print_zip(programme: Programme, spec: FormatSpec) -> tuple[bytes, int]:
    """The ZIP for the printer and the number of posters in it."""
    items = released_posters(programme, spec.code)
    rows = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            try:
                with item.file.open("rb") as handle:
                    data = handle.read()
            except (OSError, ValueError):
                # A file lost by the storage: left out (and logged), never a failed ZIP.
                logger.warning("kit file missing: %s", item.file.name)
                continue
            campaign = item.version.campaign
            name = f"{campaign.slug}-{spec.code}-v{item.version.number}.pdf"
            archive.writestr(name, data)
            rows.append(
                {
                    "laureate": campaign.application.maker_name or campaign.title,
                    "campaign": campaign.title,
                    "format": spec.name,
                    "width_mm": spec.width_mm,
                    "height_mm": spec.height_mm,
                    "bleed_mm": spec.bleed_mm,
                    "quantity": item.details.get("quantity", spec.quantity),
                    "file": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "kit_version": item.version.number,
                    "released_at": timezone.localtime(item.version.released_at).isoformat(),
                }
            )
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        archive.writestr("manifest.csv", "\ufeff" + text.getvalue())
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "programme": programme.name,
                    "format": spec.name,
                    "code": spec.code,
                    "total_quantity": sum(row["quantity"] for row in rows),
                    "posters": rows,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue(), len(rows)


# The printer's link: signed, for one programme and one format, valid PRINTER_LINK_DAYS.
PRINTER_SALT = "tremplin.kit.printer"
PRINTER_LINK_DAYS = 30


def printer_token(programme: Programme, code: str) -> str:
    return signing.dumps({"p": programme.pk, "f": code}, salt=PRINTER_SALT, compress=True)


def read_printer_token(token: str) -> tuple[int, str] | None:
    """(programme id, format code) of a valid, unexpired token; None otherwise."""
    try:
        value = signing.loads(token, salt=PRINTER_SALT, max_age=PRINTER_LINK_DAYS * 86400)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    programme_id, code = value.get("p"), value.get("f")
    if not isinstance(programme_id, int) or not isinstance(code, str):
        return None
    return programme_id, code
