"""Audit actions of the app: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.coaching.enums import MessageKind, RegistrationState, TipMoment, TipOutcome

WORKSHOP_SCHEDULED = "tremplin.workshop.scheduled"
WORKSHOP_CHANGED = "tremplin.workshop.changed"
WORKSHOP_CANCELLED = "tremplin.workshop.cancelled"
WORKSHOP_REGISTERED = "tremplin.workshop.registered"
WORKSHOP_REGISTRATION_CANCELLED = "tremplin.workshop.registration_cancelled"
WORKSHOP_PROMOTED = "tremplin.workshop.promoted"
WORKSHOP_ATTENDANCE = "tremplin.workshop.attendance"
WORKSHOP_MATERIAL_ADDED = "tremplin.workshop.material_added"
WORKSHOP_MATERIALS_SHARED = "tremplin.workshop.materials_shared"
WORKSHOP_REMINDED = "tremplin.workshop.reminded"
CHECKLIST_CHANGED = "tremplin.checklist.changed"
CHECKLIST_TICKED = "tremplin.checklist.ticked"
CHECKLIST_UNTICKED = "tremplin.checklist.unticked"
CHECKLIST_CONFIRMED = "tremplin.checklist.confirmed"
FIRST_CIRCLE_CHANGED = "tremplin.checklist.first_circle_changed"
THREAD_MESSAGE = "tremplin.coaching.message"
COACH_NOTE = "tremplin.coaching.note"
MEETING_PROPOSED = "tremplin.meeting.proposed"
MEETING_BOOKED = "tremplin.meeting.booked"
MEETING_CANCELLED = "tremplin.meeting.cancelled"
MEETING_NOTES = "tremplin.meeting.notes"
TIPS_CHANGED = "tremplin.tips.changed"
TIP_DECIDED = "tremplin.tips.decided"

LABELS = {
    WORKSHOP_SCHEDULED: _("Workshop scheduled"),
    WORKSHOP_CHANGED: _("Workshop changed"),
    WORKSHOP_CANCELLED: _("Workshop cancelled"),
    WORKSHOP_REGISTERED: _("Registration to a workshop"),
    WORKSHOP_REGISTRATION_CANCELLED: _("Workshop registration cancelled"),
    WORKSHOP_PROMOTED: _("Promoted from the waiting list"),
    WORKSHOP_ATTENDANCE: _("Workshop attendance taken"),
    WORKSHOP_MATERIAL_ADDED: _("Workshop material added"),
    WORKSHOP_MATERIALS_SHARED: _("Workshop materials shared with the attendees"),
    WORKSHOP_REMINDED: _("Workshop reminders sent"),
    CHECKLIST_CHANGED: _("Readiness checklist changed"),
    CHECKLIST_TICKED: _("Checklist item ticked"),
    CHECKLIST_UNTICKED: _("Checklist item unticked"),
    CHECKLIST_CONFIRMED: _("Checklist item confirmed by the coach"),
    FIRST_CIRCLE_CHANGED: _("First circle changed"),
    THREAD_MESSAGE: _("Coaching message posted"),
    COACH_NOTE: _("Private coach note written"),
    MEETING_PROPOSED: _("Meeting slot proposed"),
    MEETING_BOOKED: _("Meeting booked"),
    MEETING_CANCELLED: _("Meeting slot cancelled"),
    MEETING_NOTES: _("Meeting notes written"),
    TIPS_CHANGED: _("Timed tips changed"),
    TIP_DECIDED: _("Timed tip decided"),
}

DATA_LABELS = {
    "workshop": _("workshop"),
    "checklist_item": _("checklist item"),
    "moment": _("moment"),
    "outcome": _("outcome"),
    "attended": _("attended"),
    "promoted": _("promoted"),
    "state": _("state"),
    "starts_at": _("start"),
    "kind": _("kind"),
}

VALUE_CHOICES = (RegistrationState, TipMoment, TipOutcome, MessageKind)
