"""Workshop pages: the public list and ICS feed of a programme, a workshop with its
registration form, one's registration (reached by the signed link of the e-mail), the
materials, and the management page of the organiser's team and the coaches.

Views parse input, call one verb and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.coaching import ics, workshops
from tremplin.coaching.enums import Audience, RegistrationState
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.forms import AttendanceForm, MaterialForm, RegistrationForm, WorkshopForm
from tremplin.coaching.models import Workshop, WorkshopMaterial, WorkshopRegistration
from tremplin.coaching.rules import can_manage_workshops, can_see_workshop_admin, in_audience
from tremplin.core.fields import parse_id
from tremplin.core.ratelimit import allow, client_ip


def _public_programme(slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organiser").exclude(state=ProgrammeState.DRAFT),
        slug=slug,
    )


def _visible_workshop(request: HttpRequest, pk) -> Workshop:
    workshop = (
        Workshop.objects.select_related("programme__organiser")
        .exclude(programme__state=ProgrammeState.DRAFT)
        .filter(pk=parse_id(pk) or 0)
        .first()
    )
    if workshop is None or not in_audience(request.user, workshop):
        raise Http404
    return workshop


@require_safe
def programme_workshops(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _public_programme(slug)
    now = timezone.now()
    rows = Workshop.objects.filter(programme=programme, cancelled_at__isnull=True)
    visible = [w for w in rows if in_audience(request.user, w)]
    return render(
        request,
        "coaching/workshops.html",
        {
            "programme": programme,
            "upcoming": [w for w in visible if w.ends_at > now],
            "past": [w for w in visible if w.ends_at <= now][-10:],
            "can_manage": can_manage_workshops(request.user, programme),
        },
    )


@require_safe
def programme_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public workshops of a programme as an ICS feed (subscribe in a calendar)."""
    programme = _public_programme(slug)
    rows = Workshop.objects.filter(programme=programme, audience=Audience.PUBLIC)
    response = HttpResponse(ics.workshops_feed(programme, rows), content_type="text/calendar")
    response["Content-Disposition"] = f'inline; filename="{programme.slug}-ateliers.ics"'
    return response


