"""The organiser's back-office for programmes: list, create/edit, dashboard and state
changes, the application form builder, the applications (list, detail, screening) and
their export.

Every view is decorated with ``organiser_view`` (which sets ``request.organiser`` and
``request.membership``), and every object is fetched through ``request.organiser``: another
organiser's programme answers 404. An invalid POST re-renders its form with status 400."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls import applications, exports, rules
from tremplin.calls import programmes as programme_verbs
from tremplin.calls.enums import (
    PROGRAMME_TRANSITIONS,
    SCREENING_STATES,
    TEAM_READABLE_STATES,
    ApplicationState,
    Eligibility,
    ProgrammeState,
)
from tremplin.calls.manage_forms import (
    ApplicationFilterForm,
    ProgrammeForm,
    QuestionForm,
    ScreeningForm,
)
from tremplin.calls.manage_list import filter_applications, list_query, programme_counts
from tremplin.calls.models import Application, Programme, Question
from tremplin.calls.questions import (
    QuestionHasAnswers,
    delete_question,
    move_question,
    save_question,
)
from tremplin.core.audit import entries_for, log_action
from tremplin.core.permissions import organiser_view

PAGE_SIZE = 50
AUDIT_LOG_SIZE = 100

# action in the URL → (domain function, target state)
TRANSITIONS: dict[str, tuple[Any, str]] = {
    "open": (programme_verbs.open_call, ProgrammeState.CALL_OPEN),
    "close": (programme_verbs.close_call, ProgrammeState.CALL_CLOSED),
    "screening": (programme_verbs.start_screening, ProgrammeState.SCREENING),
}


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme, organiser=request.organiser, slug=slug)


def _transition_labels() -> dict[str, str]:
    return {
        "open": _("Open the call"),
        "close": _("Close the call"),
        "screening": _("Start screening"),
    }


def _allowed_transitions(programme: Programme) -> list[tuple[str, str]]:
    allowed = PROGRAMME_TRANSITIONS[programme.state]
    labels = _transition_labels()
    return [
        (action, labels[action])
        for action, (_fn, target) in TRANSITIONS.items()
        if target in allowed
    ]


# --- programmes ---------------------------------------------------------------------------


@organiser_view()
@require_safe
def programmes(request: HttpRequest) -> HttpResponse:
    submitted = Q(applications__state=ApplicationState.SUBMITTED)
    rows = (
        Programme.objects.filter(organiser=request.organiser)
        .annotate(
            draft_count=Count("applications", filter=Q(applications__state=ApplicationState.DRAFT)),
            submitted_count=Count("applications", filter=submitted),
            eligible_count=Count(
                "applications",
                filter=submitted & Q(applications__eligibility=Eligibility.ELIGIBLE),
            ),
            withdrawn_count=Count(
                "applications", filter=Q(applications__state=ApplicationState.WITHDRAWN)
            ),
        )
        .order_by("-call_opens_at", "-id")
    )
    return render(request, "calls/manage/programme_list.html", {"programmes": rows})


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    programme = Programme(organiser=request.organiser, state=ProgrammeState.DRAFT)
    if request.method == "POST":
        form = ProgrammeForm(
            request.POST, request.FILES, instance=programme, organiser=request.organiser
        )
        if form.is_valid():
            programme = form.save(commit=False)
            programme_verbs.save_programme(
                programme,
                user=request.user,
                changed=form.changes(),
                created=True,
                partners=form.cleaned_data["partners"],
            )
            messages.success(request, _("The programme was created."))
            return redirect("manage:programme", request.organiser.slug, programme.slug)
    else:
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        form = ProgrammeForm(
            instance=programme,
            organiser=request.organiser,
            initial={
                "call_opens_at": now + timedelta(days=7),
                "call_closes_at": now + timedelta(days=37),
                "slug": slugify(f"{request.organiser.slug}-makers-{now.year}"),
            },
        )
    return render(
        request,
        "calls/manage/programme_form.html",
        {"form": form, "programme": None},
        status=_status(form),
    )


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if request.method == "POST":
        form = ProgrammeForm(
            request.POST, request.FILES, instance=programme, organiser=request.organiser
        )
        if form.is_valid():
            changed = form.changes()
            programme = form.save(commit=False)
            try:
                programme_verbs.save_programme(
                    programme,
                    user=request.user,
                    changed=changed,
                    partners=form.cleaned_data["partners"],
                )
            except programme_verbs.TransitionError as error:
                form.add_error("call_closes_at", error)
            else:
                messages.success(request, _("The programme was saved."))
                return redirect("manage:programme", request.organiser.slug, programme.slug)
        programme.slug = slug  # the page's own address, whatever was typed
    else:
        form = ProgrammeForm(instance=programme, organiser=request.organiser)
    return render(
        request,
        "calls/manage/programme_form.html",
        {"form": form, "programme": programme},
        status=_status(form),
    )


def _render_dashboard(
    request: HttpRequest, programme: Programme, *, status: int = 200
) -> HttpResponse:
    timeline = [
        (Programme._meta.get_field(name).verbose_name, getattr(programme, name))
        for name in (
            "call_opens_at",
            "call_closes_at",
            "jury_starts_at",
            "jury_ends_at",
            "results_at",
            "campaigns_start_at",
            "campaigns_end_at",
        )
    ]
    context = {
        "programme": programme,
        "counts": programme_counts(programme),
        "timeline": timeline,
        "transitions": _allowed_transitions(programme),
        "partners": programme.partners.all(),
        "entries": entries_for(programme)[:AUDIT_LOG_SIZE],
        "accepting": programme.is_accepting_applications(),
    }
    return render(request, "calls/manage/programme_dashboard.html", context, status=status)


@organiser_view()
@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_dashboard(request, _programme(request, slug))


@organiser_view(edit=True)
@require_POST
def programme_transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    programme = _programme(request, slug)
    if action not in TRANSITIONS:
        raise Http404
    function = TRANSITIONS[action][0]
    try:
        function(programme, user=request.user)
    except programme_verbs.TransitionError as error:
        messages.error(request, " ".join(error.messages))
        return _render_dashboard(request, programme, status=400)
    done = {
        "open": _("The call is open."),
        "close": _("The call is closed."),
        "screening": _("Eligibility screening has started."),
    }
    messages.success(request, done[action])
    return redirect("manage:programme", request.organiser.slug, programme.slug)


# --- application form builder ---------------------------------------------------------------


def _questions_context(programme: Programme) -> dict[str, Any]:
    questions = list(
        Question.objects.filter(programme=programme)
        .annotate(answer_count=Count("answers"))
        .order_by("position", "id")
    )
    return {
        "programme": programme,
        "questions": questions,
        "editable": rules.questions_editable(programme),
    }


@organiser_view()
@require_safe
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    context = _questions_context(programme)
    context["form"] = QuestionForm()
    return render(request, "calls/manage/questions.html", context)


def _render_questions_error(
    request: HttpRequest, programme: Programme, error: programme_verbs.TransitionError
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    context = _questions_context(programme)
    context["form"] = QuestionForm()
    return render(request, "calls/manage/questions.html", context, status=400)


def _form_closed(request: HttpRequest, programme: Programme) -> HttpResponse | None:
    """Back to the list, with a message, when the form can no longer be changed."""
    if rules.questions_editable(programme):
        return None
    messages.error(request, _("The call is closed: the application form can no longer be changed."))
    return redirect("manage:questions", request.organiser.slug, programme.slug)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def question_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if request.method in ("GET", "HEAD") and (closed := _form_closed(request, programme)):
        return closed
    question = Question(programme=programme)
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            save_question(
                form.save(commit=False),
                user=request.user,
                changed=form.changed_data,
                created=True,
            )
        except programme_verbs.TransitionError as error:
            return _render_questions_error(request, programme, error)
        messages.success(request, _("The question was added."))
        return redirect("manage:questions", request.organiser.slug, programme.slug)
    return render(
        request,
        "calls/manage/question_form.html",
        {"programme": programme, "form": form, "question": None},
        status=_status(form),
    )


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    question = get_object_or_404(Question, programme=programme, pk=pk)
    if request.method in ("GET", "HEAD") and (closed := _form_closed(request, programme)):
        return closed
    answer_count = question.answers.count()
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question, answer_count=answer_count)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            try:
                save_question(form.save(commit=False), user=request.user, changed=form.changed_data)
            except programme_verbs.TransitionError as error:
                return _render_questions_error(request, programme, error)
            messages.success(request, _("The question was saved."))
        return redirect("manage:questions", request.organiser.slug, programme.slug)
    return render(
        request,
        "calls/manage/question_form.html",
        {
            "programme": programme,
            "form": form,
            "question": question,
            "answer_count": answer_count,
        },
        status=_status(form),
    )


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    question = get_object_or_404(Question, programme=programme, pk=pk)
    status = 200
    if request.method == "POST":
        try:
            confirmed = int(request.POST.get("answers", "0"))
        except ValueError:
            confirmed = -1
        try:
            count = delete_question(question, user=request.user, answers_confirmed=confirmed)
        except QuestionHasAnswers:
            status = 400  # answers arrived since the page was shown: ask again
        except programme_verbs.TransitionError as error:
            return _render_questions_error(request, programme, error)
        else:
            if count:
                messages.success(
                    request,
                    _("The question and its %(count)d answers were deleted.") % {"count": count},
                )
            else:
                messages.success(request, _("The question was deleted."))
            return redirect("manage:questions", request.organiser.slug, programme.slug)
    return render(
        request,
        "calls/manage/question_delete.html",
        {"programme": programme, "question": question, "answer_count": question.answers.count()},
        status=status,
    )


@organiser_view(edit=True)
@require_POST
def question_move(request: HttpRequest, slug: str, pk: int, direction: str) -> HttpResponse:
    programme = _programme(request, slug)
    question = get_object_or_404(Question, programme=programme, pk=pk)
    if direction not in ("up", "down"):
        raise Http404
    try:
        move_question(question, user=request.user, direction=direction)
    except programme_verbs.TransitionError as error:
        return _render_questions_error(request, programme, error)
    if request.headers.get("HX-Request"):
        context = _questions_context(programme)
        context["moved"] = question.pk
        return render(request, "calls/manage/_question_list.html", context)
    return redirect(
        reverse("manage:questions", args=[request.organiser.slug, programme.slug])
        + f"#question-{question.pk}"
    )


# --- applications -------------------------------------------------------------------------


def _application(programme: Programme, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("maker", "screened_by"),
        programme=programme,
        pk=pk,
        state__in=TEAM_READABLE_STATES,
    )


def _neighbours(request: HttpRequest, programme: Programme, application: Application):
    """Previous and next application ids in the list as filtered in the query string."""
    form = ApplicationFilterForm(request.GET or None, programme=programme)
    ids = list(filter_applications(programme, form.filters()).values_list("id", flat=True))
    try:
        index = ids.index(application.pk)
    except ValueError:
        return None, None, None, len(ids)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following, index + 1, len(ids)


def _render_application(
    request: HttpRequest,
    programme: Programme,
    application: Application,
    *,
    form: ScreeningForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = list(Question.objects.filter(programme=programme).order_by("position", "id"))
    answers = {a.question_id: a for a in application.answers.all()}
    answered = []
    for question in questions:
        answer = answers.get(question.pk)
        if answer is not None:
            answer.question = question
        answered.append((question, answer))
    if form is None:
        form = ScreeningForm(
            initial={
                "decision": application.eligibility
                if application.eligibility != Eligibility.PENDING
                else None,
                "reason": application.eligibility_reason,
            }
        )
    previous, following, position, total = _neighbours(request, programme, application)
    context = {
        "programme": programme,
        "application": application,
        "answers": answered,
        "images": list(application.images.all()),
        "entries": entries_for(application)[:AUDIT_LOG_SIZE],
        "form": form,
        "query": list_query(request),
        "previous": previous,
        "next": following,
        "position": position,
        "total": total,
        "can_screen": request.membership.can_edit
        and application.state == ApplicationState.SUBMITTED
        and programme.state in SCREENING_STATES,
    }
    return render(request, "calls/manage/application_detail.html", context, status=status)


@organiser_view()
@require_safe
def application(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    return _render_application(request, programme, _application(programme, pk))


@organiser_view(edit=True)
@require_POST
def application_screen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug)
    application = _application(programme, pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            applications.screen_application(
                application,
                user=request.user,
                eligible=form.eligible,
                reason=form.cleaned_data["reason"],
            )
        except programme_verbs.TransitionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The screening decision was saved."))
            url = reverse("manage:application", args=[request.organiser.slug, slug, pk])
            query = list_query(request)
            return redirect(f"{url}?{query}" if query else url)
    return _render_application(request, programme, application, form=form, status=400)


@organiser_view()
@require_safe
def applications_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    programme = _programme(request, slug)
    header, rows, count = exports.export_applications(programme)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    filename = f"{programme.slug}-candidatures-{stamp}.{fmt}"
    if fmt == "csv":
        body = exports.to_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(header, rows, title=programme.name)
        content_type = exports.XLSX_MIME
    log_action(
        "tremplin.applications.exported",
        obj=programme,
        user=request.user,
        data={"format": fmt, "count": count},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
