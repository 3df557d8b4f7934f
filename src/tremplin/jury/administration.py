"""What the organiser does to set up and run a jury: its settings and criteria, its
members (invitations), opening and closing. Each state change is checked against
``JURY_TRANSITIONS`` through ``ensure_transition``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.calls.programmes import change_programme_state
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import Partner, PartnerMembership
from tremplin.jury.ballots import scope_filter
from tremplin.jury.enums import (
    FROZEN_JURY_STATES,
    BallotScope,
    BallotState,
    JuryMethod,
    JuryState,
)
from tremplin.jury.errors import JuryError
from tremplin.jury.models import Ballot, Criterion, Jury, JuryMember
from tremplin.jury.tally import compute_tally
from tremplin.jury.tokens import make_invitation_token
from tremplin.jury.transitions import ensure_transition

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
    if jury.state in FROZEN_JURY_STATES:
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
        ensure_transition(
            jury, JuryState.OPEN, _("The jury opens after the eligibility screening has started.")
        )
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
    with transaction.atomic():
        locked = Jury.objects.select_for_update().select_related("programme").get(pk=jury.pk)
        ensure_transition(locked, JuryState.CLOSED, _("Only an open jury can be closed."))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at", "updated_at"])
        result = compute_tally(locked)
        drafts = Ballot.objects.filter(
            jury=locked, state=BallotState.DRAFT, **scope_filter(locked)
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
