"""The audit log: ``log_action("tremplin.application.submitted", obj=app, user=user, data=...)``.

Every state change and settings change goes through here. Values whose key looks like a
secret are masked before they are stored, so a log can be shown or exported safely."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import AuditLog, Organiser

SECRET_MARKERS = ("password", "secret", "token", "api_key", "apikey", "private", "signing")
MASK = "********"


def mask_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if any(marker in str(key).lower() for marker in SECRET_MARKERS) and v
                else mask_secrets(v)
            )
            for key, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value


def _organiser_of(obj: models.Model | None) -> Organiser | None:
    if obj is None:
        return None
    if isinstance(obj, Organiser):
        return obj
    organiser_id = getattr(obj, "organiser_id", None)
    if organiser_id is not None:
        return Organiser(pk=organiser_id)
    owner = getattr(obj, "audit_organiser", None)
    return owner() if callable(owner) else owner


def log_action(
    action: str,
    *,
    obj: models.Model | None = None,
    user: Any = None,
    data: dict[str, Any] | None = None,
    organiser: Organiser | None = None,
) -> AuditLog:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditLog.objects.create(
        action=action,
        user=user,
        organiser=organiser or _organiser_of(obj),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=mask_secrets(data or {}),
    )


def entries_for(obj: models.Model):
    return (
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user")
        .order_by("-created_at", "-id")
    )


# --- display ------------------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {
    "tremplin.programme.created": _("Programme created"),
    "tremplin.programme.changed": _("Programme settings changed"),
    "tremplin.programme.call_opened": _("Call for projects opened"),
    "tremplin.programme.call_closed": _("Call for projects closed"),
    "tremplin.programme.screening_started": _("Eligibility screening started"),
    "tremplin.question.created": _("Question added to the application form"),
    "tremplin.question.changed": _("Question of the application form changed"),
    "tremplin.question.deleted": _("Question removed from the application form"),
    "tremplin.application.created": _("Application started"),
    "tremplin.application.changed": _("Application changed"),
    "tremplin.application.submitted": _("Application submitted"),
    "tremplin.application.resubmitted": _("Application submitted again after changes"),
    "tremplin.application.withdrawn": _("Application withdrawn"),
    "tremplin.application.screened": _("Eligibility decided"),
    "tremplin.applications.exported": _("Applications exported"),
    "tremplin.partner.created": _("Partner organisation added"),
    "tremplin.partner.changed": _("Partner organisation changed"),
    "tremplin.partner.deleted": _("Partner organisation removed"),
    "tremplin.team.member_added": _("Team member added"),
    "tremplin.team.member_removed": _("Team member removed"),
    "tremplin.team.role_changed": _("Team member's role changed"),
    "tremplin.user.preferences_changed": _("Preferences changed"),
    # jury: voting (a ballot's entries hold counts only, never which application)
    "tremplin.ballot.changed": _("Ballot changed"),
    "tremplin.ballot.submitted": _("Ballot submitted"),
    "tremplin.ballot.recused": _("Conflict of interest declared on a ballot"),
    "tremplin.jury.invitation_accepted": _("Jury invitation accepted"),
    "tremplin.jury.reminder_sent": _("Reminder sent to the jurors who have not submitted"),
    # jury: set-up, close, deliberation, publication
    "tremplin.jury.created": _("Jury set up"),
    "tremplin.jury.changed": _("Jury settings changed"),
    "tremplin.jury.member_invited": _("Jury member invited"),
    "tremplin.jury.invitation_resent": _("Jury invitation sent again"),
    "tremplin.jury.member_removed": _("Jury member removed"),
    "tremplin.jury.opened": _("Jury opened"),
    "tremplin.jury.closed": _("Jury closed: ballots frozen and counted"),
    "tremplin.jury.exported": _("Jury data exported"),
    "tremplin.jury.override": _("Decision departing from the tally"),
    "tremplin.jury.decisions_saved": _("Deliberation decisions saved"),
    "tremplin.jury.published": _("Results published"),
    # campaigns
    "tremplin.programme.campaigns_started": _("Campaigns started"),
    "tremplin.programme.campaigns_closed": _("Every campaign is over"),
    "tremplin.campaign_settings.changed": _("Crowdfunding settings changed"),
    "tremplin.campaign.created": _("Campaign created"),
    "tremplin.campaign.changed": _("Campaign page changed"),
    "tremplin.campaign.coach_assigned": _("Coach assigned"),
    "tremplin.campaign.submitted": _("Campaign page submitted for review"),
    "tremplin.campaign.changes_requested": _("Changes requested on the campaign page"),
    "tremplin.campaign.approved": _("Campaign page approved"),
    "tremplin.campaign.review_comment": _("Review comment added"),
    "tremplin.campaign.scheduled": _("Campaign scheduled"),
    "tremplin.campaign.launched": _("Campaign launched"),
    "tremplin.campaign.closed": _("Campaign closed at its deadline"),
    "tremplin.campaign.settled": _("Campaign settled"),
    "tremplin.campaign.update_posted": _("News posted"),
    "tremplin.campaign.update_emailed": _("News e-mailed to the contributors"),
    "tremplin.campaign.comment_answered": _("Comment answered"),
    "tremplin.campaign.comment_hidden": _("Comment hidden"),
    "tremplin.campaign.comment_shown": _("Comment shown again"),
    "tremplin.campaign.comment_auto_hidden": _("Comment hidden after reports"),
    # payments
    "tremplin.payment.started": _("Payment started"),
    "tremplin.payment.confirmed": _("Payment confirmed"),
    "tremplin.payment.failed": _("Payment failed"),
    "tremplin.payment.cancelled": _("Payment cancelled"),
    "tremplin.payment.failure_ignored": _("Failure notice ignored: the payment was confirmed"),
    "tremplin.payment.paid_twice": _("Second payment of one contribution: refunded"),
    "tremplin.payment.reference_mismatch": _("Provider reference did not match: refused"),
    "tremplin.refund.requested": _("Refund requested"),
    "tremplin.refund.done": _("Refund done"),
    "tremplin.refund.retry_scheduled": _("Refund failed for now: retry scheduled"),
    "tremplin.refund.failed": _("Refund failed"),
    "tremplin.payment_account.changed": _("Payment provider settings changed"),
    # funding
    "tremplin.contribution.offline_recorded": _("Offline contribution recorded"),
    "tremplin.contribution.offline_refunded": _("Offline contribution marked as refunded"),
    "tremplin.contribution.reward_unavailable": _(
        "Late payment: the reward had sold out in the meantime"
    ),
    "tremplin.contributions.imported": _("Offline contributions imported from a CSV file"),
    "tremplin.contributions.exported": _("Contributions exported"),
    "tremplin.matchfunding.created": _("Matchfunding pot set up"),
    "tremplin.matchfunding.changed": _("Matchfunding pot changed"),
    "tremplin.campaign.funding_closed": _("Contributions closed (refunds requested on a failure)"),
    "tremplin.campaign.settlement": _("Settlement statement recorded"),
    "tremplin.campaign.statement_exported": _("Settlement statement exported"),
}

DATA_LABELS: dict[str, Any] = {
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
    "answers_deleted": _("answers deleted"),
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
    "what": _("export"),
    "application": _("application"),
    "title": _("title"),
    "outcome": _("outcome"),
    "in_top": _("in the tally's top"),
    "laureates": _("laureates"),
    "waiting_list": _("waiting list"),
    "not_selected": _("not selected"),
    "ineligible": _("ineligible"),
    "emails": _("e-mails sent"),
    "starts_at": _("start"),
    "ends_at": _("deadline"),
    "raised": _("raised (€)"),
    "matched": _("matched (€)"),
    "contributors": _("contributors"),
    "created": _("created"),
    "amount": _("amount (€)"),
    "provider": _("payment provider"),
    "contribution": _("contribution"),
    "refund": _("refund"),
    "attempts": _("attempts"),
    "error": _("error"),
    "late": _("confirmed late"),
    "source": _("paid by"),
    "reference": _("reference"),
    "funder": _("funder"),
    "reward": _("reward"),
    "refunds_requested": _("refunds requested"),
    "offline_to_refund": _("offline contributions to refund by hand"),
    "matched_released": _("matched funds given back (€)"),
    "online": _("raised online (€)"),
    "offline": _("raised offline (€)"),
    "refunded": _("refunded (€)"),
    "fees": _("fees (€)"),
    "net_payout": _("net payout (€)"),
}

# Internal identifiers that mean nothing to a reader.
HIDDEN_DATA_KEYS = {"question"}


def action_label(action: str) -> str:
    """A human, translated label for an audit action; the raw action when unknown."""
    return str(ACTION_LABELS.get(action, action))


def _value_labels() -> dict[str, str]:
    from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
    from tremplin.core.models import OrganiserRole

    labels: dict[str, str] = {}
    for choices in (ProgrammeState, ApplicationState, Eligibility, OrganiserRole):
        labels.update({value: str(label) for value, label in choices.choices})
    from tremplin.jury.enums import JuryMethod, Outcome

    for choices in (JuryMethod, Outcome):
        labels.update({value: str(label) for value, label in choices.choices})
    from tremplin.campaigns.enums import CampaignState

    labels.update({value: str(label) for value, label in CampaignState.choices})
    from tremplin.funding.enums import ContributionSource

    labels.update({value: str(label) for value, label in ContributionSource.choices})
    return labels


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ")


def describe(entry: AuditLog) -> list[tuple[str, str]]:
    """The details of an entry as (label, value) pairs in the reader's language: state
    values and changed field names become their labels. Values are already masked."""
    data = entry.data if isinstance(entry.data, dict) else {}
    model = None
    if entry.content_type_id:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    values = _value_labels()
    details: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in HIDDEN_DATA_KEYS:
            continue
        label = str(DATA_LABELS.get(key, key.replace("_", " ")))
        if key == "changed":
            names = value.keys() if isinstance(value, dict) else (value or [])
            text = ", ".join(_field_label(model, str(name)) for name in names)
        elif isinstance(value, bool):
            text = str(_("yes") if value else _("no"))
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif value is None or value == "":
            continue
        else:
            text = values.get(str(value), str(value))
        if text:
            details.append((label, text))
    return details
