"""Audit actions of the call for projects: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState

PROGRAMME_CREATED = "tremplin.programme.created"
PROGRAMME_CHANGED = "tremplin.programme.changed"
PROGRAMME_CALL_OPENED = "tremplin.programme.call_opened"
PROGRAMME_CALL_CLOSED = "tremplin.programme.call_closed"
PROGRAMME_SCREENING_STARTED = "tremplin.programme.screening_started"
QUESTION_CREATED = "tremplin.question.created"
QUESTION_CHANGED = "tremplin.question.changed"
QUESTION_DELETED = "tremplin.question.deleted"
APPLICATION_CREATED = "tremplin.application.created"
APPLICATION_CHANGED = "tremplin.application.changed"
APPLICATION_SUBMITTED = "tremplin.application.submitted"
APPLICATION_RESUBMITTED = "tremplin.application.resubmitted"
APPLICATION_WITHDRAWN = "tremplin.application.withdrawn"
APPLICATION_SCREENED = "tremplin.application.screened"
APPLICATIONS_EXPORTED = "tremplin.applications.exported"

LABELS = {
    PROGRAMME_CREATED: _("Programme created"),
    PROGRAMME_CHANGED: _("Programme settings changed"),
    PROGRAMME_CALL_OPENED: _("Call for projects opened"),
    PROGRAMME_CALL_CLOSED: _("Call for projects closed"),
    PROGRAMME_SCREENING_STARTED: _("Eligibility screening started"),
    QUESTION_CREATED: _("Question added to the application form"),
    QUESTION_CHANGED: _("Question of the application form changed"),
    QUESTION_DELETED: _("Question removed from the application form"),
    APPLICATION_CREATED: _("Application started"),
    APPLICATION_CHANGED: _("Application changed"),
    APPLICATION_SUBMITTED: _("Application submitted"),
    APPLICATION_RESUBMITTED: _("Application submitted again after changes"),
    APPLICATION_WITHDRAWN: _("Application withdrawn"),
    APPLICATION_SCREENED: _("Eligibility decided"),
    APPLICATIONS_EXPORTED: _("Applications exported"),
}

DATA_LABELS = {
    "answers_deleted": _("answers deleted"),
}

VALUE_CHOICES = (
    ApplicationState,
    Eligibility,
    ProgrammeState,
)
