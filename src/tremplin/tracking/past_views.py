"""Back-office pages of the past editions: the list, the import, one edition, its
deletion. Every member reads; importing and deleting need edit rights."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.core.audit import entries_for
from tremplin.core.fields import parse_id
from tremplin.core.permissions import organiser_view
from tremplin.tracking import past_csv
from tremplin.tracking.models import PastDay, PastEdition
from tremplin.tracking.past_csv import PastImportError
from tremplin.tracking.past_editions import (
    PastEditionError,
    delete_past_edition,
    import_past_edition,
)
from tremplin.tracking.past_forms import PastEditionForm
from tremplin.tracking.rules import can_manage_past_editions


def _edition(request: HttpRequest, pk: int) -> PastEdition:
    if parse_id(pk) is None:  # wider than a database id: no such edition
        raise Http404
    return get_object_or_404(PastEdition, organiser=request.organiser, pk=pk)


@organiser_view()
@require_safe
def past_editions(request: HttpRequest) -> HttpResponse:
    editions = list(
        PastEdition.objects.filter(organiser=request.organiser).order_by("-year", "name")
    )
    for edition in editions:
        rows = list(edition.campaigns.all())
        edition.n_campaigns = len(rows)
        edition.n_funded = sum(1 for c in rows if c.funded)
        edition.total = sum((c.raised for c in rows), 0)
    context = {"editions": editions, "can_edit": can_manage_past_editions(request.membership)}
    return render(request, "tracking/past_editions.html", context)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def past_edition_import(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = PastEditionForm(request.POST, request.FILES)
        if form.is_valid():
            days = form.cleaned_data.get("days_file")
            try:
                edition = import_past_edition(
                    request.organiser,
                    form.facts(),
                    form.cleaned_data["campaigns_file"].read(),
                    days.read() if days else None,
                    user=request.user,
                )
            except PastImportError as error:
                errors = error.lines()
            except PastEditionError as error:
                for field, messages_ in error.message_dict.items():
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, _("The edition “%(name)s” is imported.") % {"name": edition.name}
                )
                return redirect("tracking_manage:past_edition", request.organiser.slug, edition.pk)
        status = 400
    else:
        form = PastEditionForm()
    context = {
        "form": form,
        "errors": errors,
        "campaign_columns": past_csv.CAMPAIGN_COLUMNS,
        "day_columns": past_csv.DAY_COLUMNS,
    }
    response = render(request, "tracking/past_edition_import.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@organiser_view()
@require_safe
def past_edition(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    campaigns = list(edition.campaigns.all())
    context = {
        "edition": edition,
        "campaigns": campaigns,
        "funded": sum(1 for c in campaigns if c.funded),
        "total": sum((c.raised for c in campaigns), 0),
        "contributors": sum(c.contributors for c in campaigns),
        "days": PastDay.objects.filter(campaign__edition=edition).count(),
        "can_edit": can_manage_past_editions(request.membership),
        "entries": entries_for(edition),
    }
    return render(request, "tracking/past_edition.html", context)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def past_edition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    if request.method == "POST":
        name = edition.name
        delete_past_edition(edition, user=request.user)
        messages.success(request, _("The edition “%(name)s” is deleted.") % {"name": name})
        return redirect("tracking_manage:past_editions", request.organiser.slug)
    return render(request, "tracking/past_edition_delete.html", {"edition": edition})
