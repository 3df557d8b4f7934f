"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# --- past editions, final report, open data (#10 parts 7–9) ---------------------------------
PAST_EDITION_IMPORTED = "tremplin.past_edition.imported"
PAST_EDITION_DELETED = "tremplin.past_edition.deleted"
REPORT_REQUESTED = "tremplin.report.requested"
REPORT_GENERATED = "tremplin.report.generated"
REPORT_FAILED = "tremplin.report.failed"

LABELS: dict = {
    PAST_EDITION_IMPORTED: _("Past edition imported"),
    PAST_EDITION_DELETED: _("Past edition deleted"),
    REPORT_REQUESTED: _("Final report requested"),
    REPORT_GENERATED: _("Final report generated"),
    REPORT_FAILED: _("Final report failed"),
}

DATA_LABELS: dict = {
    "edition": _("edition"),
    "campaigns": _("campaigns"),
    "past_days": _("days of figures"),
    "report": _("report"),
    "report_fingerprint": _("figures fingerprint"),
}
