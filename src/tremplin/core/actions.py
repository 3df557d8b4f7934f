"""Audit actions of the platform's own (partners, team, preferences):
constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks import TaskResultStatus

from tremplin.core.models import OrganiserRole

PARTNER_CREATED = "tremplin.partner.created"
PARTNER_CHANGED = "tremplin.partner.changed"
PARTNER_DELETED = "tremplin.partner.deleted"
TEAM_MEMBER_ADDED = "tremplin.team.member_added"
TEAM_MEMBER_REMOVED = "tremplin.team.member_removed"
TEAM_ROLE_CHANGED = "tremplin.team.role_changed"
USER_PREFERENCES_CHANGED = "tremplin.user.preferences_changed"
# Background tasks (core/task_recovery.py): a task whose worker died, queued again or given
# up by the recovery, and a stuck or failed task queued again by platform staff.
TASK_RECOVERED = "tremplin.task.recovered"
TASK_ABANDONED = "tremplin.task.abandoned"
TASK_REQUEUED = "tremplin.task.requeued"

LABELS = {
    PARTNER_CREATED: _("Partner organisation added"),
    PARTNER_CHANGED: _("Partner organisation changed"),
    PARTNER_DELETED: _("Partner organisation removed"),
    TEAM_MEMBER_ADDED: _("Team member added"),
    TEAM_MEMBER_REMOVED: _("Team member removed"),
    TEAM_ROLE_CHANGED: _("Team member's role changed"),
    USER_PREFERENCES_CHANGED: _("Preferences changed"),
    TASK_RECOVERED: _("Interrupted background task queued again"),
    TASK_ABANDONED: _("Interrupted background task given up"),
    TASK_REQUEUED: _("Background task queued again by the staff"),
}

DATA_LABELS = {
    "from": _("from"),
    "to": _("to"),
    "reason": _("reason"),
    "changed": _("changed"),
    "state": _("state"),
    "format": _("format"),
    "count": _("count"),
    "member": _("member"),
    "role": _("role"),
    "previous": _("previous"),
    "label": _("question"),
    "name": _("name"),
    "what": _("export"),
    "application": _("application"),
    "title": _("title"),
    "outcome": _("outcome"),
    "created": _("created"),
    "amount": _("amount (€)"),
    "error": _("error"),
    "reference": _("reference"),
    "task": pgettext_lazy("tasks", "task"),
    "attempts": _("attempts"),
}

VALUE_CHOICES = (OrganiserRole, TaskResultStatus)
