"""The domain verbs of the jury. Every change goes through one function here: it checks the
change is allowed, saves, writes the audit log and queues the e-mails that belong to it.

Two sections, written by two people:
- voting: what a juror does (ballot, favourites, grades, scores, recusal, submission) and
  the read helpers the organiser side uses (participation, never the content);
- set-up, close, deliberation, publication: what the organiser does.

Secrecy: before the jury closes nobody but the ballot's own juror(s) may learn what a ballot
holds. The audit log of a ballot therefore records counts only (how many favourites,
grades, scores, recusals), never which application was picked or graded how.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.calls.services import change_programme_state
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import Partner, PartnerMembership
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod, Outcome
from tremplin.jury.models import (
    Ballot,
    Criterion,
    Decision,
    Grade,
    Jury,
    JuryMember,
    Pick,
    Recusal,
    Score,
)
from tremplin.jury.tokens import make_invitation_token

# --- voting -------------------------------------------------------------------------------
#
# Rules:
# - a ballot belongs to a partner organisation (partner scope: its members share one draft,
#   any of them submits) or to one member (member scope), per ``Jury.ballot_scope``;
# - every change locks the ballot row (SELECT ... FOR UPDATE), then checks, under the lock,
#   that the jury accepts votes, that the user holds a seat for that ballot, that the
#   application is a candidate of that jury and not recused on that ballot, and the bounds
#   (K favourites, a grade of the scale, a score from 0 to the maximum): two requests on
#   the same ballot are serialised, so K is never exceeded;
# - submitting checks the ballot is complete (favourites: 1..K picks; majority judgment:
#   every non-recused candidate graded; grid: every criterion of every non-recused
#   candidate scored);
# - after submission the ballot can still be changed until the window closes. It STAYS
#   submitted and each change is re-validated: a change that would make it incomplete
#   (clearing a grade or a score, removing the last favourite) is refused. The one
#   exception is a recusal, which must always be possible: when it leaves a submitted
#   favourites ballot without any pick, the ballot goes back to draft (the juror is told).

READABLE_STATES = {
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
    ProgrammeState.RESULTS,
    ProgrammeState.CAMPAIGNS_LIVE,
    ProgrammeState.CAMPAIGNS_CLOSED,
    ProgrammeState.REPORT,
}
RECUSAL_REASON_MAX = 500


class VotingError(ValidationError):
    """A vote or a ballot change that is refused; the message is shown to the juror."""


def jury_is_readable(jury: Jury) -> bool:
    """Jurors see the candidates once the organiser has opened the jury (and afterwards,
    read-only); not during the set-up, when the list may still change."""
    return jury.programme.state in READABLE_STATES


def seat_of(jury: Jury, user) -> JuryMember | None:
    """The user's seat on the jury, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return JuryMember.objects.select_related("partner").filter(jury=jury, user=user).first()


def _ballot_lookup(jury: Jury, seat: JuryMember) -> dict:
    if jury.ballot_scope == BallotScope.MEMBER:
        return {"jury": jury, "partner_id": seat.partner_id, "member": seat}
    return {"jury": jury, "partner_id": seat.partner_id, "member": None}


def find_ballot(jury: Jury, seat: JuryMember) -> Ballot | None:
    """The seat's ballot if it exists (never creates one: for read-only pages)."""
    lookup = _ballot_lookup(jury, seat)
    return Ballot.objects.filter(**lookup).select_related("submitted_by").first()


def ballot_for(jury: Jury, user) -> Ballot:
    """The user's ballot on the jury, created as a draft on first use. Partner scope: the
    one ballot of the user's partner organisation, shared by its members."""
    seat = seat_of(jury, user)
    if seat is None:
        raise VotingError(_("You are not a member of this jury."), code="not_member")
    ballot, _created = Ballot.objects.get_or_create(**_ballot_lookup(jury, seat))
    ballot.jury = jury
    return ballot


def can_read_application(user, application: Application) -> bool:
    """Whether ``user`` sits on the jury judging ``application`` (and may read it in full,
    files and images included): the jury is opened (or over) and the application is one of
    its candidates."""
    if not getattr(user, "is_authenticated", False):
        return False
    jury = (
        Jury.objects.select_related("programme")
        .filter(programme_id=application.programme_id)
        .first()
    )
    if jury is None or not jury_is_readable(jury):
        return False
    if not JuryMember.objects.filter(jury=jury, user=user).exists():
        return False
    return jury.candidates().filter(pk=application.pk).exists()


def _lock_ballot(ballot: Ballot) -> Ballot:
    """Lock the ballot row for the rest of the transaction (two changes of one ballot are
    serialised: K cannot be exceeded) and read it afresh with its jury and programme.

    On PostgreSQL the jury row is also held with a shared lock (FOR SHARE): votes do not
    wait for each other, but ``close_jury`` (SELECT ... FOR UPDATE on the jury) waits for
    the votes in flight to commit, and a vote arriving after it reads the closed jury. So
    no vote can land after the close and its fingerprint."""
    locked = Ballot.objects.select_for_update(of=("self",)).get(pk=ballot.pk)
    if connection.features.has_select_for_update:
        table = connection.ops.quote_name(Jury._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [locked.jury_id])  # noqa: S608
    locked.jury = Jury.objects.select_related("programme").get(pk=locked.jury_id)
    return locked