@require_safe
def workshop_ics(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    response = HttpResponse(ics.workshop_file(workshop), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="atelier-{workshop.pk}.ics"'
    return response


def _counts(workshop: Workshop) -> dict:
    rows = WorkshopRegistration.objects.filter(workshop=workshop)
    confirmed = rows.filter(state=RegistrationState.CONFIRMED).count()
    return {
        "confirmed": confirmed,
        "waiting": rows.filter(state=RegistrationState.WAITING).count(),
        "left": max(workshop.capacity - confirmed, 0),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    user = request.user if request.user.is_authenticated else None
    form = RegistrationForm(user=user)
    status = 200
    open_ = workshop.cancelled_at is None and workshop.starts_at > timezone.now()
    if request.method == "POST":
        form = RegistrationForm(request.POST, user=user)
        status = 400
        if not open_:
            form.add_error(None, _("Registration is closed for this workshop."))
        elif user is None and not allow(
            "workshop-register",
            client_ip(request),
            limit=settings.WORKSHOP_REGISTRATIONS_PER_IP,
            window=3600,
        ):
            form.add_error(
                None,
                _("Too many registrations from your connection: please try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            email = user.email if user is not None else form.cleaned_data["email"]
            try:
                registration = workshops.register(
                    workshop,
                    name=form.cleaned_data["name"],
                    email=email,
                    user=user,
                    language=(user.language if user else get_language()) or "fr",
                )
            except CoachingError as error:
                form.add_error(None, error)
            else:
                if registration.state == RegistrationState.CONFIRMED:
                    messages.success(
                        request, _("You are registered. A confirmation is on its way by e-mail.")
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "The workshop is full: you are on the waiting list. You will be "
                            "told by e-mail if a place frees up."
                        ),
                    )
                return redirect(workshops.registration_path(registration))
    mine = None
    if user is not None:
        mine = (
            WorkshopRegistration.objects.filter(workshop=workshop, user=user)
            .exclude(state=RegistrationState.CANCELLED)
            .first()
        )
    context = {
        "workshop": workshop,
        "programme": workshop.programme,
        "form": form,
        "counts": _counts(workshop),
        "open": open_,
        "mine": mine,
        "mine_path": workshops.registration_path(mine) if mine else "",
        "can_manage": can_manage_workshops(request.user, workshop.programme),
    }
    return render(request, "coaching/workshop.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """One's registration, from the link of the e-mail: its state, cancelling, and the
    materials once the workshop is over."""
    found = workshops.registration_from_token(token)
    if found is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            workshops.cancel_registration(found, user=request.user)
        except CoachingError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your registration is cancelled."))
            return redirect(request.path)
    found.refresh_from_db()
    workshop = found.workshop
    context = {
        "registration": found,
        "workshop": workshop,
        "token": token,
        "error": error,
        "can_cancel": found.state != RegistrationState.CANCELLED
        and workshop.starts_at > timezone.now(),
        "materials": list(workshop.materials.all()) if workshops.may_download(found) else [],
        "show_link": found.state == RegistrationState.CONFIRMED,
    }
    return render(request, "coaching/registration.html", context, status=400 if error else 200)


@require_safe
def material(request: HttpRequest, token: str, material_pk: int) -> HttpResponse:
    found = workshops.registration_from_token(token)
    if not workshops.may_download(found):
        raise Http404
    item = get_object_or_404(
        WorkshopMaterial, pk=parse_id(material_pk) or 0, workshop_id=found.workshop_id
    )
    return _serve(item)


def _serve(item: WorkshopMaterial) -> HttpResponse:
    if item.url and not item.file:
        return redirect(item.url)
    if not item.file or not default_storage.exists(item.file.name):
        raise Http404
    return FileResponse(
        default_storage.open(item.file.name, "rb"),
        as_attachment=True,
        filename=f"{item.title[:60]}.pdf",
        content_type="application/pdf",
    )


# --- management (the organiser's team, the programme's coaches) -----------------------------


def _managed_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not can_see_workshop_admin(request.user, programme):
        raise Http404
    return programme


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_new(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = _managed_programme(request, programme_slug)
    if not can_manage_workshops(request.user, programme):
        return HttpResponse(status=403)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = workshops.schedule_workshop(
                programme, user=request.user, fields=form.fields_dict()
            )
        except CoachingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is scheduled."))
            return redirect("coaching:workshop_admin", pk=workshop.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/workshop_form.html",
        {"programme": programme, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_admin(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(
        Workshop.objects.select_related("programme__organiser"), pk=parse_id(pk) or 0
    )
    programme = workshop.programme
    if not can_see_workshop_admin(request.user, programme):
        raise Http404
    can_edit = can_manage_workshops(request.user, programme)
    registrations = list(
        WorkshopRegistration.objects.filter(workshop=workshop).order_by("state", "created_at")
    )
    confirmed = [r for r in registrations if r.state == RegistrationState.CONFIRMED]
    forms_ = {
        "edit_form": WorkshopForm.for_workshop(workshop),
        "attendance_form": AttendanceForm(registrations=confirmed),
        "material_form": MaterialForm(),
    }
    error, status = "", 200
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        response, error = _admin_action(request, workshop, confirmed, forms_)
        if response is not None:
            return response
        status = 400
    now = timezone.now()
    context = {
        "workshop": workshop,
        "programme": programme,
        "registrations": registrations,
        "counts": _counts(workshop),
        "can_edit": can_edit,
        "started": workshop.starts_at <= now,
        "materials": list(workshop.materials.all()),
        "error": error,
        **forms_,
    }
    return render(request, "coaching/workshop_admin.html", context, status=status)


def _admin_action(request, workshop, confirmed, forms_):
    action = request.POST.get("action", "")
    back = redirect("coaching:workshop_admin", pk=workshop.pk)
    try:
        if action == "edit":
            form = forms_["edit_form"] = WorkshopForm.for_workshop(workshop, request.POST)
            if form.is_valid():
                workshops.update_workshop(workshop, user=request.user, fields=form.fields_dict())
                messages.success(request, _("The workshop is saved."))
                return back, ""
        elif action == "attendance":
            form = forms_["attendance_form"] = AttendanceForm(request.POST, registrations=confirmed)
            if form.is_valid():
                workshops.take_attendance(workshop, user=request.user, present=form.present_ids())
                messages.success(request, _("The attendance is saved."))
                return back, ""
        elif action == "material":
            form = forms_["material_form"] = MaterialForm(request.POST, request.FILES)
            if form.is_valid():
                workshops.add_material(
                    workshop,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    url=form.cleaned_data["url"],
                )
                messages.success(request, _("The material is added."))
                return back, ""
        elif action == "share":
            count = workshops.share_materials(workshop, user=request.user)
            messages.success(
                request, _("The materials are sent to %(count)s attendees.") % {"count": count}
            )
            return back, ""
        elif action == "cancel_workshop":
            count = workshops.cancel_workshop(workshop, user=request.user)
            messages.success(
                request,
                _("The workshop is cancelled: %(count)s people are told.") % {"count": count},
            )
            return back, ""
        elif action == "cancel_registration":
            pk = parse_id(request.POST.get("registration", "")) or 0
            target = WorkshopRegistration.objects.filter(pk=pk, workshop=workshop).first()
            if target is None:
                return None, _("This registration does not exist.")
            workshops.cancel_registration(target, user=request.user)
            messages.success(request, _("The registration is cancelled."))
            return back, ""
        else:
            return None, _("Unknown action.")
    except CoachingError as exc:
        return None, " ".join(exc.messages)
    return None, _("Check the form: some fields are not valid.")


@login_required
@require_safe
def material_admin(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    item = get_object_or_404(
        WorkshopMaterial.objects.select_related("workshop__programme"),
        pk=parse_id(material_pk) or 0,
        workshop_id=parse_id(pk) or 0,
    )
    if not can_see_workshop_admin(request.user, item.workshop.programme):
        raise Http404
    return _serve(item)
