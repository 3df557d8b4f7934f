"""The juror's space: my juries, accepting an invitation, the ballot (the applications to
judge, my votes, the counter, the submission) and each application in full with its vote
form and the conflict-of-interest declaration.

Every page is resolved through the signed-in user's seat (``JuryMember``): someone without
a seat on that programme's jury gets 404, whoever they are. A juror only ever sees their
own ballot (partner scope: their partner organisation's shared ballot). Rules live in
``jury.rules`` and ``jury.voting``; views parse input, call one verb and render. The POST
endpoints work without JavaScript (redirect after success, the page again with status 400
on error) and answer htmx requests with the fragment to swap."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tremplin.calls.display import answer_text
from tremplin.calls.models import Application
from tremplin.core.audit import log_action
from tremplin.core.models import Organiser
from tremplin.jury import ballots, rules, voting
from tremplin.jury.ballots import BallotContents
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.errors import VotingError
from tremplin.jury.forms import RecusalForm, SubmitForm, vote_form
from tremplin.jury.models import Ballot, Jury, JuryMember
from tremplin.jury.tokens import read_invitation_token

CANDIDATE_LIST_FIELDS = (
    "pk",
    "programme_id",
    "title",
    "summary",
    "category",
    "commune",
    "submitted_at",
)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _seat(request: HttpRequest, programme_slug: str) -> JuryMember:
    """The user's seat on the jury of that programme; 404 for anyone else."""
    return get_object_or_404(
        JuryMember.objects.select_related("jury__programme__organiser", "partner"),
        jury__programme__slug=programme_slug,
        user=request.user,
    )


def _readable_seat(request: HttpRequest, programme_slug: str) -> JuryMember:
    seat = _seat(request, programme_slug)
    if not rules.jury_is_readable(seat.jury):
        raise Http404
    return seat


def _window_state(jury: Jury) -> str:
    """open, upcoming (set up or not started) or closed."""
    now = timezone.now()
    if jury.is_accepting_votes(now):
        return "open"
    try:
        voting.check_window(jury, now)
    except VotingError as error:
        return "closed" if error.code == "closed" else "upcoming"
    return "open"  # pragma: no cover - check_window raises whenever votes are refused


def _co_members(seat: JuryMember) -> list[JuryMember]:
    """Partner scope: the other members sharing the ballot."""
    if seat.jury.ballot_scope != BallotScope.PARTNER:
        return []
    return list(
        JuryMember.objects.filter(jury_id=seat.jury_id, partner_id=seat.partner_id)
        .exclude(pk=seat.pk)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# --- my juries ------------------------------------------------------------------------------


@dataclass
class SeatRow:
    seat: JuryMember
    ballot: Ballot | None
    window: str
    readable: bool


def seat_rows(user) -> list[SeatRow]:
    """The user's seats with their ballot's state, in a fixed number of queries."""
    seats = list(
        JuryMember.objects.filter(user=user)
        .select_related("jury__programme__organiser", "partner")
        .order_by("-jury__closes_at", "pk")
    )
    if not seats:
        return []
    ballots = Ballot.objects.filter(
        Q(member__in=seats)
        | Q(
            member__isnull=True,
            jury_id__in=[s.jury_id for s in seats],
            partner_id__in=[s.partner_id for s in seats],
        )
    ).only("pk", "jury_id", "partner_id", "member_id", "state", "submitted_at")
    by_member = {}
    by_partner = {}
    for ballot in ballots:
        if ballot.member_id:
            by_member[ballot.member_id] = ballot
        else:
            by_partner[(ballot.jury_id, ballot.partner_id)] = ballot
    rows = []
    for seat in seats:
        if seat.jury.ballot_scope == BallotScope.MEMBER:
            ballot = by_member.get(seat.pk)
        else:
            ballot = by_partner.get((seat.jury_id, seat.partner_id))
        rows.append(
            SeatRow(seat, ballot, _window_state(seat.jury), rules.jury_is_readable(seat.jury))
        )
    return rows


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "jury/home.html", {"rows": seat_rows(request.user)})


