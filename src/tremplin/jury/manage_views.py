"""The organiser's jury pages, mounted under
``gestion/<organiser_slug>/programmes/<slug>/jury/``: the set-up, the members, opening and
closing, the participation (who has submitted, never what), the tally (only after the
close), the exports, the deliberation and the publication.

Every view is decorated with ``organiser_view``; the programme is fetched through
``request.organiser`` (another organiser's answers 404). Viewers read; changes need a
manager (403 otherwise). Before the close, nothing shows what a ballot contains: the tally,
its export and the deliberation answer 403 with an explanation. An invalid POST
re-renders its page with status 400."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.exports import to_csv
from tremplin.calls.models import Programme
from tremplin.core.audit import log_action
from tremplin.core.models import AuditLog
from tremplin.core.permissions import organiser_view
from tremplin.jury import administration, exports, publication
from tremplin.jury.enums import Outcome
from tremplin.jury.manage_forms import (
    DeliberationForm,
    InviteForm,
    JuryForm,
    MemberActionForm,
    PublishForm,
)
from tremplin.jury.models import Criterion, Decision, Jury, JuryMember
from tremplin.jury.tally import compute_tally
from tremplin.jury.tally_display import grade_colours, tally_rows
from tremplin.jury.tally_json import tally_to_json

HISTORY_SIZE = 100


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organiser"), organiser=request.organiser, slug=slug
    )


def _jury(programme: Programme) -> Jury | None:
    jury = Jury.objects.filter(programme=programme).first()
    if jury is not None:
        jury.programme = programme
    return jury


def _no_jury(request: HttpRequest, programme: Programme) -> HttpResponse:
    messages.info(request, _("Set up the jury of this programme first."))
    return redirect("jury_manage:setup", request.organiser.slug, programme.slug)


def _before_close(request: HttpRequest, programme: Programme, jury: Jury, title: str):
    """The page a ballot's content would be on, before the close: 403 and why."""
    return render(
        request,
        "jury/manage/before_close.html",
        {"programme": programme, "jury": jury, "page_title": title},
        status=403,
    )