def check_window(jury: Jury, now: datetime | None = None) -> None:
    """Raise VotingError (code "closed" or "not_open") unless the jury accepts votes now."""
    now = now or timezone.now()
    if jury.is_accepting_votes(now):
        return
    if (
        jury.closed_at is not None
        or now >= jury.closes_at
        or (jury.programme.state in READABLE_STATES and jury.programme.state != ProgrammeState.JURY)
    ):
        raise VotingError(
            _("Voting is closed: the ballot can no longer be changed."), code="closed"
        )
    if now < jury.opens_at:
        moment = timezone.localtime(jury.opens_at)
        raise VotingError(
            _("Voting has not opened yet: it opens on %(date)s at %(time)s (Paris time).")
            % {"date": date_format(moment, "j F Y"), "time": date_format(moment, "H:i")},
            code="not_open",
        )
    raise VotingError(_("Voting has not opened yet."), code="not_open")


def _check_seat(ballot: Ballot, user) -> JuryMember:
    seat = seat_of(ballot.jury, user)
    if seat is None:
        raise VotingError(_("You are not a member of this jury."), code="not_member")
    if ballot.jury.ballot_scope == BallotScope.MEMBER:
        mine = ballot.member_id == seat.pk
    else:
        mine = ballot.member_id is None and ballot.partner_id == seat.partner_id
    if not mine:
        raise VotingError(_("This ballot is not yours."), code="not_yours")
    return seat


def _check_method(jury: Jury, method: str) -> None:
    if jury.method != method:
        raise VotingError(
            _("This jury votes with another method: %(method)s.")
            % {"method": JuryMethod(jury.method).label},
            code="wrong_method",
        )


def _check_candidate(jury: Jury, application: Application) -> None:
    if not jury.candidates().filter(pk=getattr(application, "pk", None)).exists():
        raise VotingError(
            _("This application is not one of the applications this jury judges."),
            code="not_candidate",
        )


def _check_not_recused(ballot: Ballot, application: Application) -> None:
    if Recusal.objects.filter(ballot=ballot, application=application).exists():
        raise VotingError(
            _("You declared a conflict of interest on this application: you cannot vote on it."),
            code="recused",
        )


def _prepare(ballot: Ballot, application: Application | None, user, method: str | None):
    """Lock the ballot and run the checks every change shares. Returns the locked ballot."""
    locked = _lock_ballot(ballot)
    check_window(locked.jury, timezone.now())
    _check_seat(locked, user)
    if method is not None:
        _check_method(locked.jury, method)
    if application is not None:
        _check_candidate(locked.jury, application)
        _check_not_recused(locked, application)
    return locked


def _candidate_ids(jury: Jury) -> set[int]:
    return set(jury.candidates().values_list("pk", flat=True))


def _log_change(ballot: Ballot, user, **counts: int) -> None:
    log_action("tremplin.ballot.changed", obj=ballot, user=user, data=counts)


def _touch(ballot: Ballot) -> None:
    ballot.save(update_fields=["updated_at"])


def _mark_accepted(seat_user, jury: Jury) -> None:
    """Voting is accepting the seat: record it once."""
    JuryMember.objects.filter(jury=jury, user=seat_user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )


def set_pick(ballot: Ballot, application: Application, picked: bool, *, user) -> Ballot:
    """Favourites: add (``picked``) or remove ``application`` from the ballot's picks."""
    with transaction.atomic():
        locked = _prepare(ballot, application, user, JuryMethod.FAVOURITES)
        jury = locked.jury
        candidates = jury.candidates()
        picks = Pick.objects.filter(ballot=locked, application__in=candidates)
        exists = picks.filter(application=application).exists()
        count = picks.count()
        if picked == exists:
            return locked
        if picked:
            if count >= jury.max_picks:
                raise VotingError(
                    ngettext(
                        "You have already picked %(max)d favourite, the most a ballot may "
                        "hold: remove it before adding another.",
                        "You have already picked %(max)d favourites, the most a ballot may "
                        "hold: remove one before adding another.",
                        jury.max_picks,
                    )
                    % {"max": jury.max_picks},
                    code="too_many",
                )
            Pick.objects.create(ballot=locked, application=application)
            count += 1
        else:
            if locked.state == BallotState.SUBMITTED and count <= 1:
                raise VotingError(
                    _(
                        "Your ballot is submitted: it must keep at least one favourite. "
                        "Pick another application before removing this one."
                    ),
                    code="incomplete",
                )
            Pick.objects.filter(ballot=locked, application=application).delete()
            count -= 1
        _touch(locked)
        _mark_accepted(user, jury)
        _log_change(locked, user, picks=count)
    return locked


