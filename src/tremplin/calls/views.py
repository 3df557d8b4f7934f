"""Public and maker views of calls for projects: the programme page, the application form,
the maker's applications, withdrawal, and the permission-checked private files.

Permissions live in ``calls.rules``, the verbs in ``calls.applications``; views parse input,
call one verb and render."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls import applications, rules
from tremplin.calls.display import answer_text, public_url
from tremplin.calls.enums import ApplicationState, ProgrammeState, QuestionKind
from tremplin.calls.forms import ApplicationForm, WithdrawForm
from tremplin.calls.models import Answer, Application, ApplicationImage, Programme
from tremplin.calls.programmes import TransitionError
from tremplin.core import pagecache
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.core.dates import aware_utc
from tremplin.core.pagecache import PageVersion, public_page_cache, ttl_until
from tremplin.core.uploads import image_content_type

PRIVATE_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


# --- public programme page ----------------------------------------------------------------


@dataclass
class TimelineStep:
    key: str
    label: str
    start: datetime
    end: datetime | None = None
    with_time: bool = False
    state: str = "upcoming"  # past, current or upcoming


def timeline(programme: Programme, now: datetime) -> list[TimelineStep]:
    """The dated steps of a programme, the current one marked (the last one started)."""
    candidates = [
        TimelineStep("opens", gettext_lazy("Applications open"), programme.call_opens_at),
        TimelineStep(
            "deadline",
            gettext_lazy("Application deadline"),
            programme.call_closes_at,
            with_time=True,
        ),
        TimelineStep(
            "jury", gettext_lazy("Jury"), programme.jury_starts_at, programme.jury_ends_at
        ),
        TimelineStep("results", gettext_lazy("Results announced"), programme.results_at),
        TimelineStep(
            "campaigns",
            gettext_lazy("Crowdfunding campaigns"),
            programme.campaigns_start_at,
            programme.campaigns_end_at,
        ),
    ]
    steps = [step for step in candidates if step.start is not None]
    started = [index for index, step in enumerate(steps) if step.start <= now]
    current = started[-1] if started else None
    for index, step in enumerate(steps):
        if current is None or index > current:
            step.state = "upcoming"
        elif index < current or step.end is not None and step.end < now:
            step.state = "past"
        else:
            step.state = "current"
    return steps


# What the programme page shows that can change: the programme itself (any edit bumps
# updated_at), its state, and whether the jury's results are published (the laureates
# link). Its dates also bound how long the cached page may live: the page changes at each
# of them ("Apply" must be gone once the deadline passes).
_PAGE_VERSION_FIELDS = ("pk", "updated_at", "state", "jury__published_at")
_PAGE_BOUNDARY_FIELDS = (
    "call_opens_at",
    "call_closes_at",
    "jury_starts_at",
    "jury_ends_at",
    "results_at",
    "campaigns_start_at",
    "campaigns_end_at",
)


@functools.cache
def _page_version_sql() -> tuple[str, tuple]:
    return pagecache.compile_version_query(
        Programme.objects.public()
        .filter(slug=pagecache.SLUG)
        .values_list(*_PAGE_VERSION_FIELDS, *_PAGE_BOUNDARY_FIELDS)
        .order_by()[:1]
    )


def programme_page_version(slug: str) -> PageVersion | None:
    """One small query: the key parts and lifetime of the cached anonymous page."""
    row = pagecache.version_row(_page_version_sql(), slug)
    if row is None:
        return None
    split = len(_PAGE_VERSION_FIELDS)
    boundaries = [aware_utc(value) for value in row[split:]]
    return PageVersion(parts=tuple(row[:split]), ttl=ttl_until(boundaries))


@require_safe
@public_page_cache(programme_page_version)
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(
        # the jury too: the page links to the laureates once they are published
        Programme.objects.public().select_related("organiser", "jury").prefetch_related("partners"),
        slug=slug,
    )
    now = timezone.now()
    my_application = None
    if request.user.is_authenticated:
        my_application = (
            Application.objects.filter(programme=programme, maker=request.user)
            .only("pk", "state", "programme_id")
            .first()
        )
    logo_url = public_url(programme.logo)
    context = {
        "programme": programme,
        "organiser": programme.organiser,
        "partners": list(programme.partners.all()),
        "timeline": timeline(programme, now),
        "accepting": programme.is_accepting_applications(now),
        "not_yet_open": programme.state == ProgrammeState.CALL_OPEN
        and now < programme.call_opens_at,
        "my_application": my_application,
        "primary_colour": safe_colour(programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(programme.secondary_colour, DEFAULT_SECONDARY),
        "logo_url": logo_url,
        "og_image": f"{settings.SITE_URL}{logo_url}" if logo_url else "",
        "rules_url": public_url(programme.rules_document),
    }
    return render(request, "calls/programme.html", context)


# --- application form ---------------------------------------------------------------------


def _closed_reason(programme: Programme, application: Application | None) -> str:
    """Why the form cannot be used now, or "" when it can."""
    if application is not None and application.state == ApplicationState.WITHDRAWN:
        return _("You withdrew your application to this programme: it can no longer be changed.")
    if programme.is_accepting_applications():
        return ""
    if programme.state == ProgrammeState.CALL_OPEN and timezone.now() < programme.call_opens_at:
        return _("The call for projects is not open yet: come back once it opens.")
    if application is not None and application.state == ApplicationState.SUBMITTED:
        return _(
            "The call for projects is closed: your application can no longer be changed. "
            "It stays as you submitted it."
        )
    return _("The call for projects is closed: applications are no longer accepted.")


def _render_closed(request, programme, application, reason, status) -> HttpResponse:
    return render(
        request,
        "calls/apply_closed.html",
        {"programme": programme, "application": application, "reason": reason},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Create or edit the maker's one application to a programme: save a draft or submit."""
    programme = get_object_or_404(Programme.objects.public().select_related("organiser"), slug=slug)
    application = Application.objects.filter(programme=programme, maker=request.user).first()
    reason = _closed_reason(programme, application)
    if reason:
        status = 403 if request.method == "POST" else 200
        return _render_closed(request, programme, application, reason, status)

    questions = list(programme.questions.all())
    answers = list(application.answers.all()) if application else []
    images = list(application.images.all()) if application else []
    already_submitted = application is not None and application.state == ApplicationState.SUBMITTED
    form_kwargs = {
        "programme": programme,
        "questions": questions,
        "application": application,
        "answers": answers,
        "images": images,
    }
    if request.method != "POST":
        if application is None:
            form_kwargs["initial"] = {"maker_name": request.user.full_name}
        form = ApplicationForm(**form_kwargs)
        return _render_form(request, programme, application, form)

    submitting = request.POST.get("action") == "submit" or already_submitted
    form = ApplicationForm(request.POST, request.FILES, submitting=submitting, **form_kwargs)
    if not form.is_valid():
        return _render_form(request, programme, application, form, status=400)

    created = application is None
    target = application or Application(programme=programme, maker=request.user)
    form.apply_to(target)
    try:
        with transaction.atomic():
            applications.save_draft(
                target, user=request.user, created=created, changes=form.changes()
            )
            if submitting:
                applications.submit_application(target, user=request.user)
    except TransitionError as error:
        if error.code == "closed":
            return _render_closed(request, programme, application, error.messages[0], 403)
        form.add_error(None, error)
        return _render_form(request, programme, application, form, status=400)

    if submitting and already_submitted:
        messages.success(request, _("Your changes are saved. Your application stays submitted."))
    elif submitting:
        messages.success(
            request,
            _("Your application is submitted. A confirmation has been sent by e-mail."),
        )
    else:
        messages.success(
            request,
            _("Your draft is saved. Remember to submit it before the deadline."),
        )
    return redirect("calls:application", pk=target.pk)