def closed_jury_view(title: str) -> Callable:
    """Decorate a view of the closed jury's results (under ``organiser_view``): it is
    called as ``view(request, programme, jury)``; with no jury yet, the set-up page; before
    the close, the 403 page titled ``title`` (a lazy string)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str) -> HttpResponse:
            programme = _programme(request, slug)
            jury = _jury(programme)
            if jury is None:
                return _no_jury(request, programme)
            if jury.closed_at is None:
                return _before_close(request, programme, jury, title)
            return view(request, programme, jury)

        return wrapped

    return decorator


def jury_history(jury: Jury):
    """The jury's own log and the programme's jury transitions, most recent first. Ballot
    entries are not included: they belong to the jurors."""
    ct_jury = ContentType.objects.get_for_model(Jury)
    ct_programme = ContentType.objects.get_for_model(Programme)
    return (
        AuditLog.objects.filter(
            Q(content_type=ct_jury, object_id=str(jury.pk))
            | Q(
                content_type=ct_programme,
                object_id=str(jury.programme_id),
                action__startswith="tremplin.jury.",
            )
        )
        .select_related("user")
        .order_by("-created_at", "-id")[:HISTORY_SIZE]
    )


def _base_context(request: HttpRequest, programme: Programme, jury: Jury | None) -> dict:
    return {
        "programme": programme,
        "jury": jury,
        "can_edit": request.membership.can_edit,
        "closed": jury is not None and jury.closed_at is not None,
        "published": jury is not None and jury.published_at is not None,
    }


# --- set-up ---------------------------------------------------------------------------------


def _new_jury(programme: Programme) -> Jury:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    opens = programme.jury_starts_at or max(programme.call_closes_at, now) + timedelta(days=1)
    closes = programme.jury_ends_at
    if closes is None or closes <= opens:
        closes = opens + timedelta(days=21)
    return Jury(programme=programme, opens_at=opens, closes_at=closes)


def _jury_form(request: HttpRequest, programme: Programme, jury: Jury, data=None) -> JuryForm:
    initial = {}
    if jury.pk is None:
        initial["partners"] = list(programme.partners.values_list("pk", flat=True))
    return JuryForm(
        data,
        instance=jury,
        organiser=request.organiser,
        initial=initial,
        locked_rules=administration.has_ballots(jury),
        closed=jury.closed_at is not None,
        read_only=not request.membership.can_edit or jury.published_at is not None,
    )


def _render_setup(
    request: HttpRequest,
    programme: Programme,
    jury: Jury,
    *,
    form: JuryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    saved = jury.pk is not None
    if saved:
        jury = Jury.objects.get(pk=jury.pk)  # what is stored, whatever the form typed
        jury.programme = programme
    form = form or _jury_form(request, programme, jury)
    context = _base_context(request, programme, jury if saved else None)
    context.update(
        {
            "form": form,
            "setup_jury": jury,
            "locked_rules": form.locked_rules,
            "problems": administration.opening_problems(jury)
            if saved and programme.state == ProgrammeState.SCREENING
            else [],
            "candidate_count": jury.candidates().count(),
            "member_count": jury.members.count() if saved else 0,
            "entries": jury_history(jury) if saved else [],
            "now": timezone.now(),
        }
    )
    return render(request, "jury/manage/setup.html", context, status=status)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    jury = _jury(programme) or _new_jury(programme)
    if request.method != "POST":
        return _render_setup(request, programme, jury)
    created = jury.pk is None
    form = _jury_form(request, programme, jury, request.POST)
    if form.is_valid():
        try:
            administration.save_jury(
                form.save(),
                user=request.user,
                partners=form.selected_partners,
                criteria=form.criteria,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The jury was set up.") if created else _("The jury was saved.")
            )
            return redirect("jury_manage:setup", request.organiser.slug, programme.slug)
    if created:
        jury.pk = None
    return _render_setup(request, programme, jury, form=form, status=400)


TRANSITIONS = {"open": administration.open_jury, "close": administration.close_jury}


@organiser_view(edit=True)
@require_POST
def transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    programme = _programme(request, slug)
    jury = _jury(programme)
    if jury is None:
        return _no_jury(request, programme)
    try:
        TRANSITIONS[action](jury, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        programme.refresh_from_db()
        return _render_setup(request, programme, jury, status=400)
    if action == "open":
        messages.success(request, _("The jury is open: its members can vote within the window."))
        return redirect("jury_manage:setup", request.organiser.slug, programme.slug)
    messages.success(request, _("The jury is closed: the ballots are frozen and counted."))
    return redirect("jury_manage:tally", request.organiser.slug, programme.slug)


# --- members --------------------------------------------------------------------------------


def _render_members(
    request: HttpRequest,
    programme: Programme,
    jury: Jury,
    *,
    form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(
        JuryMember.objects.filter(jury=jury)
        .select_related("user", "partner")
        .order_by("user__full_name", "user__email")
    )
    groups = []
    for partner in jury.partners.order_by("name"):
        groups.append((partner, [m for m in members if m.partner_id == partner.pk]))
    context = _base_context(request, programme, jury)
    context.update(
        {
            "groups": groups,
            "member_count": len(members),
            "form": form or InviteForm(jury=jury),
            "editable": request.membership.can_edit and jury.closed_at is None,
        }
    )
    return render(request, "jury/manage/members.html", context, status=status)


def _member_action(request: HttpRequest, programme: Programme, jury: Jury) -> HttpResponse:
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This action is not possible."))
        return _render_members(request, programme, jury, status=400)
    member = get_object_or_404(
        JuryMember.objects.select_related("user", "partner", "jury__programme__organiser"),
        jury=jury,
        pk=form.cleaned_data["member"],
    )
    action = form.cleaned_data["action"]
    try:
        if action == "resend":
            administration.resend_invitation(member, user=request.user)
        else:
            administration.remove_member(member, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_members(request, programme, jury, status=400)
    if action == "resend":
        messages.success(
            request, _("The invitation was sent again to %(email)s.") % {"email": member.user.email}
        )
    else:
        messages.success(
            request, _("%(person)s was removed from the jury.") % {"person": member.user}
        )
    return redirect("jury_manage:members", request.organiser.slug, programme.slug)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    jury = _jury(programme)
    if jury is None:
        return _no_jury(request, programme)
    if request.method != "POST":
        return _render_members(request, programme, jury)
    if "action" in request.POST:
        return _member_action(request, programme, jury)
    form = InviteForm(request.POST, jury=jury)
    if form.is_valid():
        try:
            member = administration.invite_member(
                jury,
                form.cleaned_data["partner"],
                form.cleaned_data["email"],
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(email)s is invited: the invitation is on its way.")
                % {"email": member.user.email},
            )
            return redirect("jury_manage:members", request.organiser.slug, programme.slug)
    return _render_members(request, programme, jury, form=form, status=400)


# --- participation --------------------------------------------------------------------------


@organiser_view()
@require_safe
def participation(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    jury = _jury(programme)
    if jury is None:
        return _no_jury(request, programme)
    rows = exports.participation(jury)
    submitted = sum(1 for row in rows if row.submitted)
    context = _base_context(request, programme, jury)
    context.update(
        {
            "rows": rows,
            "submitted": submitted,
            "expected": len(rows),
            "quorum_missing": jury.quorum and submitted < jury.quorum,
        }
    )
    return render(request, "jury/manage/participation.html", context)


# --- tally ----------------------------------------------------------------------------------


@organiser_view()
@require_safe
@closed_jury_view(gettext_lazy("Tally"))
def tally(request: HttpRequest, programme: Programme, jury: Jury) -> HttpResponse:
    result = compute_tally(jury)
    labels = jury.grade_labels()
    context = _base_context(request, programme, jury)
    context.update(
        {
            "result": result,
            "rows": tally_rows(jury, result),
            "labels": labels,
            "legend": list(zip(labels, grade_colours(len(labels)), strict=True)),
            "criteria": list(Criterion.objects.filter(jury=jury).order_by("position", "id")),
            "quorum_missing": not result.quorum_met,
        }
    )
    return render(request, "jury/manage/tally.html", context)


# --- exports --------------------------------------------------------------------------------

EXPORTS = {"tally", "participation"}
FORMATS = {"csv", "json"}


@organiser_view()
@require_safe
def export(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404
    programme = _programme(request, slug)
    jury = _jury(programme)
    if jury is None:
        return _no_jury(request, programme)
    if what == "tally":
        if jury.closed_at is None:
            return _before_close(request, programme, jury, _("Tally"))
        result = compute_tally(jury)
        if fmt == "json":
            body: bytes | str = tally_to_json(result)
        else:
            body = to_csv(*exports.tally_table(jury, result))
    elif fmt == "json":
        body = json.dumps(
            [
                {
                    "partner": row.partner,
                    "members": [m.user.email for m in row.members],
                    "submitted": row.submitted,
                    "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
                }
                for row in exports.participation(jury)
            ],
            ensure_ascii=False,
            indent=2,
        )
    else:
        body = to_csv(*exports.participation_table(jury))
    log_action(
        "tremplin.jury.exported", obj=jury, user=request.user, data={"what": what, "format": fmt}
    )
    if isinstance(body, str):
        body = body.encode("utf-8")
    content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    name = {"tally": "depouillement", "participation": "participation"}[what]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- deliberation and publication -----------------------------------------------------------


def _deliberation_rows(jury: Jury, result) -> list[dict[str, Any]]:
    candidates = {a.pk: a for a in jury.candidates().select_related("maker")}
    decisions = {d.application_id: d for d in Decision.objects.filter(jury=jury)}
    suggested = set(publication.suggested_laureates(jury, result))
    rows = []
    for r in result.results:
        application = candidates.get(r.application_id)
        if application is None:
            continue
        rows.append(
            {
                "application": application,
                "result": r,
                "suggested": r.application_id in suggested,
                "decision": decisions.get(r.application_id),
            }
        )
    return rows


def _render_deliberation(
    request: HttpRequest,
    programme: Programme,
    jury: Jury,
    *,
    form: DeliberationForm | None = None,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    result = compute_tally(jury)
    rows = _deliberation_rows(jury, result)
    read_only = not request.membership.can_edit or jury.published_at is not None
    if form is None:
        form = DeliberationForm(rows=rows, read_only=read_only)
    decisions = [row["decision"] for row in rows if row["decision"] is not None]
    counts = dict.fromkeys(Outcome.values, 0)
    for decision in decisions:
        counts[decision.outcome] += 1
    context = _base_context(request, programme, jury)
    context.update(
        {
            "form": form,
            "rows": form.grouped(),
            "read_only": read_only,
            "result": result,
            "decided": len(decisions),
            "counts": counts,
            "publish_form": publish_form or PublishForm(),
            "publication_problems": publication.publication_problems(jury),
            "entries": jury_history(jury),
        }
    )
    return render(request, "jury/manage/deliberation.html", context, status=status)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
@closed_jury_view(gettext_lazy("Deliberation"))
def deliberation(request: HttpRequest, programme: Programme, jury: Jury) -> HttpResponse:
    if request.method != "POST":
        return _render_deliberation(request, programme, jury)
    rows = _deliberation_rows(jury, compute_tally(jury))
    form = DeliberationForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            publication.save_decisions(jury, form.decisions(), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decisions were saved."))
            return redirect("jury_manage:deliberation", request.organiser.slug, programme.slug)
    return _render_deliberation(request, programme, jury, form=form, status=400)


@organiser_view(edit=True)
@require_POST
@closed_jury_view(gettext_lazy("Publication"))
def publish(request: HttpRequest, programme: Programme, jury: Jury) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _render_deliberation(request, programme, jury, publish_form=form, status=400)
    try:
        publication.publish_results(jury, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _render_deliberation(request, programme, jury, status=400)
    messages.success(
        request,
        _("The results are published: every applicant is being told by e-mail."),
    )
    return redirect("jury_manage:deliberation", request.organiser.slug, programme.slug)
