"""The organiser's back-office for kits: a campaign's kit (proof, progress, release, texts
to edit, earlier versions), the programme's kits with the printers' ZIP per format, and the
custom print formats.

Every view is decorated with ``organiser_view``; every object is fetched through
``request.organiser`` (another organiser's answers 404). Viewers read, never write (403)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.core.errors import DomainError
from tremplin.core.permissions import organiser_view
from tremplin.kit import downloads, formats, proofs, registry
from tremplin.kit.enums import KitState
from tremplin.kit.forms import PosterFormatForm, TextForm
from tremplin.kit.models import KitItem, KitVersion, PosterFormat
from tremplin.kit.release import release
from tremplin.kit.views import proof_context, zip_response


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker"),
        programme__organiser=request.organiser,
        slug=slug,
    )


def _kit_url(request: HttpRequest, campaign: Campaign) -> str:
    return reverse("kit_manage:campaign_kit", args=[request.organiser.slug, campaign.slug])


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_kit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "release":
                version = get_object_or_404(
                    KitVersion, campaign=campaign, pk=_int(request.POST.get("version"))
                )
                release(version, user=request.user)
                messages.success(request, _("The kit is released: printers may download it."))
            elif action == "regenerate":
                proofs.regenerate(campaign, user=request.user)
                messages.success(request, _("A new version of the kit is being generated."))
            else:
                return _render_kit(request, campaign, status=400, error=_("Unknown action."))
        except DomainError as error:
            return _render_kit(request, campaign, status=400, error=" ".join(error.messages))
        return redirect(_kit_url(request, campaign))
    return _render_kit(request, campaign)


def _int(value) -> int:
    from tremplin.core.fields import parse_id

    parsed = parse_id(value)
    if parsed is None:
        raise Http404
    return parsed


def _render_kit(request, campaign, *, status: int = 200, error: str = "") -> HttpResponse:
    context = proof_context(campaign)
    context.update({"programme": campaign.programme, "action_error": error, "manage": True})
    return render(request, "kit/manage/campaign_kit.html", context, status=status)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def edit_text(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug)
    item = get_object_or_404(
        KitItem.objects.select_related("version__campaign"),
        pk=pk,
        version__campaign=campaign,
        version__number=number,
    )
    item_kind = registry.kind(item.kind)
    if item_kind is None or not item_kind.editable:
        raise Http404
    editable = item.version.state == KitState.PROOF
    form = TextForm(request.POST if request.method == "POST" else None, initial={"body": item.body})
    status = 200
    if request.method == "POST":
        if not editable:
            form.add_error(None, _("Only a proof can be edited; this version is not one."))
        elif form.is_valid():
            try:
                proofs.edit_text(item, user=request.user, body=form.cleaned_data["body"])
            except DomainError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("The text is saved."))
                return redirect(_kit_url(request, campaign) + "#texts")
        status = 400
    context = {
        "campaign": campaign,
        "item": item,
        "form": form,
        "editable": editable,
    }
    return render(request, "kit/manage/edit_text.html", context, status=status)


@organiser_view()
@require_safe
def programme_kits(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, organiser=request.organiser, slug=programme_slug)
    campaigns = list(
        Campaign.objects.filter(programme=programme).select_related("application").order_by("title")
    )
    latest: dict[int, KitVersion] = {}
    released: dict[int, KitVersion] = {}
    for version in KitVersion.objects.filter(campaign__programme=programme).order_by("-number"):
        latest.setdefault(version.campaign_id, version)
        if version.state == KitState.RELEASED:
            released.setdefault(version.campaign_id, version)
    rows = [(c, latest.get(c.pk), released.get(c.pk)) for c in campaigns]
    specs = formats.formats_for(request.organiser.pk)
    printer_links = [
        (
            spec,
            request.build_absolute_uri(
                reverse("kit:printer_zip", args=[downloads.printer_token(programme, spec.code)])
            ),
        )
        for spec in specs
    ]
    context = {
        "programme": programme,
        "rows": rows,
        "formats": specs,
        "printer_links": printer_links,
        "printer_days": downloads.PRINTER_LINK_DAYS,
        "released_count": len(released),
    }
    return render(request, "kit/manage/programme_kits.html", context)


@organiser_view()
@require_safe
def print_zip(request: HttpRequest, programme_slug: str, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, organiser=request.organiser, slug=programme_slug)
    spec = next((s for s in formats.formats_for(request.organiser.pk) if s.code == code), None)
    if spec is None:
        raise Http404
    data, count = downloads.print_zip(programme, spec)
    if not count:
        raise Http404
    return zip_response(data, f"{slugify(programme.slug)}-{spec.code}.zip")


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def format_list(request: HttpRequest) -> HttpResponse:
    form = PosterFormatForm(
        request.POST if request.method == "POST" else None, organiser=request.organiser
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                formats.add_format(request.organiser, user=request.user, values=form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The format is added; the next kits include it."))
                return redirect("kit_manage:formats", request.organiser.slug)
        status = 400
    context = {
        "builtin": formats.builtin_formats(),
        "custom": PosterFormat.objects.filter(organiser=request.organiser),
        "form": form,
    }
    return render(request, "kit/manage/formats.html", context, status=status)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def format_edit(request: HttpRequest, pk: int) -> HttpResponse:
    poster_format = get_object_or_404(PosterFormat, organiser=request.organiser, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        formats.remove_format(poster_format, user=request.user)
        messages.success(request, _("The format is removed."))
        return redirect("kit_manage:formats", request.organiser.slug)
    form = PosterFormatForm(
        request.POST if request.method == "POST" else None,
        instance=poster_format,
        organiser=request.organiser,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                formats.change_format(poster_format, user=request.user, values=form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The format is saved."))
                return redirect("kit_manage:formats", request.organiser.slug)
        status = 400
        poster_format.refresh_from_db()
    context = {"poster_format": poster_format, "form": form}
    return render(request, "kit/manage/format_edit.html", context, status=status)