def _grade_index(jury: Jury, value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not (0 <= value < len(jury.grades)):
        raise VotingError(_("Choose a grade of the jury's scale."), code="bad_value")
    return value


def set_grade(ballot: Ballot, application: Application, value: int | None, *, user) -> Ballot:
    """Majority judgment: grade ``application`` (``value`` indexes ``jury.grades``, 0 is the
    best grade), or clear its grade with ``None``."""
    with transaction.atomic():
        locked = _prepare(ballot, application, user, JuryMethod.MAJORITY_JUDGMENT)
        jury = locked.jury
        value = _grade_index(jury, value)
        current = Grade.objects.filter(ballot=locked, application=application).first()
        if value is None:
            if current is None:
                return locked
            if locked.state == BallotState.SUBMITTED:
                raise VotingError(
                    _(
                        "Your ballot is submitted: every application must keep a grade. "
                        "Choose another grade instead."
                    ),
                    code="incomplete",
                )
            current.delete()
        elif current is None:
            Grade.objects.create(ballot=locked, application=application, value=value)
        elif current.value == value:
            return locked
        else:
            current.value = value
            current.save(update_fields=["value"])
        _touch(locked)
        _mark_accepted(user, jury)
        count = Grade.objects.filter(ballot=locked, application__in=jury.candidates()).count()
        _log_change(locked, user, grades=count)
    return locked


def _score_value(jury: Jury, value) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (0 <= value <= jury.grid_max_score)
    ):
        raise VotingError(
            _("A score must be a whole number from 0 to %(max)d.") % {"max": jury.grid_max_score},
            code="bad_value",
        )
    return value


def set_scores(
    ballot: Ballot, application: Application, scores: dict[int, int | None], *, user
) -> Ballot:
    """Criteria grid: set the scores of ``application``, ``{criterion_id: value}`` (a value
    from 0 to ``jury.grid_max_score``, or ``None`` to clear it). All or nothing: one bad
    value and nothing is stored."""
    with transaction.atomic():
        locked = _prepare(ballot, application, user, JuryMethod.GRID)
        jury = locked.jury
        criteria = set(jury.criteria.values_list("pk", flat=True))
        wanted: dict[int, int | None] = {}
        for criterion_id, value in scores.items():
            if isinstance(criterion_id, bool) or criterion_id not in criteria:
                raise VotingError(
                    _("This criterion is not one of this jury's criteria."),
                    code="bad_criterion",
                )
            wanted[criterion_id] = _score_value(jury, value)
        current = {
            score.criterion_id: score
            for score in Score.objects.filter(ballot=locked, application=application)
        }
        clearing = [cid for cid, value in wanted.items() if value is None and cid in current]
        if clearing and locked.state == BallotState.SUBMITTED:
            raise VotingError(
                _(
                    "Your ballot is submitted: every criterion must keep a score. "
                    "Choose another score instead."
                ),
                code="incomplete",
            )
        changed = False
        if clearing:
            Score.objects.filter(
                ballot=locked, application=application, criterion_id__in=clearing
            ).delete()
            changed = True
        for criterion_id, value in wanted.items():
            if value is None:
                continue
            existing = current.get(criterion_id)
            if existing is None:
                Score.objects.create(
                    ballot=locked,
                    application=application,
                    criterion_id=criterion_id,
                    value=value,
                )
                changed = True
            elif existing.value != value:
                existing.value = value
                existing.save(update_fields=["value"])
                changed = True
        if not changed:
            return locked
        _touch(locked)
        _mark_accepted(user, jury)
        count = Score.objects.filter(ballot=locked, application__in=jury.candidates()).count()
        _log_change(locked, user, scores=count)
    return locked


@dataclass
class RecusalOutcome:
    ballot: Ballot
    back_to_draft: bool = False


def recuse(ballot: Ballot, application: Application, *, user, reason: str = "") -> RecusalOutcome:
    """Declare a conflict of interest on ``application``: the ballot's votes on it are
    removed and no vote on it is possible any more. Declaring it twice changes nothing."""
    reason = (reason or "").strip()
    if len(reason) > RECUSAL_REASON_MAX:
        raise VotingError(
            _("Write the reason in at most %(max)d characters.") % {"max": RECUSAL_REASON_MAX},
            code="too_long",
        )
    with transaction.atomic():
        locked = _lock_ballot(ballot)
        check_window(locked.jury, timezone.now())
        _check_seat(locked, user)
        jury = locked.jury
        _check_candidate(jury, application)
        outcome = RecusalOutcome(locked)
        if Recusal.objects.filter(ballot=locked, application=application).exists():
            return outcome
        Pick.objects.filter(ballot=locked, application=application).delete()
        Grade.objects.filter(ballot=locked, application=application).delete()
        Score.objects.filter(ballot=locked, application=application).delete()
        Recusal.objects.create(
            ballot=locked, application=application, declared_by=user, reason=reason
        )
        data: dict = {"recusals": Recusal.objects.filter(ballot=locked).count()}
        if locked.state == BallotState.SUBMITTED and not ballot_contents(jury, locked).complete:
            # Only a favourites ballot can get here (its last pick was recused): a submitted
            # ballot must be complete, so it goes back to draft and the juror is told.
            locked.state = BallotState.DRAFT
            locked.submitted_at = None
            locked.submitted_by = None
            locked.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
            data["state"] = BallotState.DRAFT
            outcome.back_to_draft = True
        else:
            _touch(locked)
        _mark_accepted(user, jury)
        log_action("tremplin.ballot.recused", obj=locked, user=user, data=data)
    return outcome


