"""Audit actions of personal data rights and retention: constants, labels, data keys and
value enums, registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.privacy.models import NoticeRole

EXPORT_REQUESTED = "tremplin.privacy.export_requested"
EXPORT_DOWNLOADED = "tremplin.privacy.export_downloaded"
ACCOUNT_ERASED = "tremplin.privacy.account_erased"
ERASURE_ACKNOWLEDGED = "tremplin.privacy.erasure_acknowledged"
RETENTION_APPLIED = "tremplin.privacy.retention_applied"
RETENTION_CHANGED = "tremplin.privacy.retention_changed"
RECORD_EXPORTED = "tremplin.privacy.record_exported"

LABELS = {
    EXPORT_REQUESTED: _("Personal data export requested"),
    EXPORT_DOWNLOADED: _("Personal data export downloaded"),
    ACCOUNT_ERASED: _("Account erased at its owner's request"),
    ERASURE_ACKNOWLEDGED: _("Erasure notice acknowledged"),
    RETENTION_APPLIED: _("Retention periods applied"),
    RETENTION_CHANGED: _("Retention periods of the programme changed"),
    RECORD_EXPORTED: _("Record of processing exported"),
}

DATA_LABELS = {
    "pseudonym": _("pseudonym"),
    "by_email": _("by e-mail address"),
    "deleted": _("rows deleted"),
    "pseudonymised": _("rows pseudonymised"),
    "rule": _("rule"),
    "count": _("count"),
    "role": _("role"),
    "draft_years": _("drafts never submitted (years)"),
    "not_selected_years": _("applications not selected (years)"),
    "laureate_years": _("applications of laureates (years)"),
    "format": _("format"),
}

VALUE_CHOICES = (NoticeRole,)
