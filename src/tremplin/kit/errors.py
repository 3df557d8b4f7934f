"""The refusals of the kit's verbs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tremplin.core.errors import DomainError
from tremplin.kit.enums import KitState


class KitError(DomainError):
    """A kit verb refused what was asked; the message is shown to the person, ``code``
    names the reason."""


def refuse() -> KitError:
    return KitError(_("You are not allowed to do this."), code="forbidden")


def wrong_state(state: str, action: str) -> KitError:
    return KitError(
        _("A kit version in state “%(state)s” cannot be %(action)s.")
        % {"state": KitState(state).label, "action": action},
        code="state",
    )


class FfmpegMissing(KitError):
    """ffmpeg cannot be found or run: videos cannot be checked or made."""


class RelayError(KitError):
    """A relay mark was refused (not a member of the partner, not a campaign of its
    programmes…)."""