def submit_ballot(ballot: Ballot, *, user) -> Ballot:
    """Submit a complete ballot. Submitting a ballot already submitted changes nothing
    (partner scope: two members may press the button at the same time)."""
    with transaction.atomic():
        locked = _prepare(ballot, None, user, None)
        if locked.state == BallotState.SUBMITTED:
            return locked
        status = ballot_contents(locked.jury, locked)
        message = status.missing_message()
        if message:
            raise VotingError(message, code="incomplete")
        locked.state = BallotState.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
        _mark_accepted(user, locked.jury)
        log_action("tremplin.ballot.submitted", obj=locked, user=user, data=status.counts())
    return locked


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
    ids = set(candidate_ids) if candidate_ids is not None else _candidate_ids(jury)
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


def _scope_filter(jury: Jury) -> dict:
    return {"member__isnull": jury.ballot_scope == BallotScope.PARTNER}


def submitted_ballot_count(jury: Jury) -> int:
    """How many ballots of the jury's current scope are submitted."""
    return Ballot.objects.filter(
        jury=jury, state=BallotState.SUBMITTED, **_scope_filter(jury)
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
        Ballot.objects.filter(jury=jury, **_scope_filter(jury))
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


# --- set-up, close, deliberation, publication ---------------------------------------------


class JuryError(ValidationError):
    """A set-up, close, deliberation or publication step that is not allowed now; the
    message is shown to the organiser."""


# The voting rules: they cannot change once a ballot exists (it was cast under them).
RULE_FIELDS = ("method", "ballot_scope", "max_picks", "grades", "grid_max_score")
SETTING_FIELDS = (
    *RULE_FIELDS,
    "opens_at",
    "closes_at",
    "quorum",
    "laureate_count",
)
MAX_GRADES = 12
MIN_GRADES = 2
MAX_CRITERIA = 20
# States in which the jury can still be set up (after the results, nothing changes).
SETUP_STATES = (
    ProgrammeState.DRAFT,
    ProgrammeState.CALL_OPEN,
    ProgrammeState.CALL_CLOSED,
    ProgrammeState.SCREENING,
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
)


@dataclass(frozen=True)
class CriterionData:
    """One criterion of the weighted grid, as the set-up form gives it."""

    label_fr: str
    label_en: str
    weight: Decimal


@dataclass(frozen=True)
class DecisionData:
    """The organiser's decision on one candidate, as the deliberation form gives it."""

    application_id: int
    outcome: str
    waiting_rank: int | None = None
    override_reason: str = ""
    feedback: str = ""


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def has_ballots(jury: Jury) -> bool:
    """True once any ballot (even an empty draft) exists: the voting rules are then fixed."""
    return jury.pk is not None and Ballot.objects.filter(jury_id=jury.pk).exists()


def _criteria_of(jury: Jury) -> list[CriterionData]:
    if jury.pk is None:
        return []
    return [
        CriterionData(c.label_fr, c.label_en, c.weight)
        for c in Criterion.objects.filter(jury_id=jury.pk).order_by("position", "id")
    ]


def save_jury(
    jury: Jury,
    *,
    user,
    partners: list[Partner] | None = None,
    criteria: list[CriterionData] | None = None,
) -> Jury:
    """Create or change a jury's settings (the caller has assigned the fields).

    The voting rules (method, scope, K, grades, grid scale, criteria) cannot change once
    any ballot exists; once the jury is closed only the number of laureates can change;
    after publication nothing can. The partners belong to the programme's organiser, and a
    partner whose members sit on the jury stays on it. The window opens before it closes.
    """
    created = jury.pk is None
    programme = jury.programme
    with transaction.atomic():
        state = (
            Programme.objects.select_for_update()
            .values_list("state", flat=True)
            .get(pk=programme.pk)
        )
        old = None if created else Jury.objects.select_for_update().get(pk=jury.pk)
        if state not in SETUP_STATES or (old is not None and old.published_at):
            raise JuryError(_("The results are published: the jury can no longer change."))
        changed: dict[str, Any] = {}
        for name in SETTING_FIELDS:
            new_value = getattr(jury, name)
            if old is None or getattr(old, name) != new_value:
                changed[name] = _jsonable(new_value)
        old_criteria = [] if old is None else _criteria_of(old)
        criteria_changed = criteria is not None and list(criteria) != old_criteria
        if criteria_changed:
            changed["criteria"] = [c.label_fr for c in criteria]
        old_partner_ids = set() if old is None else set(old.partners.values_list("id", flat=True))
        partners_changed = partners is not None and {p.pk for p in partners} != old_partner_ids
        if partners_changed:
            changed["partners"] = sorted(p.name for p in partners)

        _check_settings(jury, old, state=state, changed=changed, partners=partners)
        if not changed and not created:
            return jury
        if created:
            jury.save()
        else:
            # Only the settings: the close, the publication and the reminder claims are
            # written by their own functions.
            jury.save(update_fields=[*SETTING_FIELDS, "updated_at"])
        if partners_changed:
            jury.partners.set(partners)
        if criteria_changed:
            Criterion.objects.filter(jury=jury).delete()
            Criterion.objects.bulk_create(
                [
                    Criterion(
                        jury=jury,
                        label_fr=c.label_fr,
                        label_en=c.label_en,
                        weight=c.weight,
                        position=position,
                    )
                    for position, c in enumerate(criteria, start=1)
                ]
            )
        log_action(
            "tremplin.jury.created" if created else "tremplin.jury.changed",
            obj=jury,
            user=user,
            data={"changed": changed},
        )
    return jury


def _check_settings(
    jury: Jury, old: Jury | None, *, state: str, changed: dict, partners: list[Partner] | None
) -> None:
    if jury.opens_at is None or jury.closes_at is None or jury.opens_at >= jury.closes_at:
        raise JuryError(_("The voting window must open before it closes."))
    if jury.method == JuryMethod.MAJORITY_JUDGMENT and not (
        MIN_GRADES <= len(jury.grades or []) <= MAX_GRADES
    ):
        raise JuryError(
            _("Majority judgment needs between %(min)d and %(max)d grades.")
            % {"min": MIN_GRADES, "max": MAX_GRADES}
        )
    if old is not None and old.closed_at is not None:
        if set(changed) - {"laureate_count"}:
            raise JuryError(_("The jury is closed: only the number of laureates can still change."))
        return
    locked = (set(RULE_FIELDS) | {"criteria"}) & set(changed)
    if locked and has_ballots(jury):
        raise JuryError(
            _(
                "Ballots have already been started: the method, the ballots, the number of "
                "favourites, the grades and the criteria can no longer change."
            )
        )
    if state == ProgrammeState.JURY and "closes_at" in changed and jury.closes_at <= timezone.now():
        raise JuryError(
            _("The jury is open: its window cannot end in the past. Close the jury instead.")
        )
    if partners is not None:
        organiser_id = jury.programme.organiser_id
        if any(p.organiser_id != organiser_id for p in partners):
            raise JuryError(
                _("A partner organisation of another organiser cannot sit on the jury.")
            )
        if old is not None:
            kept = {p.pk for p in partners}
            seated = (
                Partner.objects.filter(jury_members__jury=old)
                .exclude(pk__in=kept)
                .distinct()
                .order_by("name")
            )
            names = [p.name for p in seated]
            if names:
                raise JuryError(
                    _(
                        "Remove the jury members of %(names)s before taking this partner "
                        "organisation off the jury."
                    )
                    % {"names": ", ".join(names)}
                )


# Members


def _ensure_members_editable(jury: Jury) -> None:
    if jury.closed_at is not None or jury.published_at is not None:
        raise JuryError(_("The jury is closed: its members can no longer change."))


def _send_invitation(member: JuryMember, *, inviter) -> None:
    jury = member.jury
    programme = jury.programme
    token = make_invitation_token(member.pk)
    path = reverse("jury:accept", args=[token])
    send_mail_on_commit(
        "jury/email/invitation",
        member.user.email,
        {
            "member_name": member.user.full_name or member.user.email,
            "email": member.user.email,
            "programme": programme.name,
            "organiser": programme.organiser.name,
            "partner": member.partner.name,
            "method": jury.method,
            "ballot_scope": jury.ballot_scope,
            "max_picks": jury.max_picks,
            "opens_at": jury.opens_at.isoformat(),
            "closes_at": jury.closes_at.isoformat(),
            "inviter": str(inviter) if inviter is not None else "",
            "accept_path": path,
        },
        language=member.user.language,
    )


def invite_member(
    jury: Jury, partner: Partner, email: str, *, user, full_name: str = "", language: str = ""
) -> JuryMember:
    """Seat a person of ``partner`` on the jury and e-mail them the signed link. The account
    is created when needed (no password: they log in by code; the address counts as
    verified since the link and the codes go to it)."""
    _ensure_members_editable(jury)
    email = (email or "").strip().lower()
    if len(email) > 254:
        raise JuryError(_("This e-mail address is too long."))
    try:
        validate_email(email)
    except ValidationError:
        raise JuryError(_("Enter a valid e-mail address.")) from None
    if not jury.partners.filter(pk=partner.pk).exists():
        raise JuryError(_("This partner organisation is not on the jury."))
    user_model = get_user_model()
    with transaction.atomic():
        account = user_model.objects.filter(email__iexact=email).first()
        created = account is None
        if created:
            account = user_model.objects.create_user(
                email=email,
                password=None,  # unusable: they log in by code
                full_name=" ".join((full_name or "").split())[:150],
                language=language if language in dict(settings.LANGUAGES) else "fr",
            )
            EmailAddress.objects.create(user=account, email=email, verified=True, primary=True)
        elif not account.is_active:
            raise JuryError(_("This account is deactivated: it cannot be invited."))
        if JuryMember.objects.filter(jury=jury, user=account).exists():
            raise JuryError(_("This person is already a member of the jury."))
        member = JuryMember.objects.create(
            jury=jury, partner=partner, user=account, invited_by=user
        )
        PartnerMembership.objects.get_or_create(partner=partner, user=account)
        log_action(
            "tremplin.jury.member_invited",
            obj=jury,
            user=user,
            data={"member": email, "partner": partner.name, "account_created": created},
        )
        _send_invitation(member, inviter=user)
    return member


def resend_invitation(member: JuryMember, *, user) -> JuryMember:
    """E-mail the invitation again, with a fresh link."""
    _ensure_members_editable(member.jury)
    with transaction.atomic():
        member.invited_at = timezone.now()
        member.save(update_fields=["invited_at"])
        log_action(
            "tremplin.jury.invitation_resent",
            obj=member.jury,
            user=user,
            data={"member": member.user.email, "partner": member.partner.name},
        )
        _send_invitation(member, inviter=user)
    return member


def remove_member(member: JuryMember, *, user) -> None:
    """Take someone off the jury (before the close). A member whose own ballot was
    submitted cannot be removed (the ballot would go with them)."""
    jury = member.jury
    _ensure_members_editable(jury)
    with transaction.atomic():
        if (
            jury.ballot_scope == BallotScope.MEMBER
            and Ballot.objects.filter(member=member, state=BallotState.SUBMITTED).exists()
        ):
            raise JuryError(_("This member has submitted a ballot: they can no longer be removed."))
        log_action(
            "tremplin.jury.member_removed",
            obj=jury,
            user=user,
            data={"member": member.user.email, "partner": member.partner.name},
        )
        member.delete()


# Opening and closing


def opening_problems(jury: Jury) -> list[str]:
    """Why the jury cannot open now (empty when it can)."""
    problems: list[str] = []
    programme = jury.programme
    if programme.state != ProgrammeState.SCREENING:
        problems.append(_("The jury opens after the eligibility screening has started."))
    if not jury.partners.exists():
        problems.append(_("Add at least one partner organisation to the jury."))
    submitted = Application.objects.filter(programme=programme, state=ApplicationState.SUBMITTED)
    pending = submitted.filter(eligibility=Eligibility.PENDING).count()
    if pending:
        problems.append(
            ngettext(
                "%(count)d submitted application is not screened yet: decide the eligibility "
                "of every application before opening the jury.",
                "%(count)d submitted applications are not screened yet: decide the "
                "eligibility of every application before opening the jury.",
                pending,
            )
            % {"count": pending}
        )
    if not submitted.filter(eligibility=Eligibility.ELIGIBLE).exists():
        problems.append(_("No application is eligible: the jury would have nothing to judge."))
    if jury.method == JuryMethod.GRID and not jury.criteria.exists():
        problems.append(_("Add at least one criterion to the grid."))
    if jury.method == JuryMethod.MAJORITY_JUDGMENT and len(jury.grades or []) < MIN_GRADES:
        problems.append(_("Give at least two grades for majority judgment."))
    if jury.closes_at <= timezone.now():
        problems.append(_("The voting window ends in the past: change it first."))
    return problems


def open_jury(jury: Jury, *, user) -> Jury:
    """SCREENING → JURY: the partners' members can vote within the window."""
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=jury.programme_id)
        jury.programme.refresh_from_db(fields=["state"])
        problems = opening_problems(jury)
        if problems:
            raise JuryError(problems)
        change_programme_state(
            jury.programme,
            ProgrammeState.JURY,
            user=user,
            action="tremplin.jury.opened",
            data={"method": jury.method, "candidates": jury.candidates().count()},
        )
    return jury


