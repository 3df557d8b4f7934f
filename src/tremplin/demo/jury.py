"""The jury part of the demo, loaded after the rest (``demo.load`` calls
``load_jury_demo`` at the end).

- MEL Makers 2019 goes through the whole jury, as in 2019: the Métropole and its nine
  partners each cast a ballot of ten favourites (*coups de cœur*), the jury is closed, ten
  laureates are decided (two on the waiting list) and the results are published.
- Douaisis Fabrique 2020 has its call closed and screened and its jury open now (majority
  judgment, one ballot per member): its demo juror, the Fablab des Gayants' member, has an
  empty ballot to fill in.

Rows are written in bulk, with the audit log the domain functions would have written,
dated when it happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from tremplin.calls import actions as calls_actions
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.core.dates import PARIS
from tremplin.core.models import AuditLog, Organiser, Partner, PartnerMembership, User
from tremplin.demo import data
from tremplin.demo.history import History, day_at, paris
from tremplin.jury import actions as jury_actions
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod, Outcome
from tremplin.jury.models import Ballot, Decision, Jury, JuryMember, Pick
from tremplin.jury.tally import compute_tally

MEL_SEAT = ("Métropole Européenne de Lille", "metropole-europeenne-de-lille")
# How far back the Douaisis call is moved so that it is closed and screened today.
DOUAISIS_SHIFT = timedelta(days=50)
PICKS = 10
LAUREATES = 10


# How many of the ten ballots picked each candidate, from the favourite down: a clear top
# ten (the tenth has 4 favourites, the next 3) with a few ties on the way, and a long tail.
FAVOURITE_COUNTS = [10, 9, 8, 8, 7, 6, 6, 5, 5, 4, 3, 3, 3] + [2] * 10 + [1] * 3 + [0] * 2


def favourite_picks(candidates: list[int], ballots: int) -> list[list[int]]:
    """Ten favourites per ballot, deterministic: the candidates (in a fixed shuffled order)
    get ``FAVOURITE_COUNTS`` picks, each given to the ballots that have the fewest so far."""
    n = len(candidates)
    order = [candidates[(i * 11) % n] for i in range(n)] if n % 11 else list(candidates)
    counts = (FAVOURITE_COUNTS + [0] * n)[:n]
    picks: list[list[int]] = [[] for _ in range(ballots)]
    for application_id, count in zip(order, counts, strict=True):
        fewest = sorted(range(ballots), key=lambda b: (len(picks[b]), b))
        for b in fewest[: min(count, ballots)]:
            if len(picks[b]) < PICKS:
                picks[b].append(application_id)
    return picks


def load_jury_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    log = History()
    _mel_2019(log)
    _douaisis(log, now)
    return {"audit_log_entries": log.write()}


# --- MEL Makers 2019: the whole jury, published ------------------------------------------------


def _mel_2019(log: History) -> None:
    programme = Programme.objects.select_related("organiser").get(slug=data.PROGRAMME_2019["slug"])
    mel: Organiser = programme.organiser
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    seat, _created = Partner.objects.get_or_create(
        organiser=mel,
        slug=MEL_SEAT[1],
        defaults={"name": MEL_SEAT[0], "website": mel.website},
    )
    PartnerMembership.objects.get_or_create(partner=seat, user=manager)
    partners = [seat, *programme.partners.order_by("name")]
    members = {
        m.partner_id: m.user
        for m in PartnerMembership.objects.filter(partner__in=partners).select_related("user")
        if m.partner_id != seat.pk
    }
    members[seat.pk] = manager

    jury = Jury.objects.create(
        programme=programme,
        method=JuryMethod.FAVOURITES,
        ballot_scope=BallotScope.PARTNER,
        max_picks=PICKS,
        opens_at=paris(2019, 5, 20, 9),
        closes_at=paris(2019, 6, 14, 18),
        quorum=8,
        laureate_count=LAUREATES,
        closed_at=paris(2019, 6, 14, 18, 5),
        published_at=paris(2019, 6, 27, 18),
    )
    jury.partners.set(partners)
    created = paris(2019, 5, 6, 11)
    Jury.objects.filter(pk=jury.pk).update(created_at=created, updated_at=jury.published_at)
    log.add(
        jury_actions.JURY_CREATED,
        created,
        obj=jury,
        organiser_id=mel.pk,
        user=manager,
        changed={"method": jury.method, "max_picks": PICKS, "laureate_count": LAUREATES},
    )

    seats = JuryMember.objects.bulk_create(
        [
            JuryMember(
                jury=jury,
                partner=partner,
                user=members[partner.pk],
                invited_at=paris(2019, 5, 13, 10, i),
                invited_by=manager,
                accepted_at=paris(2019, 5, 14 + i % 4, 9 + i, 15),
            )
            for i, partner in enumerate(partners)
        ]
    )
    for seat_row, partner in zip(seats, partners, strict=True):
        log.add(
            jury_actions.JURY_MEMBER_INVITED,
            seat_row.invited_at,
            obj=jury,
            organiser_id=mel.pk,
            user=manager,
            member=seat_row.user.email,
            partner=partner.name,
        )
    log.add(
        jury_actions.JURY_OPENED,
        jury.opens_at,
        obj=programme,
        organiser_id=mel.pk,
        user=manager,
        **{"from": ProgrammeState.SCREENING, "to": ProgrammeState.JURY},
        method=jury.method,
    )

    candidates = list(jury.candidates().order_by("submitted_at", "id").values_list("id", flat=True))
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(
                jury=jury,
                partner=partner,
                state=BallotState.SUBMITTED,
                submitted_at=paris(2019, 5, 27, 10) + timedelta(days=2 * i, hours=i % 5),
                submitted_by=members[partner.pk],
            )
            for i, partner in enumerate(partners)
        ]
    )
    picks = favourite_picks(candidates, len(ballots))
    Pick.objects.bulk_create(
        [
            Pick(ballot=ballot, application_id=application_id)
            for ballot, chosen in zip(ballots, picks, strict=True)
            for application_id in chosen
        ]
    )
    for ballot in ballots:
        log.add(
            jury_actions.BALLOT_SUBMITTED,
            ballot.submitted_at,
            obj=ballot,
            organiser_id=mel.pk,
            user=ballot.submitted_by,
            picks=PICKS,
        )

    result = compute_tally(jury)
    log.add(
        jury_actions.JURY_CLOSED,
        jury.closed_at,
        obj=programme,
        organiser_id=mel.pk,
        user=manager,
        **{"from": ProgrammeState.JURY, "to": ProgrammeState.DELIBERATION},
        ballots=result.ballot_count,
        drafts_not_counted=0,
        quorum=jury.quorum,
        quorum_met=result.quorum_met,
        fingerprint=result.ballots_fingerprint,
    )

    decided_at = paris(2019, 6, 20, 15)
    decisions = []
    for position, row in enumerate(result.results):
        if position < LAUREATES:
            outcome, rank, feedback = Outcome.LAUREATE, None, ""
        elif position < LAUREATES + 2:
            outcome, rank = Outcome.WAITING_LIST, position - LAUREATES + 1
            feedback = "Le jury a beaucoup aimé votre projet : il n'a manqué que quelques voix."
        else:
            outcome, rank, feedback = Outcome.NOT_SELECTED, None, ""
        decisions.append(
            Decision(
                jury=jury,
                application_id=row.application_id,
                outcome=outcome,
                waiting_rank=rank,
                feedback=feedback,
                decided_by=manager,
                decided_at=decided_at,
            )
        )
    Decision.objects.bulk_create(decisions)
    log.add(
        jury_actions.JURY_DECISIONS_SAVED,
        decided_at,
        obj=jury,
        organiser_id=mel.pk,
        user=manager,
        laureates=LAUREATES,
        waiting_list=2,
        not_selected=len(decisions) - LAUREATES - 2,
    )
    submitted = Application.objects.filter(programme=programme, state="submitted").count()
    log.add(
        jury_actions.JURY_PUBLISHED,
        jury.published_at,
        obj=programme,
        organiser_id=mel.pk,
        user=manager,
        **{"from": ProgrammeState.DELIBERATION, "to": ProgrammeState.RESULTS},
        laureates=LAUREATES,
        waiting_list=2,
        not_selected=len(decisions) - LAUREATES - 2,
        ineligible=submitted - len(decisions),
        emails=submitted,
    )
    Programme.objects.filter(pk=programme.pk).update(
        state=ProgrammeState.RESULTS, updated_at=jury.published_at
    )


# --- Douaisis Fabrique 2020: a jury open now -------------------------------------------------


def _douaisis(log: History, now: datetime) -> None:
    programme = Programme.objects.select_related("organiser").get(
        slug=data.DOUAISIS_PROGRAMME["slug"]
    )
    organiser_id = programme.organiser_id
    manager = User.objects.get(email=data.DOUAISIS_MANAGER.email)
    partner = Partner.objects.get(organiser_id=organiser_id, slug=data.DOUAISIS_PARTNERS[0].slug)
    juror = User.objects.get(email=data.DOUAISIS_PARTNERS[0].member.email)

    # Move the call back in time: it closed three weeks ago (history included).
    applications = Application.objects.filter(programme=programme)
    applications.update(
        submitted_at=F("submitted_at") - DOUAISIS_SHIFT,
        created_at=F("created_at") - DOUAISIS_SHIFT,
        updated_at=F("updated_at") - DOUAISIS_SHIFT,
    )
    AuditLog.objects.filter(organiser_id=organiser_id).update(
        created_at=F("created_at") - DOUAISIS_SHIFT
    )
    Programme.objects.filter(pk=programme.pk).update(created_at=F("created_at") - DOUAISIS_SHIFT)
    today = timezone.localdate(now, PARIS)
    deadline = programme.call_closes_at - DOUAISIS_SHIFT
    closed_at = deadline + timedelta(hours=9)
    screening_at = closed_at + timedelta(days=1)
    opens = day_at(today - timedelta(days=3), 9)
    closes = day_at(today + timedelta(days=11), 18)
    programme.call_opens_at -= DOUAISIS_SHIFT
    programme.call_closes_at = deadline
    programme.jury_starts_at = opens
    programme.jury_ends_at = closes
    programme.results_at = day_at(today + timedelta(days=18), 18)
    programme.state = ProgrammeState.JURY
    programme.save(
        update_fields=[
            "call_opens_at",
            "call_closes_at",
            "jury_starts_at",
            "jury_ends_at",
            "results_at",
            "state",
        ]
    )
    for action, when, old, new in (
        (
            calls_actions.PROGRAMME_CALL_CLOSED,
            closed_at,
            ProgrammeState.CALL_OPEN,
            ProgrammeState.CALL_CLOSED,
        ),
        (
            calls_actions.PROGRAMME_SCREENING_STARTED,
            screening_at,
            ProgrammeState.CALL_CLOSED,
            ProgrammeState.SCREENING,
        ),
    ):
        log.add(
            action,
            when,
            obj=programme,
            organiser_id=organiser_id,
            user=manager,
            **{"from": old, "to": new},
        )

    rows = list(applications.order_by("submitted_at", "id"))
    for i, application in enumerate(rows):
        application.eligibility = Eligibility.ELIGIBLE
        application.screened_at = screening_at + timedelta(hours=2 + i)
        application.screened_by = manager
        log.add(
            calls_actions.APPLICATION_SCREENED,
            application.screened_at,
            obj=application,
            organiser_id=organiser_id,
            user=manager,
            **{"from": Eligibility.PENDING, "to": Eligibility.ELIGIBLE, "reason": ""},
        )
    Application.objects.bulk_update(rows, ["eligibility", "screened_at", "screened_by"])

    jury = Jury.objects.create(
        programme=programme,
        method=JuryMethod.MAJORITY_JUDGMENT,
        ballot_scope=BallotScope.MEMBER,
        opens_at=opens,
        closes_at=closes,
        quorum=1,
        laureate_count=2,
    )
    jury.partners.set([partner])
    set_up = screening_at + timedelta(days=2)
    log.add(
        jury_actions.JURY_CREATED,
        set_up,
        obj=jury,
        organiser_id=organiser_id,
        user=manager,
        changed={"method": jury.method, "ballot_scope": jury.ballot_scope},
    )
    JuryMember.objects.create(
        jury=jury,
        partner=partner,
        user=juror,
        invited_at=set_up + timedelta(hours=1),
        invited_by=manager,
        accepted_at=set_up + timedelta(days=1),
    )
    log.add(
        jury_actions.JURY_MEMBER_INVITED,
        set_up + timedelta(hours=1),
        obj=jury,
        organiser_id=organiser_id,
        user=manager,
        member=juror.email,
        partner=partner.name,
    )
    log.add(
        jury_actions.JURY_OPENED,
        opens,
        obj=programme,
        organiser_id=organiser_id,
        user=manager,
        **{"from": ProgrammeState.SCREENING, "to": ProgrammeState.JURY},
        method=jury.method,
        candidates=len(rows),
    )
