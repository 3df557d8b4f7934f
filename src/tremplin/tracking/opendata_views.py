"""The public open-data files of a programme's results (no account needed): the CSV and
its Table Schema, at stable addresses under the programme's public page."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from tremplin.calls.models import Programme
from tremplin.tracking.opendata import results_csv, results_schema
from tremplin.tracking.rules import results_are_public


def _programme(slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organiser"), slug=slug)
    if not results_are_public(programme):
        raise Http404
    return programme


def _open(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"  # harvested by open-data portals
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    response = HttpResponse(results_csv(programme), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="resultats-{programme.slug}.csv"'
    return _open(response)


@require_safe
def results_schema_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    schema = results_schema(
        programme,
        csv_url=request.build_absolute_uri(reverse("tracking:results", args=[slug])),
        schema_url=request.build_absolute_uri(reverse("tracking:results_schema", args=[slug])),
    )
    body = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False)
    return _open(HttpResponse(body, content_type="application/schema+json; charset=utf-8"))