def close_jury(jury: Jury, *, user) -> Jury:
    """JURY → DELIBERATION: ballots are frozen (``closed_at``); drafts are not counted.
    The log records how many ballots were counted and their fingerprint."""
    from tremplin.jury.tally import compute_tally

    with transaction.atomic():
        locked = Jury.objects.select_for_update().select_related("programme").get(pk=jury.pk)
        if locked.programme.state != ProgrammeState.JURY or locked.closed_at is not None:
            raise JuryError(_("Only an open jury can be closed."))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at", "updated_at"])
        result = compute_tally(locked)
        drafts = Ballot.objects.filter(
            jury=locked, state=BallotState.DRAFT, **_scope_filter(locked)
        ).count()
        change_programme_state(
            locked.programme,
            ProgrammeState.DELIBERATION,
            user=user,
            action="tremplin.jury.closed",
            data={
                "ballots": result.ballot_count,
                "drafts_not_counted": drafts,
                "quorum": locked.quorum,
                "quorum_met": result.quorum_met,
                "fingerprint": result.ballots_fingerprint,
            },
        )
    jury.closed_at = locked.closed_at
    jury.programme.state = ProgrammeState.DELIBERATION
    return jury


# Deliberation


def suggested_laureates(jury: Jury, result=None) -> list[int]:
    """The application ids of the tally's top N (N = ``jury.laureate_count``), in order."""
    if result is None:
        from tremplin.jury.tally import compute_tally

        result = compute_tally(jury)
    return [r.application_id for r in result.results[: jury.laureate_count]]


