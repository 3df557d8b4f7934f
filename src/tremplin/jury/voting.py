"""What a juror does: the ballot, favourites, grades, scores, recusal and submission.

Secrecy: before the jury closes nobody but the ballot's own juror(s) may learn what a ballot
holds. The audit log of a ballot therefore records counts only (how many favourites,
grades, scores, recusals), never which application was picked or graded how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Application
from tremplin.core.audit import log_action
from tremplin.jury.ballots import ballot_contents
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.errors import VotingError
from tremplin.jury.models import Ballot, Grade, Jury, JuryMember, Pick, Recusal, Score
from tremplin.jury.rules import READABLE_STATES, seat_of

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

RECUSAL_REASON_MAX = 500


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
