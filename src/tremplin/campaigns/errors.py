"""The refusals of the campaigns' verbs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tremplin.campaigns.enums import CampaignState
from tremplin.core.errors import DomainError


class CampaignError(DomainError):
    """A campaign verb refused what was asked (who, from which state, with what); the
    message is shown to the person, ``code`` names the reason."""


def refuse() -> CampaignError:
    return CampaignError(_("You are not allowed to do this."), code="forbidden")


def state_label(state: str) -> str:
    return str(CampaignState(state).label)


def wrong_state(state: str, action: str) -> CampaignError:
    """``action`` is the past participle of the refused verb (``_("settled")``)."""
    return CampaignError(
        _("A campaign in state “%(state)s” cannot be %(action)s.")
        % {"state": state_label(state), "action": action},
        code="state",
    )