def needs_override(application_id: int, outcome: str, suggested: set[int]) -> bool:
    """A decision departs from the tally when a top-N application is not a laureate or an
    application outside the top N is."""
    return (application_id in suggested) != (outcome == Outcome.LAUREATE)


def _check_decisions(
    decisions: list[DecisionData], candidates: dict[int, Application], suggested: set[int]
) -> None:
    ids = [d.application_id for d in decisions]
    if set(ids) - set(candidates):
        raise JuryError(_("One of the applications is not a candidate of this jury."))
    if len(ids) != len(set(ids)):
        raise JuryError(_("An application was decided twice."))
    ranks = Counter(d.waiting_rank for d in decisions if d.outcome == Outcome.WAITING_LIST)
    for d in decisions:
        title = candidates[d.application_id].title
        if d.outcome not in Outcome.values:
            raise JuryError(_("Choose an outcome for “%(title)s”.") % {"title": title})
        if d.outcome == Outcome.WAITING_LIST:
            if d.waiting_rank is None or not 1 <= d.waiting_rank <= 500:
                raise JuryError(
                    _("Give “%(title)s” its rank on the waiting list.") % {"title": title}
                )
            if ranks[d.waiting_rank] > 1:
                raise JuryError(
                    _("Two applications have the rank %(rank)d on the waiting list.")
                    % {"rank": d.waiting_rank}
                )
        override = needs_override(d.application_id, d.outcome, suggested)
        if override and not d.override_reason.strip():
            raise JuryError(
                _("“%(title)s”: write why the decision differs from the tally.") % {"title": title}
            )
        if len(d.override_reason) > 2000:
            raise JuryError(_("A reason is at most 2,000 characters long."))
        if len(d.feedback) > 3000:
            raise JuryError(_("A feedback is at most 3,000 characters long."))


