from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JuryMethod(models.TextChoices):
    FAVOURITES = "favourites", _("Favourites (coups de cœur)")
    MAJORITY_JUDGMENT = "majority_judgment", _("Majority judgment")
    GRID = "grid", _("Weighted criteria grid")


class JuryState(models.TextChoices):
    """Where a jury stands, derived (``Jury.state``) from its timestamps and its programme's
    state: nothing is stored."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Results published")


# Where a jury may go from each state; ``jury.transitions.ensure_transition`` checks it.
JURY_TRANSITIONS: dict[str, set[str]] = {
    JuryState.DRAFT: {JuryState.OPEN},
    JuryState.OPEN: {JuryState.CLOSED},
    JuryState.CLOSED: {JuryState.PUBLISHED},
    JuryState.PUBLISHED: set(),
}

# State groups of a jury.
# The ballots are frozen: the members and the voting rules can no longer change, the tally
# and the deliberation can be shown.
FROZEN_JURY_STATES = frozenset({JuryState.CLOSED, JuryState.PUBLISHED})


class BallotScope(models.TextChoices):
    PARTNER = "partner", _("One ballot per partner organisation")
    MEMBER = "member", _("One ballot per jury member")


class BallotState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("ballot", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("ballot", "Submitted")


class Outcome(models.TextChoices):
    LAUREATE = "laureate", _("Laureate")
    WAITING_LIST = "waiting_list", _("Waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")


# The default majority-judgment scale, best grade first: (French, English).
DEFAULT_GRADES: list[list[str]] = [
    ["Excellent", "Excellent"],
    ["Très bien", "Very good"],
    ["Bien", "Good"],
    ["Assez bien", "Fairly good"],
    ["Passable", "Passable"],
    ["Insuffisant", "Insufficient"],
    ["À rejeter", "To reject"],
]


def default_grades() -> list[list[str]]:
    return [list(pair) for pair in DEFAULT_GRADES]