def _render_form(request, programme, application, form, status: int = 200) -> HttpResponse:
    context = {
        "programme": programme,
        "application": application,
        "form": form,
        "already_submitted": application is not None
        and application.state == ApplicationState.SUBMITTED,
        "max_images": settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION,
    }
    return render(request, "calls/apply.html", context, status=status)


# --- the maker's applications -------------------------------------------------------------


@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        Application.objects.filter(maker=request.user)
        .select_related("programme", "programme__organiser")
        .order_by("-created_at", "-pk")
    )
    return render(request, "calls/my_applications.html", {"applications": applications})


def _my_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("programme", "programme__organiser"),
        pk=pk,
        maker=request.user,
    )


@login_required
@require_safe
def application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _my_application(request, pk)
    answers = {answer.question_id: answer for answer in application.answers.all()}
    questions = [
        (question, answers.get(question.pk), answer_text(question, answers.get(question.pk)))
        for question in application.programme.questions.all()
    ]
    context = {
        "application": application,
        "programme": application.programme,
        "questions": questions,
        "images": list(application.images.all()),
        "can_withdraw": rules.can_withdraw(application),
        "can_edit": rules.can_edit_application(application),
    }
    return render(request, "calls/application.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page (GET), then the withdrawal itself (POST)."""
    application = _my_application(request, pk)
    allowed = rules.can_withdraw(application)
    context = {"application": application, "programme": application.programme, "allowed": allowed}
    if request.method != "POST":
        context["form"] = WithdrawForm()
        return render(request, "calls/withdraw.html", context)
    form = WithdrawForm(request.POST)
    context["form"] = form
    if not allowed:
        context["error"] = _("This application can no longer be withdrawn.")
        return render(request, "calls/withdraw.html", context, status=400)
    if not form.is_valid():
        return render(request, "calls/withdraw.html", context, status=400)
    try:
        applications.withdraw_application(application, user=request.user)
    except TransitionError as error:
        context["error"] = error.messages[0]
        return render(request, "calls/withdraw.html", context, status=400)
    messages.success(request, _("Your application is withdrawn."))
    return redirect("calls:application", pk=application.pk)


# --- private files ------------------------------------------------------------------------


def _readable_application(request: HttpRequest, pk: int) -> Application:
    """The application if the user may read it in full (``calls.rules``); else 404."""
    application = get_object_or_404(Application.objects.select_related("programme"), pk=pk)
    if not rules.can_read_application(request.user, application):
        raise Http404
    return application


def _private_response(field_file, content_type: str, **kwargs) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, **kwargs)
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def application_file(request: HttpRequest, pk: int, answer_pk: int) -> FileResponse:
    application = _readable_application(request, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("question"),
        pk=answer_pk,
        application=application,
        question__kind=QuestionKind.FILE,
    )
    if not answer.file:
        raise Http404
    filename = f"{application.reference}-{answer.question_id}.pdf"
    return _private_response(answer.file, "application/pdf", as_attachment=True, filename=filename)


@require_safe
def application_image(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    # The images of a public application (a laureate of a published jury) are public.
    public = Application.objects.select_related("programme").filter(pk=pk).first()
    if public is not None and rules.is_application_public(public):
        image = get_object_or_404(ApplicationImage, pk=image_pk, application=public)
        response = _private_response(image.image, image_content_type(image.image.name))
        response["Cache-Control"] = "public, max-age=600"
        return response
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _readable_application(request, pk)
    image = get_object_or_404(ApplicationImage, pk=image_pk, application=application)
    return _private_response(image.image, image_content_type(image.image.name))
