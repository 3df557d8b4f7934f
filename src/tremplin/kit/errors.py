"""The kit's refusals (``core.errors.DomainError``): the message is for the user."""

from __future__ import annotations

from tremplin.core.errors import DomainError


class KitError(DomainError):
    """A kit verb refused what was asked; nothing was changed."""


class FfmpegMissing(KitError):
    """ffmpeg cannot be found or run: videos cannot be checked or made."""


class RelayError(KitError):
    """A relay mark was refused (not a member of the partner, not a campaign of its
    programmes…)."""
