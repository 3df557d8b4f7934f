"""The organiser's back-office for its own settings: partner organisations and team.

Every view is decorated with ``organiser_view``; partners and members are fetched through
``request.organiser`` (another organiser's answers 404). Changing the team needs the
administrator role. An invalid POST re-renders its form with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.core import organisers
from tremplin.core.manage_forms import AddMemberForm, PartnerForm, RoleForm
from tremplin.core.models import OrganiserMembership, OrganiserRole, Partner
from tremplin.core.permissions import organiser_view

# --- partners -----------------------------------------------------------------------------


@organiser_view()
@require_safe
def partners(request: HttpRequest) -> HttpResponse:
    rows = Partner.objects.filter(organiser=request.organiser).order_by("name")
    return render(request, "calls/manage/partner_list.html", {"partners": rows})


def _partner_form(request: HttpRequest, partner: Partner, *, created: bool) -> HttpResponse:
    saved_name = partner.name  # validation writes into the instance
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = PartnerForm(*data, instance=partner)
    if request.method == "POST" and form.is_valid():
        changed = list(form.changed_data)
        organisers.save_partner(
            form.save(commit=False), user=request.user, changed=changed, created=created
        )
        messages.success(
            request,
            _("The partner organisation was added.")
            if created
            else _("The partner organisation was saved."),
        )
        return redirect("manage:partners", request.organiser.slug)
    return render(
        request,
        "calls/manage/partner_form.html",
        {"form": form, "partner": None if created else partner, "saved_name": saved_name},
        status=400 if form.is_bound and form.errors else 200,
    )


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    return _partner_form(request, Partner(organiser=request.organiser), created=True)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, organiser=request.organiser, pk=pk)
    return _partner_form(request, partner, created=False)


# --- team ---------------------------------------------------------------------------------


def _is_admin(request: HttpRequest) -> bool:
    return request.membership.role == OrganiserRole.ADMIN


def _require_admin(request: HttpRequest) -> None:
    if not _is_admin(request):
        raise PermissionDenied


def _render_team(request: HttpRequest, *, form: AddMemberForm | None = None, status=200):
    members = (
        OrganiserMembership.objects.filter(organiser=request.organiser)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    context = {
        "members": members,
        "is_admin": _is_admin(request),
        "form": form or AddMemberForm(organiser=request.organiser),
        "roles": OrganiserRole.choices,
    }
    return render(request, "calls/manage/team.html", context, status=status)


@organiser_view()
@require_safe
def team(request: HttpRequest) -> HttpResponse:
    return _render_team(request)


@organiser_view(edit=True)
@require_POST
def team_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = AddMemberForm(request.POST, organiser=request.organiser)
    if form.is_valid():
        try:
            organisers.add_member(
                request.organiser,
                form.member,
                role=form.cleaned_data["role"],
                user=request.user,
            )
        except organisers.TeamError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("%(person)s was added to the team.") % {"person": form.member},
            )
            return redirect("manage:team", request.organiser.slug)
    return _render_team(request, form=form, status=400)


def _member(request: HttpRequest, pk: int) -> OrganiserMembership:
    return get_object_or_404(
        OrganiserMembership.objects.select_related("user", "organiser"),
        organiser=request.organiser,
        pk=pk,
    )


@organiser_view(edit=True)
@require_POST
def team_role(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    membership = _member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return _render_team(request, status=400)
    try:
        organisers.change_role(membership, role=form.cleaned_data["role"], user=request.user)
    except organisers.TeamError as error:
        messages.error(request, " ".join(error.messages))
        return _render_team(request, status=400)
    messages.success(
        request,
        _("%(person)s is now “%(role)s”.")
        % {"person": membership.user, "role": membership.get_role_display()},
    )
    return redirect("manage:team", request.organiser.slug)


@organiser_view(edit=True)
@require_POST
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    membership = _member(request, pk)
    try:
        organisers.remove_member(membership, user=request.user)
    except organisers.TeamError as error:
        messages.error(request, " ".join(error.messages))
        return _render_team(request, status=400)
    messages.success(
        request, _("%(person)s was removed from the team.") % {"person": membership.user}
    )
    return redirect("manage:team", request.organiser.slug)
