"""Reading ballots: what one ballot holds (the juror's own pages) and who has submitted
(the organiser's side: participation, never the content)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.models import Ballot, Grade, Jury, JuryMember, Pick, Recusal, Score

# --- reading a ballot (the juror's own pages) ------------------------------------------------


@dataclass
class BallotContents:
    """What one ballot holds, restricted to the jury's current candidates, read in a fixed
    number of queries. Only ever shown to the ballot's own juror(s)."""

    jury: Jury
    ballot: Ballot | None
    candidate_ids: set[int]
    criterion_ids: list[int]
    picks: set[int] = field(default_factory=set)
    grades: dict[int, int] = field(default_factory=dict)
    scores: dict[int, dict[int, int]] = field(default_factory=dict)
    recusals: dict[int, Recusal] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return self.ballot is not None and self.ballot.state == BallotState.SUBMITTED

    @property
    def pick_count(self) -> int:
        return len(self.picks)

    def to_judge(self) -> set[int]:
        """The candidates the ballot must vote on: all but the recused ones."""
        return self.candidate_ids - set(self.recusals)

    def unjudged(self) -> set[int]:
        """Majority judgment: candidates without a grade; grid: candidates with a
        criterion left unscored (recused ones excepted). Empty for favourites."""
        if self.jury.method == JuryMethod.MAJORITY_JUDGMENT:
            return {pk for pk in self.to_judge() if pk not in self.grades}
        if self.jury.method == JuryMethod.GRID:
            wanted = set(self.criterion_ids)
            return {pk for pk in self.to_judge() if not wanted <= set(self.scores.get(pk, {}))}
        return set()

    def missing_message(self) -> str:
        method = self.jury.method
        if method == JuryMethod.FAVOURITES:
            if self.pick_count == 0:
                return _("Pick at least one favourite before submitting your ballot.")
            if self.pick_count > self.jury.max_picks:
                return _(
                    "Your ballot holds %(count)d favourites but at most %(max)d are "
                    "allowed: remove some before submitting."
                ) % {"count": self.pick_count, "max": self.jury.max_picks}
            return ""
        left = len(self.unjudged())
        if not left:
            return ""
        if method == JuryMethod.MAJORITY_JUDGMENT:
            return ngettext(
                "%(count)d application has no grade yet: grade every application (or "
                "declare a conflict of interest) before submitting your ballot.",
                "%(count)d applications have no grade yet: grade every application (or "
                "declare a conflict of interest) before submitting your ballot.",
                left,
            ) % {"count": left}
        return ngettext(
            "%(count)d application is not fully scored yet: score every criterion of every "
            "application (or declare a conflict of interest) before submitting your ballot.",
            "%(count)d applications are not fully scored yet: score every criterion of every "
            "application (or declare a conflict of interest) before submitting your ballot.",
            left,
        ) % {"count": left}

    @property
    def complete(self) -> bool:
        return self.missing_message() == ""

    def counts(self) -> dict[str, int]:
        """Numbers only (for the audit log): never which application."""
        method = self.jury.method
        data = {"recusals": len(self.recusals)}
        if method == JuryMethod.FAVOURITES:
            data["picks"] = self.pick_count
        elif method == JuryMethod.MAJORITY_JUDGMENT:
            data["grades"] = len(self.grades)
        else:
            data["scores"] = sum(len(s) for s in self.scores.values())
        return data


