"""Back-office pages of the final report: the page (generate, progress, downloads), the
progress fragment polled by htmx while a report is generated, the downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls.models import Programme
from tremplin.core.fields import parse_id
from tremplin.core.permissions import organiser_view
from tremplin.tracking.models import FinalReport, ReportState
from tremplin.tracking.report_tables import report_csv, report_xlsx
from tremplin.tracking.reports import latest_report, report_in_progress, request_report
from tremplin.tracking.rules import can_request_report, report_possible

FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STEP_LABELS = {
    "queued": gettext_lazy("Waiting for a worker"),
    "figures": gettext_lazy("Computing the figures"),
    "pdf": gettext_lazy("Drawing the PDF"),
    "saving": gettext_lazy("Saving"),
    "done": gettext_lazy("Ready"),
}


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organiser"), organiser=request.organiser, slug=slug
    )


def _context(request: HttpRequest, programme: Programme) -> dict:
    report = latest_report(programme)
    return {
        "programme": programme,
        "report": report,
        "step": str(STEP_LABELS.get(report.step, "")) if report else "",
        "working": report is not None and report_in_progress(programme) is not None,
        "possible": report_possible(programme),
        "can_request": can_request_report(request.membership),
    }


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    if request.method == "POST":
        if not report_possible(programme):
            context = _context(request, programme)
            context["refused"] = _("A report can be generated once the campaigns have started.")
            return render(request, "tracking/report.html", context, status=400)
        request_report(programme, user=request.user)
        return redirect("tracking_manage:report", request.organiser.slug, programme.slug)
    response = render(request, "tracking/report.html", _context(request, programme))
    response["Cache-Control"] = "no-store"
    return response


@organiser_view()
@require_safe
def report_status(request: HttpRequest, slug: str) -> HttpResponse:
    """The progress block alone (htmx polls it every two seconds while the report is
    generated; it stops once the block says the report is ready or failed)."""
    programme = _programme(request, slug)
    response = render(request, "tracking/_report_status.html", _context(request, programme))
    response["Cache-Control"] = "no-store"
    return response


@organiser_view()
@require_safe
def report_download(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    programme = _programme(request, slug)
    if fmt not in FORMATS or parse_id(pk) is None:
        raise Http404
    report = get_object_or_404(FinalReport, programme=programme, pk=pk, state=ReportState.DONE)
    if fmt == "pdf":
        body = bytes(report.pdf)
    elif fmt == "csv":
        body = report_csv(report.figures)
    else:
        body = report_xlsx(report.figures)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    day = report.figures.get("programme", {}).get("as_of", "")[:10]
    response["Content-Disposition"] = f'attachment; filename="rapport-{programme.slug}-{day}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
