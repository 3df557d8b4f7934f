"""After the close: the deliberation (an outcome per candidate), the publication of the
results with the applicants' e-mails, and the public laureates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.calls.programmes import change_programme_state
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit
from tremplin.jury.enums import JuryState, Outcome
from tremplin.jury.errors import JuryError
from tremplin.jury.models import Decision, Jury
from tremplin.jury.tally import compute_tally
from tremplin.jury.transitions import can_transition


@dataclass(frozen=True)
class DecisionData:
    """The organiser's decision on one candidate, as the deliberation form gives it."""

    application_id: int
    outcome: str
    waiting_rank: int | None = None
    override_reason: str = ""
    feedback: str = ""


# Deliberation


def suggested_laureates(jury: Jury, result=None) -> list[int]:
    """The application ids of the tally's top N (N = ``jury.laureate_count``), in order."""
    if result is None:
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
    with transaction.atomic():
        locked = Jury.objects.select_for_update().select_related("programme").get(pk=jury.pk)
        if locked.state != JuryState.CLOSED:
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
    if not can_transition(jury, JuryState.PUBLISHED):
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
