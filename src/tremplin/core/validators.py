from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value: str) -> None:
    if not _HEX.match(value or ""):
        raise ValidationError(_("Enter a colour as #RRGGBB, for example #0B5FA5."), code="colour")