# --- accepting an invitation ------------------------------------------------------------------


@require_safe
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation e-mail. Logged out: log in by code (e-mail prefilled) and
    come back here. Logged in as the invited person: the seat is accepted."""
    pk = read_invitation_token(token)
    member = None
    if pk is not None:
        member = (
            JuryMember.objects.select_related("user", "partner", "jury__programme")
            .filter(pk=pk)
            .first()
        )
    if member is None:
        return render(request, "jury/invitation_invalid.html", status=400)
    if not request.user.is_authenticated:
        query = urlencode({"next": request.get_full_path(), "email": member.user.email})
        return redirect(f"{reverse('account_request_login_code')}?{query}")
    if member.user_id != request.user.pk:
        return render(request, "jury/invitation_other_account.html", {"member": member}, status=403)
    accepted = JuryMember.objects.filter(pk=member.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if accepted:
        log_action(
            "tremplin.jury.invitation_accepted",
            obj=member,
            user=request.user,
            organiser=Organiser(pk=member.jury.programme.organiser_id),
            data={"partner": member.partner.name},
        )
    messages.success(
        request,
        _("Welcome to the jury of %(programme)s, on behalf of %(partner)s.")
        % {"programme": member.jury.programme.name, "partner": member.partner.name},
    )
    return redirect("jury:ballot", programme_slug=member.jury.programme.slug)


# --- the ballot -------------------------------------------------------------------------------


@dataclass
class CandidateRow:
    application: Application
    recused: bool
    picked: bool = False
    grade: int | None = None
    grade_label: str = ""
    scored: int = 0


def _candidate_rows(jury: Jury, candidates: list[Application], contents: BallotContents):
    criteria_count = len(contents.criterion_ids)
    rows = []
    for application in candidates:
        pk = application.pk
        grade = contents.grades.get(pk)
        rows.append(
            CandidateRow(
                application=application,
                recused=pk in contents.recusals,
                picked=pk in contents.picks,
                grade=grade,
                grade_label=_label(jury, grade),
                scored=min(len(contents.scores.get(pk, {})), criteria_count),
            )
        )
    return rows


def _ballot_context(seat: JuryMember) -> dict:
    jury = seat.jury
    candidates = list(jury.candidates().order_by("pk").only(*CANDIDATE_LIST_FIELDS))
    ballot = voting.find_ballot(jury, seat)
    contents = ballots.ballot_contents(jury, ballot, [c.pk for c in candidates])
    return {
        "seat": seat,
        "jury": jury,
        "programme": jury.programme,
        "ballot": ballot,
        "contents": contents,
        "rows": _candidate_rows(jury, candidates, contents),
        "candidate_count": len(candidates),
        "window": _window_state(jury),
        "accepting": jury.is_accepting_votes(),
        "shared": jury.ballot_scope == BallotScope.PARTNER,
        "co_members": _co_members(seat),
        "criteria_count": len(contents.criterion_ids),
        "missing": contents.missing_message(),
        "unjudged_count": len(contents.unjudged()),
    }


def _render_ballot(
    request: HttpRequest, seat: JuryMember, *, submit_form=None, status: int = 200
) -> HttpResponse:
    jury = seat.jury
    if not rules.jury_is_readable(jury):
        context = {"seat": seat, "jury": jury, "programme": jury.programme}
        return render(request, "jury/not_open.html", context, status=status)
    context = _ballot_context(seat)
    shared_name = seat.partner.name if context["shared"] else ""
    context["submit_form"] = submit_form or SubmitForm(partner_name=shared_name)
    return render(request, "jury/ballot.html", context, status=status)


@login_required
@require_safe
def ballot(request: HttpRequest, programme_slug: str) -> HttpResponse:
    return _render_ballot(request, _seat(request, programme_slug))


@login_required
@require_POST
def submit(request: HttpRequest, programme_slug: str) -> HttpResponse:
    seat = _readable_seat(request, programme_slug)
    jury = seat.jury
    shared_name = seat.partner.name if jury.ballot_scope == BallotScope.PARTNER else ""
    form = SubmitForm(request.POST, partner_name=shared_name)
    was_submitted = False
    if form.is_valid():
        try:
            voting.check_window(jury)
            with transaction.atomic():
                ballot = voting.ballot_for(jury, request.user)
                was_submitted = ballot.state == BallotState.SUBMITTED
                voting.submit_ballot(ballot, user=request.user)
        except VotingError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render_ballot(request, seat, submit_form=form, status=400)
    if was_submitted:
        messages.info(request, _("Your ballot was already submitted: it stays submitted."))
    else:
        messages.success(
            request,
            _(
                "Your ballot is submitted. You can still change it until voting closes: "
                "it stays submitted."
            ),
        )
    return redirect("jury:ballot", programme_slug=programme_slug)


# --- one application --------------------------------------------------------------------------


def _application_context(seat: JuryMember, application: Application) -> dict:
    jury = seat.jury
    programme = jury.programme
    candidate_ids = list(jury.candidates().order_by("pk").values_list("pk", flat=True))
    ballot = voting.find_ballot(jury, seat)
    contents = ballots.ballot_contents(jury, ballot, candidate_ids)
    answers = {answer.question_id: answer for answer in application.answers.all()}
    questions = [
        (question, answers.get(question.pk), answer_text(question, answers.get(question.pk)))
        for question in programme.questions.all()
    ]
    position = candidate_ids.index(application.pk)
    criteria = list(jury.criteria.all()) if jury.method == JuryMethod.GRID else []
    recusal = contents.recusals.get(application.pk)
    return {
        "seat": seat,
        "jury": jury,
        "programme": programme,
        "application": application,
        "questions": questions,
        "images": list(application.images.all()),
        "ballot": ballot,
        "contents": contents,
        "criteria": criteria,
        "recusal": recusal,
        "accepting": jury.is_accepting_votes(),
        "window": _window_state(jury),
        "shared": jury.ballot_scope == BallotScope.PARTNER,
        "position": position + 1,
        "candidate_count": len(candidate_ids),
        "previous_pk": candidate_ids[position - 1] if position > 0 else None,
        "next_pk": candidate_ids[position + 1] if position + 1 < len(candidate_ids) else None,
        "picked": application.pk in contents.picks,
        "grade": contents.grades.get(application.pk),
        "grade_label": _label(jury, contents.grades.get(application.pk)),
        "score_rows": [
            (criterion, contents.scores.get(application.pk, {}).get(criterion.pk))
            for criterion in criteria
        ],
    }


def _label(jury: Jury, grade: int | None) -> str:
    labels = jury.grade_labels()
    return labels[grade] if grade is not None and 0 <= grade < len(labels) else ""


def _render_application(
    request: HttpRequest,
    seat: JuryMember,
    application: Application,
    *,
    form=None,
    recusal_form=None,
    status: int = 200,
    fragment: str = "",
    notice: str = "",
) -> HttpResponse:
    context = _application_context(seat, application)
    context["notice"] = notice
    context["form"] = form or vote_form(
        seat.jury,
        contents=context["contents"],
        application_id=application.pk,
        criteria=context["criteria"],
    )
    context["recusal_form"] = recusal_form or RecusalForm()
    template = fragment or "jury/application.html"
    return render(request, template, context, status=status)


def _candidate(seat: JuryMember, pk: int) -> Application:
    return get_object_or_404(seat.jury.candidates().select_related("programme__organiser"), pk=pk)


@login_required
@require_safe
def application(request: HttpRequest, programme_slug: str, pk: int) -> HttpResponse:
    seat = _readable_seat(request, programme_slug)
    return _render_application(request, seat, _candidate(seat, pk))


def _vote_message(jury: Jury, application: Application, contents: BallotContents) -> str:
    if jury.method == JuryMethod.FAVOURITES:
        if application.pk in contents.picks:
            return _("“%(title)s” is in your favourites (%(count)d / %(max)d).") % {
                "title": application.title,
                "count": contents.pick_count,
                "max": jury.max_picks,
            }
        return _("“%(title)s” is no longer in your favourites (%(count)d / %(max)d).") % {
            "title": application.title,
            "count": contents.pick_count,
            "max": jury.max_picks,
        }
    return _("Your vote on “%(title)s” is saved.") % {"title": application.title}


@login_required
@require_POST
def vote(request: HttpRequest, programme_slug: str, pk: int) -> HttpResponse:
    seat = _readable_seat(request, programme_slug)
    jury = seat.jury
    application = _candidate(seat, pk)
    from_list = request.POST.get("from") == "ballot"
    criteria = list(jury.criteria.all()) if jury.method == JuryMethod.GRID else []
    form = vote_form(jury, request.POST, application_id=application.pk, criteria=criteria)
    if form.is_valid():
        try:
            voting.check_window(jury)
            with transaction.atomic():
                ballot = voting.ballot_for(jury, request.user)
                form.apply(ballot, application, user=request.user)
        except VotingError as error:
            form.add_error(None, error)
    ok = form.is_valid()
    status = 200 if ok else 400
    if _is_htmx(request):
        if from_list:
            return _render_row(request, seat, application, form, status)
        notice = ""
        if ok:
            contents = ballots.ballot_contents(jury, voting.find_ballot(jury, seat))
            notice = _vote_message(jury, application, contents)
        return _render_application(
            request,
            seat,
            application,
            form=None if ok else form,
            status=status,
            fragment="jury/_vote_panel.html",
            notice=notice,
        )
    if not ok:
        if from_list:
            for error in form.errors.values():
                for message in error:
                    messages.error(request, message)
            return _render_ballot(request, seat, status=400)
        return _render_application(request, seat, application, form=form, status=400)
    contents = ballots.ballot_contents(jury, voting.find_ballot(jury, seat))
    messages.success(request, _vote_message(jury, application, contents))
    if from_list:
        return redirect(f"{reverse('jury:ballot', args=[programme_slug])}#row-{application.pk}")
    return redirect("jury:application", programme_slug=programme_slug, pk=application.pk)


def _render_row(request, seat, application, form, status) -> HttpResponse:
    """htmx, favourites on the list: the row again and the counter (out of band)."""
    jury = seat.jury
    contents = ballots.ballot_contents(jury, voting.find_ballot(jury, seat))
    row = _candidate_rows(jury, [application], contents)[0]
    errors = [str(message) for error in form.errors.values() for message in error]
    context = {
        "jury": jury,
        "programme": jury.programme,
        "row": row,
        "contents": contents,
        "accepting": jury.is_accepting_votes(),
        "row_errors": errors,
        "oob": True,
    }
    return render(request, "jury/_ballot_row.html", context, status=status)


@login_required
@require_POST
def recuse(request: HttpRequest, programme_slug: str, pk: int) -> HttpResponse:
    seat = _readable_seat(request, programme_slug)
    jury = seat.jury
    application = _candidate(seat, pk)
    form = RecusalForm(request.POST)
    outcome = None
    if form.is_valid():
        try:
            voting.check_window(jury)
            with transaction.atomic():
                ballot = voting.ballot_for(jury, request.user)
                outcome = voting.recuse(
                    ballot, application, user=request.user, reason=form.cleaned_data["reason"]
                )
        except VotingError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _render_application(request, seat, application, recusal_form=form, status=400)
    messages.success(
        request,
        _("Your conflict of interest is declared: you will not vote on this application."),
    )
    if outcome is not None and outcome.back_to_draft:
        messages.warning(
            request,
            _(
                "Your ballot has no favourite left: it is back to draft. Pick at least one "
                "application and submit it again."
            ),
        )
    return redirect("jury:application", programme_slug=programme_slug, pk=application.pk)
