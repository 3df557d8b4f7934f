"""Audit actions of the jury: constants, labels, data keys and value enums,
registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.jury.enums import JuryMethod, Outcome

BALLOT_CHANGED = "tremplin.ballot.changed"
BALLOT_SUBMITTED = "tremplin.ballot.submitted"
BALLOT_RECUSED = "tremplin.ballot.recused"
JURY_INVITATION_ACCEPTED = "tremplin.jury.invitation_accepted"
JURY_REMINDER_SENT = "tremplin.jury.reminder_sent"
JURY_CREATED = "tremplin.jury.created"
JURY_CHANGED = "tremplin.jury.changed"
JURY_MEMBER_INVITED = "tremplin.jury.member_invited"
JURY_INVITATION_RESENT = "tremplin.jury.invitation_resent"
JURY_MEMBER_REMOVED = "tremplin.jury.member_removed"
JURY_OPENED = "tremplin.jury.opened"
JURY_CLOSED = "tremplin.jury.closed"
JURY_EXPORTED = "tremplin.jury.exported"
JURY_OVERRIDE = "tremplin.jury.override"
JURY_DECISIONS_SAVED = "tremplin.jury.decisions_saved"
JURY_PUBLISHED = "tremplin.jury.published"

LABELS = {
    BALLOT_CHANGED: _("Ballot changed"),
    BALLOT_SUBMITTED: _("Ballot submitted"),
    BALLOT_RECUSED: _("Conflict of interest declared on a ballot"),
    JURY_INVITATION_ACCEPTED: _("Jury invitation accepted"),
    JURY_REMINDER_SENT: _("Reminder sent to the jurors who have not submitted"),
    JURY_CREATED: _("Jury set up"),
    JURY_CHANGED: _("Jury settings changed"),
    JURY_MEMBER_INVITED: _("Jury member invited"),
    JURY_INVITATION_RESENT: _("Jury invitation sent again"),
    JURY_MEMBER_REMOVED: _("Jury member removed"),
    JURY_OPENED: _("Jury opened"),
    JURY_CLOSED: _("Jury closed: ballots frozen and counted"),
    JURY_EXPORTED: _("Jury data exported"),
    JURY_OVERRIDE: _("Decision departing from the tally"),
    JURY_DECISIONS_SAVED: _("Deliberation decisions saved"),
    JURY_PUBLISHED: _("Results published"),
}

DATA_LABELS = {
    "picks": _("favourites"),
    "grades": _("grades"),
    "scores": _("scores"),
    "recusals": _("conflicts of interest"),
    "days": _("days before the close"),
    "partner": _("partner organisation"),
    "account_created": _("account created"),
    "method": _("method"),
    "candidates": _("candidates"),
    "ballots": _("ballots counted"),
    "drafts_not_counted": _("drafts not counted"),
    "quorum": _("quorum"),
    "quorum_met": _("quorum reached"),
    "fingerprint": _("ballots fingerprint"),
    "in_top": _("in the tally's top"),
    "laureates": _("laureates"),
    "waiting_list": _("waiting list"),
    "not_selected": _("not selected"),
    "ineligible": _("ineligible"),
    "emails": _("e-mails sent"),
}

VALUE_CHOICES = (
    JuryMethod,
    Outcome,
)
