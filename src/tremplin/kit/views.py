"""The kit's pages outside the back-office: the maker's proof, the files and the progress
of a version (for the maker and the organiser's team), the public share image and the
short link printed on posters."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_maker
from tremplin.core.attribution import clean_value
from tremplin.kit import proofs
from tremplin.kit.content import tracked_url
from tremplin.kit.enums import KitState
from tremplin.kit.models import KitItem, KitVersion
from tremplin.kit.rules import can_see_proof
from tremplin.kit.visuals import SHARE


def _campaign_for_proof(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application__maker"), slug=slug
    )
    if not can_see_proof(request.user, campaign):
        raise Http404
    return campaign


def proof_context(campaign: Campaign) -> dict:
    versions = proofs.versions_of(campaign)
    current = versions[0] if versions else None
    items = list(current.items.all()) if current else []
    return {
        "campaign": campaign,
        "versions": versions,
        "current": current,
        "released": next((v for v in versions if v.state == KitState.RELEASED), None),
        "posters": [i for i in items if i.group == "poster"],
        "visuals": [i for i in items if i.group == "visual"],
        "texts": [i for i in items if i.group == "text"],
        "others": [i for i in items if i.group not in ("poster", "visual", "text")],
        "warnings": [(item, w) for item in items for w in item.warnings],
    }


@login_required
@require_safe
def proof(request: HttpRequest, slug: str) -> HttpResponse:
    """The maker's view of the kit: the proof of the latest version, the earlier ones (the
    organiser's team has its own page in the back-office)."""
    campaign = _campaign_for_proof(request, slug)
    if not is_maker(request.user, campaign):
        raise Http404
    return render(request, "kit/proof.html", proof_context(campaign))


@login_required
@require_safe
def progress(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    campaign = _campaign_for_proof(request, slug)
    version = get_object_or_404(KitVersion, campaign=campaign, number=number)
    response = render(request, "kit/_progress.html", {"version": version, "campaign": campaign})
    if version.state != KitState.GENERATING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_safe
def item_file(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    campaign = _campaign_for_proof(request, slug)
    item = get_object_or_404(KitItem, pk=pk, version__campaign=campaign, version__number=number)
    if not item.file:
        raise Http404
    return _file_response(item, download=request.GET.get("telecharger") == "1")


def _file_response(item: KitItem, *, download: bool) -> FileResponse:
    try:
        handle = item.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    name = item.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        content_type=item.media_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
        as_attachment=download,
        filename=name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def share_image(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The share image (1200 × 630) of a released kit of a public campaign: what a link to
    the campaign page shows on social networks (its OpenGraph image)."""
    item = get_object_or_404(
        KitItem.objects.select_related("version__campaign"),
        kind="visual",
        variant=SHARE,
        version__number=number,
        version__campaign__slug=slug,
        version__campaign__state__in=PUBLIC_STATES,
        version__state__in=(KitState.RELEASED, KitState.SUPERSEDED),
        version__released_at__isnull=False,
    )
    response = _file_response(item, download=False)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def short_link(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    """``/k/<slug>/<channel>/`` (typed from a poster) → the campaign's page, tracked."""
    channel = clean_value("canal", channel)
    if not channel or not Campaign.objects.filter(slug=slug, state__in=PUBLIC_STATES).exists():
        raise Http404
    return HttpResponseRedirect(tracked_url(slug, channel))


@require_safe
def printer_zip(request: HttpRequest, token: str) -> HttpResponse:
    """The printers' ZIP of one format, through the signed link the organiser sends them
    (no account needed; valid ``downloads.PRINTER_LINK_DAYS`` days)."""
    from tremplin.calls.models import Programme
    from tremplin.kit import downloads
    from tremplin.kit.formats import formats_for

    found = downloads.read_printer_token(token)
    if found is None:
        raise Http404
    programme = Programme.objects.filter(pk=found[0]).first()
    if programme is None:
        raise Http404
    spec = next((s for s in formats_for(programme.organiser_id) if s.code == found[1]), None)
    if spec is None:
        raise Http404
    data, count = downloads.print_zip(programme, spec)
    if not count:
        raise Http404
    return zip_response(data, f"{programme.slug}-{spec.code}.zip")


def zip_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
