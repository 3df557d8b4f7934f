"""The one check of a jury's state changes against ``JURY_TRANSITIONS``."""

from __future__ import annotations

from tremplin.jury.enums import JURY_TRANSITIONS
from tremplin.jury.errors import JuryError
from tremplin.jury.models import Jury


def can_transition(jury: Jury, target: str) -> bool:
    return target in JURY_TRANSITIONS[jury.state]


def ensure_transition(jury: Jury, target: str, message: str) -> None:
    """Raise ``JuryError(message)`` unless ``jury`` may go to ``target`` now."""
    if not can_transition(jury, target):
        raise JuryError(message)
