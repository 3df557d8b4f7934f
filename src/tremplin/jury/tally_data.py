"""The plain data of the tally (``jury.tally``): what it counts (candidates, submitted
ballots), what it gives (one result per application), the tie rules, and the helpers the
three methods share (the one rounding, the sentences that explain a rank)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

# Tie rules (ApplicationResult.tie_rule): the rule that decided the order inside a tie.
# Tie rules (ApplicationResult.tie_rule): the rule that decided the order inside a tie.
TIE_SUBMISSION_ORDER = "submission_order"
TIE_BALINSKI_LARAKI = "balinski_laraki"
TIE_EXACT = "exact_tie_submission_order"

TIE_RULES = {
    TIE_SUBMISSION_ORDER: _("Submission order (earliest submitted application first)"),
    TIE_BALINSKI_LARAKI: _(
        "Balinski–Laraki rule (one median grade removed from each tied application "
        "until their majority grades differ)"
    ),
    TIE_EXACT: _(
        "Exact tie: the same majority values for as long as both have grades, "
        "placed by submission order"
    ),
}

SIGN_PLUS = "+"
SIGN_MINUS = "-"


# ---------------------------------------------------------------------------------------
# Results (the public API; see the jury contract)


@dataclass
class ApplicationResult:
    application_id: int
    reference: str
    title: str
    rank: int = 0
    tie: bool = False
    tie_rule: str = ""
    explanation: str = ""
    favourites: int | None = None
    favourite_partners: list[str] = field(default_factory=list)
    majority_grade: int | None = None
    majority_sign: str = ""
    profile: list[int] = field(default_factory=list)
    ballots_counted: int = 0
    recusals: int = 0
    grid_average: Decimal | None = None
    criterion_averages: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class TallyResult:
    programme_slug: str
    method: str
    results: list[ApplicationResult]
    ballot_count: int
    quorum: int
    quorum_met: bool
    ballots_fingerprint: str
    grades: list[list[str]] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Plain input data (built by jury.loading from the database, or by hand in tests)


@dataclass(frozen=True)
class Candidate:
    """An application the jury judges. ``order`` is its position in submission order
    (earliest first): the last word of every tie."""

    application_id: int
    reference: str
    title: str
    order: int


@dataclass(frozen=True)
class CriterionData:
    id: int
    label_fr: str
    label_en: str = ""
    weight: Decimal = Decimal("1")
    position: int = 0

    @property
    def label(self) -> str:
        english = (get_language() or "fr").startswith("en")
        return self.label_en if english and self.label_en else self.label_fr


@dataclass(frozen=True, eq=False)
class BallotData:
    """One SUBMITTED ballot. ``grades``: application id → grade index (0 = best);
    ``scores``: (application id, criterion id) → score; ``member_email`` is "" for the
    ballot of a partner organisation."""

    partner_slug: str
    partner_name: str
    member_email: str = ""
    picks: frozenset[int] = frozenset()
    grades: Mapping[int, int] = field(default_factory=dict)
    scores: Mapping[tuple[int, int], int] = field(default_factory=dict)
    recusals: frozenset[int] = frozenset()

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.partner_slug, self.member_email)


@dataclass
class TallyInput:
    programme_slug: str
    method: str
    candidates: list[Candidate]
    ballots: list[BallotData]
    grades: list[list[str]] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)
    quorum: int = 0
    # Reference of every application a ballot mentions (candidates or not): the fingerprint
    # names applications by reference. Candidates' references are added automatically.
    references: dict[int, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Shared helpers


def quantize(value: Fraction | Decimal | int) -> Decimal:
    """The one rounding of the tally: exact value → Decimal with 2 places, ROUND_HALF_UP
    (halves away from zero), computed on the exact rational so that nothing is rounded twice."""
    exact = Fraction(value) * 100
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    cents = magnitude if exact >= 0 else -magnitude
    return Decimal(cents).scaleb(-2)


def recusal_counts(ballots: Iterable[BallotData]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for ballot in ballots:
        for app_id in ballot.recusals:
            counts[app_id] = counts.get(app_id, 0) + 1
    return counts


def recusal_sentence(recusals: int) -> str:
    if not recusals:
        return ""
    return ngettext(
        "%(count)d recusal (a conflict of interest was declared).",
        "%(count)d recusals (conflicts of interest were declared).",
        recusals,
    ) % {"count": recusals}


def join_sentences(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def tied_sentence(others: int) -> str:
    return ngettext(
        "Tied with %(count)d other application: ordered by submission order.",
        "Tied with %(count)d other applications: ordered by submission order.",
        others,
    ) % {"count": others}


def mark_ties(ordered: list[ApplicationResult], keys: list, rule: str) -> dict[int, int]:
    """Flag runs of equal ``keys`` (aligned with ``ordered``) as ties decided by ``rule``;
    return, for each flagged application id, the number of other applications in its run."""
    others: dict[int, int] = {}
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or keys[i] != keys[start]:
            if i - start > 1:
                for result in ordered[start:i]:
                    result.tie = True
                    result.tie_rule = rule
                    others[result.application_id] = i - start - 1
            start = i
    return others


def format_number(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)
