"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.tracking.enums import AlertRule

LABELS: dict = {}

# --- alerts and the daily digest ----------------------------------------------------------
ALERT_RAISED = "tremplin.tracking.alert_raised"
ALERT_RESOLVED = "tremplin.tracking.alert_resolved"
ALERT_ACKNOWLEDGED = "tremplin.tracking.alert_acknowledged"
ALERT_SETTINGS_CHANGED = "tremplin.tracking.alert_settings_changed"
DIGEST_PREFERENCE_CHANGED = "tremplin.tracking.digest_preference_changed"

LABELS.update(
    {
        ALERT_RAISED: _("Alert raised"),
        ALERT_RESOLVED: _("Alert resolved"),
        ALERT_ACKNOWLEDGED: _("Alert acknowledged"),
        ALERT_SETTINGS_CHANGED: _("Alert settings changed"),
        DIGEST_PREFERENCE_CHANGED: _("Daily digest preference changed"),
    }
)

DATA_LABELS = {
    "rule": _("rule"),
    "with_note": _("with a note"),
    "enabled": _("enabled"),
    "needed": _("needed by now (€)"),
    "goal": _("goal (€)"),
    "quiet_days": _("days without a contribution"),
    "since": _("since"),
    "hours_left": _("hours left"),
}

VALUE_CHOICES = (AlertRule,)

# --- past editions, final report, open data (#10 parts 7–9) ---------------------------------
PAST_EDITION_IMPORTED = "tremplin.past_edition.imported"
PAST_EDITION_DELETED = "tremplin.past_edition.deleted"
REPORT_REQUESTED = "tremplin.report.requested"
REPORT_GENERATED = "tremplin.report.generated"
REPORT_FAILED = "tremplin.report.failed"

LABELS.update(
    {
        PAST_EDITION_IMPORTED: _("Past edition imported"),
        PAST_EDITION_DELETED: _("Past edition deleted"),
        REPORT_REQUESTED: _("Final report requested"),
        REPORT_GENERATED: _("Final report generated"),
        REPORT_FAILED: _("Final report failed"),
    }
)

DATA_LABELS.update(
    {
        "edition": _("edition"),
        "campaigns": _("campaigns"),
        "past_days": _("days of figures"),
        "report": _("report"),
        "report_fingerprint": _("figures fingerprint"),
    }
)
