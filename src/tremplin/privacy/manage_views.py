"""The organiser's personal data page: erasure notices it must know about, the retention
periods of its programmes (longer ones may be set), and the record of processing for its
data protection officer (printable page, XLSX)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.models import Programme
from tremplin.core.audit import log_action
from tremplin.core.permissions import organiser_view
from tremplin.privacy import actions, processing
from tremplin.privacy.forms import RetentionForm
from tremplin.privacy.models import ErasureNotice, ProgrammeRetention
from tremplin.privacy.retention import SETTING_OF, periods, programme_years


@organiser_view()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    organiser = request.organiser
    notices = ErasureNotice.objects.filter(organiser=organiser).select_related("programme")
    programmes = []
    for programme in Programme.objects.filter(organiser=organiser).select_related("retention"):
        programmes.append(
            {
                "programme": programme,
                "years": {key: programme_years(programme, key) for key in SETTING_OF},
            }
        )
    context = {
        "pending": [n for n in notices if n.acknowledged_at is None],
        "acknowledged": [n for n in notices if n.acknowledged_at is not None][:50],
        "programmes": programmes,
        "periods": periods(),
    }
    return render(request, "privacy/manage/home.html", context)


@organiser_view(edit=True)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        notice = get_object_or_404(
            ErasureNotice.objects.select_for_update(), organiser=request.organiser, pk=pk
        )
        if notice.acknowledged_at is None:
            notice.acknowledged_at = timezone.now()
            notice.acknowledged_by = request.user
            notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
            log_action(
                actions.ERASURE_ACKNOWLEDGED,
                obj=notice,
                user=request.user,
                data={"pseudonym": notice.pseudonym, "role": notice.role},
            )
    messages.success(request, _("The notice is marked as read."))
    return redirect("privacy_manage:home", request.organiser.slug)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def retention(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, organiser=request.organiser, slug=slug)
    current = ProgrammeRetention.objects.filter(programme=programme).first()
    instance = current or ProgrammeRetention(programme=programme)
    form = RetentionForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.updated_by = request.user
                saved.save()
                log_action(
                    actions.RETENTION_CHANGED,
                    obj=programme,
                    user=request.user,
                    data={key: form.cleaned_data.get(key) for key in SETTING_OF},
                )
            messages.success(request, _("The retention periods of the programme are saved."))
            return redirect("privacy_manage:home", request.organiser.slug)
        status = 400
    else:
        status = 200
    context = {"programme": programme, "form": form, "periods": periods()}
    return render(request, "privacy/manage/retention.html", context, status=status)


@organiser_view()
@require_safe
def record(request: HttpRequest) -> HttpResponse:
    organiser = request.organiser
    headers = processing.header_labels()
    context = {
        "processings": [
            (row[0], list(zip(headers[1:], row[1:], strict=True)))
            for row in processing.rows(organiser)
        ],
        "operator": settings.TREMPLIN_OPERATOR,
        "generated_at": timezone.now(),
    }
    return render(request, "privacy/manage/record.html", context)


@organiser_view()
@require_safe
def record_xlsx(request: HttpRequest) -> HttpResponse:
    organiser = request.organiser
    content = processing.xlsx(organiser)
    log_action(
        actions.RECORD_EXPORTED, organiser=organiser, user=request.user, data={"format": "xlsx"}
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="registre-{organiser.slug}.xlsx"'
    return response