def save_decisions(jury: Jury, decisions: list[DecisionData], *, user) -> list[Decision]:
    """Record the deliberation: an outcome per candidate (laureate, waiting list with a
    rank, not selected), optional feedback. A decision that differs from the tally's top N
    needs a written reason, logged as an override."""
    from tremplin.jury.tally import compute_tally

    with transaction.atomic():
        locked = Jury.objects.select_for_update().select_related("programme").get(pk=jury.pk)
        if locked.programme.state != ProgrammeState.DELIBERATION or locked.closed_at is None:
            raise JuryError(
                _(
                    "Laureates are decided after the jury is closed and before the results "
                    "are published."
                )
            )
        candidates = {a.pk: a for a in locked.candidates()}
        result = compute_tally(locked)
        suggested = set(suggested_laureates(locked, result))
        _check_decisions(decisions, candidates, suggested)
        existing = {d.application_id: d for d in Decision.objects.filter(jury=locked)}
        now = timezone.now()
        saved: list[Decision] = []
        for data in decisions:
            application = candidates[data.application_id]
            override = needs_override(data.application_id, data.outcome, suggested)
            reason = data.override_reason.strip() if override else ""
            rank = data.waiting_rank if data.outcome == Outcome.WAITING_LIST else None
            feedback = data.feedback.strip()
            decision = existing.get(data.application_id)
            before = (
                None
                if decision is None
                else (decision.outcome, decision.waiting_rank, decision.override_reason)
            )
            if decision is None:
                decision = Decision(jury=locked, application=application)
            if before == (data.outcome, rank, reason) and decision.feedback == feedback:
                saved.append(decision)
                continue
            decision.outcome = data.outcome
            decision.waiting_rank = rank
            decision.override_reason = reason
            decision.feedback = feedback
            decision.decided_by = user
            decision.decided_at = now
            decision.save()
            saved.append(decision)
            if override and before != (data.outcome, rank, reason):
                log_action(
                    "tremplin.jury.override",
                    obj=locked,
                    user=user,
                    data={
                        "application": application.reference,
                        "title": application.title,
                        "outcome": data.outcome,
                        "in_top": data.application_id in suggested,
                        "reason": reason,
                    },
                )
        outcomes = Counter(Decision.objects.filter(jury=locked).values_list("outcome", flat=True))
        log_action(
            "tremplin.jury.decisions_saved",
            obj=locked,
            user=user,
            data={
                "laureates": outcomes.get(Outcome.LAUREATE, 0),
                "waiting_list": outcomes.get(Outcome.WAITING_LIST, 0),
                "not_selected": outcomes.get(Outcome.NOT_SELECTED, 0),
            },
        )
    return saved


