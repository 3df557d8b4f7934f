"""Background work of the tracking app."""

from __future__ import annotations

from django_tasks import task

from tremplin.tracking import reports


@task()
def generate_report(report_id: int) -> str:
    """Generate a final report (figures and PDF), its progress written on its row."""
    return reports.generate_report(report_id)
