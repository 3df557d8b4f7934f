"""The final report of a programme: asked for by the organiser (``request_report``),
generated in the background (``generate_report``, run by the task
``tracking.tasks.generate_report``), its progress on the report page.

A report is a row (``FinalReport``): QUEUED → RUNNING → DONE (or FAILED), through
``REPORT_TRANSITIONS``; the worker claims it with a conditional UPDATE, writes its progress
as it goes, and stores the figures, their fingerprint and the PDF. The CSV and XLSX are
written from the stored figures when downloaded."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tremplin.calls.models import Programme
from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError
from tremplin.tracking import actions
from tremplin.tracking.models import REPORT_TRANSITIONS, FinalReport, ReportState
from tremplin.tracking.report_figures import fingerprint, report_figures
from tremplin.tracking.report_pdf import render_pdf

logger = logging.getLogger(__name__)

# Steps shown with the progress bar (code → percent when the step starts).
STEPS = {"queued": 0, "figures": 10, "pdf": 50, "saving": 90, "done": 100}


class ReportError(DomainError):
    pass


def stale_before() -> datetime.datetime:
    """A report queued before this moment and still not done will not be: its task was
    tried ``TASK_MAX_ATTEMPTS`` times, each for up to ``TASK_RUNNING_TIMEOUT`` seconds, and
    given up (core.task_recovery). It no longer blocks a new request."""
    wait = settings.TASK_RUNNING_TIMEOUT * (settings.TASK_MAX_ATTEMPTS + 1)
    return timezone.now() - datetime.timedelta(seconds=wait)


def report_in_progress(programme: Programme) -> FinalReport | None:
    return (
        FinalReport.objects.filter(
            programme=programme,
            state__in=[ReportState.QUEUED, ReportState.RUNNING],
            requested_at__gte=stale_before(),
        )
        .defer("pdf")
        .order_by("-pk")
        .first()
    )


def request_report(programme: Programme, *, user) -> FinalReport:
    """Queue a new report (one at a time per programme: while one is queued or running,
    that one is returned)."""
    from tremplin.tracking.tasks import generate_report as task

    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        running = report_in_progress(programme)
        if running is not None:
            return running
        report = FinalReport.objects.create(programme=programme, requested_by=user, step="queued")
        log_action(actions.REPORT_REQUESTED, obj=programme, user=user, data={"report": report.pk})
        transaction.on_commit(lambda: task.enqueue(report.pk))
    return report


def _move(report_id: int, source: list[str], target: str, **fields) -> bool:
    for state in source:
        if target not in REPORT_TRANSITIONS[state]:
            raise ReportError(
                _("This report cannot go from %(a)s to %(b)s.") % {"a": state, "b": target}
            )
    return (
        FinalReport.objects.filter(pk=report_id, state__in=source).update(state=target, **fields)
        == 1
    )


def _progress(report_id: int, step: str) -> None:
    FinalReport.objects.filter(pk=report_id, state=ReportState.RUNNING).update(
        step=step, progress=STEPS[step]
    )


def generate_report(report_id: int) -> str:
    """Compute the figures and draw the PDF of a queued report. Claimed by a conditional
    UPDATE (QUEUED or RUNNING → RUNNING: a run after a killed worker starts again); a
    report already DONE or FAILED is left alone. Returns the report's final state."""
    if not _move(
        report_id,
        [ReportState.QUEUED, ReportState.RUNNING],
        ReportState.RUNNING,
        progress=STEPS["figures"],
        step="figures",
    ):
        return (
            FinalReport.objects.filter(pk=report_id).values_list("state", flat=True).first() or ""
        )
    report = FinalReport.objects.select_related("programme", "programme__organiser").get(
        pk=report_id
    )
    programme = report.programme
    try:
        with override("fr"):
            figures = report_figures(programme)
            print_ = fingerprint(figures)
            _progress(report_id, "pdf")
            logo = b""
            if programme.logo:
                try:
                    with programme.logo.open("rb") as handle:
                        logo = handle.read()
                except OSError:
                    logo = b""
            pdf = render_pdf(
                figures,
                fingerprint=print_,
                primary=programme.primary_colour,
                secondary=programme.secondary_colour,
                logo=logo,
            )
        _progress(report_id, "saving")
    except Exception as error:  # noqa: BLE001 (recorded on the row, shown to the organiser)
        logger.exception("report %s failed", report_id)
        with transaction.atomic():
            if _move(
                report_id,
                [ReportState.RUNNING],
                ReportState.FAILED,
                finished_at=timezone.now(),
                error=f"{type(error).__name__}"[:300],
            ):
                log_action(
                    actions.REPORT_FAILED,
                    obj=programme,
                    user=None,
                    data={"report": report_id, "error": type(error).__name__},
                )
        return ReportState.FAILED
    with transaction.atomic():
        done = _move(
            report_id,
            [ReportState.RUNNING],
            ReportState.DONE,
            figures=figures,
            fingerprint=print_,
            pdf=pdf,
            progress=STEPS["done"],
            step="done",
            finished_at=timezone.now(),
        )
        if done:
            log_action(
                actions.REPORT_GENERATED,
                obj=programme,
                user=None,
                data={"report": report_id, "report_fingerprint": print_},
            )
    return ReportState.DONE


def latest_report(programme: Programme) -> FinalReport | None:
    return FinalReport.objects.filter(programme=programme).defer("pdf").order_by("-pk").first()