def ballot_contents(
    jury: Jury, ballot: Ballot | None, candidate_ids: Iterable[int] | None = None
) -> BallotContents:
    """Read ``ballot`` (which may be None: nothing voted yet) against the candidates."""
    ids = (
        set(candidate_ids)
        if candidate_ids is not None
        else set(jury.candidates().values_list("pk", flat=True))
    )
    criterion_ids = (
        list(jury.criteria.values_list("pk", flat=True)) if jury.method == JuryMethod.GRID else []
    )
    contents = BallotContents(jury, ballot, ids, criterion_ids)
    if ballot is None or ballot.pk is None:
        return contents
    for recusal in Recusal.objects.filter(ballot=ballot, application_id__in=ids):
        contents.recusals[recusal.application_id] = recusal
    if jury.method == JuryMethod.FAVOURITES:
        contents.picks = set(
            Pick.objects.filter(ballot=ballot, application_id__in=ids).values_list(
                "application_id", flat=True
            )
        )
    elif jury.method == JuryMethod.MAJORITY_JUDGMENT:
        contents.grades = dict(
            Grade.objects.filter(ballot=ballot, application_id__in=ids).values_list(
                "application_id", "value"
            )
        )
    else:
        rows = Score.objects.filter(
            ballot=ballot, application_id__in=ids, criterion_id__in=criterion_ids
        ).values_list("application_id", "criterion_id", "value")
        for application_id, criterion_id, value in rows:
            contents.scores.setdefault(application_id, {})[criterion_id] = value
    return contents


# --- read helpers for the organiser side (who has submitted, never what) ------------------


def scope_filter(jury: Jury) -> dict:
    return {"member__isnull": jury.ballot_scope == BallotScope.PARTNER}


def submitted_ballot_count(jury: Jury) -> int:
    """How many ballots of the jury's current scope are submitted."""
    return Ballot.objects.filter(
        jury=jury, state=BallotState.SUBMITTED, **scope_filter(jury)
    ).count()


@dataclass(frozen=True)
class ParticipationRow:
    """One expected ballot: a partner organisation's (partner scope) or one member's.
    Holds whether and when it was submitted, and by whom, never its content."""

    partner_id: int
    partner_name: str
    member_id: int | None  # member scope only
    member_name: str  # member scope only
    members: tuple[str, ...]  # who can submit it (names or e-mails)
    submitted: bool
    submitted_at: datetime | None
    submitted_by: str


def participation(jury: Jury) -> list[ParticipationRow]:
    """Who has submitted, partner by partner (or member by member), sorted by name. Partners
    of the jury without any member still get a row (nobody can vote for them yet)."""
    members = list(
        JuryMember.objects.filter(jury=jury)
        .select_related("user", "partner")
        .order_by("partner__name", "user__full_name", "user__email")
    )
    ballots = list(
        Ballot.objects.filter(jury=jury, **scope_filter(jury))
        .select_related("submitted_by")
        .only("pk", "partner_id", "member_id", "state", "submitted_at", "submitted_by")
    )

    def status(ballot: Ballot | None) -> tuple[bool, datetime | None, str]:
        if ballot is None or ballot.state != BallotState.SUBMITTED:
            return False, None, ""
        by = ballot.submitted_by
        return True, ballot.submitted_at, str(by) if by else ""

    rows: list[ParticipationRow] = []
    if jury.ballot_scope == BallotScope.MEMBER:
        by_member = {b.member_id: b for b in ballots}
        for member in members:
            submitted, at, by = status(by_member.get(member.pk))
            name = str(member.user)
            rows.append(
                ParticipationRow(
                    member.partner_id,
                    member.partner.name,
                    member.pk,
                    name,
                    (name,),
                    submitted,
                    at,
                    by,
                )
            )
        return rows
    by_partner = {b.partner_id: b for b in ballots}
    people: dict[int, list[str]] = {}
    partners = {p.pk: p for p in jury.partners.all()}
    for member in members:
        people.setdefault(member.partner_id, []).append(str(member.user))
        partners.setdefault(member.partner_id, member.partner)
    for partner in sorted(partners.values(), key=lambda p: (p.name.lower(), p.pk)):
        submitted, at, by = status(by_partner.get(partner.pk))
        rows.append(
            ParticipationRow(
                partner.pk,
                partner.name,
                None,
                "",
                tuple(people.get(partner.pk, ())),
                submitted,
                at,
                by,
            )
        )
    return rows