# Publication

RESULT_TEMPLATES = {
    Outcome.LAUREATE: "jury/email/result_laureate",
    Outcome.WAITING_LIST: "jury/email/result_waiting_list",
    Outcome.NOT_SELECTED: "jury/email/result_not_selected",
}
INELIGIBLE_TEMPLATE = "jury/email/result_ineligible"


def publication_problems(jury: Jury) -> list[str]:
    """Why the results cannot be published now (empty when they can)."""
    if jury.programme.state != ProgrammeState.DELIBERATION or jury.closed_at is None:
        return [_("The results are published after the jury is closed, from the deliberation.")]
    problems = []
    candidate_ids = set(jury.candidates().values_list("id", flat=True))
    decided = Decision.objects.filter(jury=jury, application_id__in=candidate_ids)
    missing = len(candidate_ids) - decided.count()
    if missing:
        problems.append(
            ngettext(
                "%(count)d candidate has no decision yet: decide every candidate first.",
                "%(count)d candidates have no decision yet: decide every candidate first.",
                missing,
            )
            % {"count": missing}
        )
    if not decided.filter(outcome=Outcome.LAUREATE).exists():
        problems.append(_("Choose at least one laureate."))
    return problems


def publish_results(jury: Jury, *, user) -> Jury:
    """DELIBERATION → RESULTS: every applicant who submitted is told, in their language
    (laureate, waiting list, not selected or ineligible, with the feedback); the laureates
    page appears."""
    with transaction.atomic():
        locked = (
            Jury.objects.select_for_update().select_related("programme__organiser").get(pk=jury.pk)
        )
        problems = publication_problems(locked)
        if problems:
            raise JuryError(problems)
        programme = locked.programme
        applications = list(
            Application.objects.filter(programme=programme, state=ApplicationState.SUBMITTED)
            .select_related("maker", "decision")
            .order_by("id")
        )
        counts: Counter[str] = Counter()
        laureates_path = reverse("jury_public:laureates", args=[programme.slug])
        for application in applications:
            decision = getattr(application, "decision", None)
            if decision is not None and decision.jury_id != locked.pk:
                decision = None
            if application.eligibility == Eligibility.INELIGIBLE:
                template, outcome = INELIGIBLE_TEMPLATE, "ineligible"
            elif decision is not None:
                template, outcome = RESULT_TEMPLATES[decision.outcome], decision.outcome
            else:
                template, outcome = RESULT_TEMPLATES[Outcome.NOT_SELECTED], Outcome.NOT_SELECTED
            counts[outcome] += 1
            send_mail_on_commit(
                template,
                application.maker.email,
                {
                    "maker_name": application.maker_name or str(application.maker),
                    "title": application.title,
                    "reference": application.reference,
                    "programme": programme.name,
                    "organiser": programme.organiser.name,
                    "feedback": decision.feedback if decision is not None else "",
                    "waiting_rank": decision.waiting_rank if decision is not None else None,
                    "reason": application.eligibility_reason,
                    "path": f"/candidatures/{application.pk}/",
                    "laureates_path": laureates_path,
                },
                language=application.maker.language,
            )
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at", "updated_at"])
        change_programme_state(
            programme,
            ProgrammeState.RESULTS,
            user=user,
            action="tremplin.jury.published",
            data={
                "laureates": counts.get(Outcome.LAUREATE, 0),
                "waiting_list": counts.get(Outcome.WAITING_LIST, 0),
                "not_selected": counts.get(Outcome.NOT_SELECTED, 0),
                "ineligible": counts.get("ineligible", 0),
                "emails": len(applications),
            },
        )
    jury.published_at = locked.published_at
    jury.programme.state = ProgrammeState.RESULTS
    return jury


def published_jury(programme: Programme) -> Jury | None:
    return Jury.objects.filter(programme=programme, published_at__isnull=False).first()


def laureates(programme: Programme) -> QuerySet[Application]:
    """The laureate applications of the programme's published jury (empty before the
    publication), by title: each is ready to become a campaign."""
    return (
        Application.objects.filter(
            programme=programme,
            state=ApplicationState.SUBMITTED,
            decision__outcome=Outcome.LAUREATE,
            decision__jury__programme=programme,
            decision__jury__published_at__isnull=False,
        )
        .select_related("maker")
        .order_by("title", "id")
    )


def is_public_laureate(application: Application) -> bool:
    """True when the application is a laureate of a published jury: its title, summary
    and images are public."""
    return laureates(application.programme).filter(pk=application.pk).exists()
