"""What the organiser's jury pages show and export: the participation (who has submitted,
never what) and the tally as rows (one per application), for CSV. The JSON export of the
tally is ``tremplin.jury.tally.tally_to_json``, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext

from tremplin.calls.exports import Cell
from tremplin.core.dates import naive_paris
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.models import Ballot, Criterion, Jury, JuryMember


@dataclass
class ParticipationRow:
    """One expected ballot: a partner organisation's (its members prepare it together) or
    one member's."""

    partner: str
    members: list[JuryMember] = field(default_factory=list)
    submitted: bool = False
    started: bool = False
    submitted_at: datetime | None = None
    submitted_by: str = ""

    @property
    def member_names(self) -> str:
        return ", ".join(str(m.user) for m in self.members)


def participation(jury: Jury) -> list[ParticipationRow]:
    """Who has submitted a ballot, in three queries whatever the size of the jury."""
    members = list(
        JuryMember.objects.filter(jury=jury)
        .select_related("user", "partner")
        .order_by("partner__name", "user__full_name", "user__email")
    )
    ballots = list(Ballot.objects.filter(jury=jury).select_related("submitted_by"))
    rows: list[ParticipationRow] = []
    if jury.ballot_scope == BallotScope.MEMBER:
        by_member = {b.member_id: b for b in ballots if b.member_id}
        for member in members:
            rows.append(_row(member.partner.name, [member], by_member.get(member.pk)))
        return rows
    by_partner = {b.partner_id: b for b in ballots if b.member_id is None}
    seated: dict[int, list[JuryMember]] = {}
    for member in members:
        seated.setdefault(member.partner_id, []).append(member)
    for partner in jury.partners.order_by("name"):
        rows.append(_row(partner.name, seated.get(partner.pk, []), by_partner.get(partner.pk)))
    return rows


def _row(partner: str, members: list[JuryMember], ballot: Ballot | None) -> ParticipationRow:
    submitted = ballot is not None and ballot.state == BallotState.SUBMITTED
    return ParticipationRow(
        partner=partner,
        members=members,
        submitted=submitted,
        started=ballot is not None,
        submitted_at=ballot.submitted_at if submitted else None,
        submitted_by=str(ballot.submitted_by) if submitted and ballot.submitted_by else "",
    )


def participation_table(jury: Jury) -> tuple[list[str], Iterator[list[Cell]]]:
    header = [
        gettext("Partner organisation"),
        gettext("Jury members"),
        gettext("Ballot submitted"),
        gettext("Submitted at (Paris time)"),
        gettext("Submitted by"),
    ]
    rows = participation(jury)

    def cells() -> Iterator[list[Cell]]:
        for row in rows:
            yield [
                row.partner,
                row.member_names,
                gettext("yes") if row.submitted else gettext("no"),
                naive_paris(row.submitted_at),
                row.submitted_by,
            ]

    return header, cells()


def tally_table(jury: Jury, result) -> tuple[list[str], Iterator[list[Cell]]]:
    """The tally as one row per application, with the columns of the jury's method and
    the ballots' fingerprint on every row."""
    header = [gettext("Rank"), gettext("Reference"), gettext("Project title")]
    criteria: list[Criterion] = []
    labels = jury.grade_labels()
    if jury.method == JuryMethod.FAVOURITES:
        header += [gettext("Favourites"), gettext("Picked by")]
    elif jury.method == JuryMethod.MAJORITY_JUDGMENT:
        header += [gettext("Majority grade"), gettext("Sign")]
        header += [gettext("Grade “%(grade)s”") % {"grade": label} for label in labels]
    else:
        criteria = list(Criterion.objects.filter(jury=jury).order_by("position", "id"))
        header += [gettext("Weighted average")]
        header += [gettext("Average “%(criterion)s”") % {"criterion": c.label} for c in criteria]
    header += [
        gettext("Ballots counted"),
        gettext("Recusals"),
        gettext("Tie"),
        gettext("Tie rule"),
        gettext("Explanation"),
        gettext("Ballots fingerprint (SHA-256)"),
    ]

    def cells() -> Iterator[list[Cell]]:
        for r in result.results:
            row: list[Cell] = [r.rank, r.reference, r.title]
            if jury.method == JuryMethod.FAVOURITES:
                row += [r.favourites, ", ".join(r.favourite_partners)]
            elif jury.method == JuryMethod.MAJORITY_JUDGMENT:
                grade = labels[r.majority_grade] if r.majority_grade is not None else ""
                row += [grade, r.majority_sign]
                profile = list(r.profile) + [0] * (len(labels) - len(r.profile))
                row += profile[: len(labels)]
            else:
                row += [r.grid_average]
                row += [r.criterion_averages.get(c.pk) for c in criteria]
            row += [
                r.ballots_counted,
                r.recusals,
                gettext("yes") if r.tie else gettext("no"),
                r.tie_rule,
                r.explanation,
                result.ballots_fingerprint,
            ]
            yield row

    return header, cells()
