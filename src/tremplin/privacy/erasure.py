"""Erasure of an account at its owner's request (GDPR art. 17), through the registry.

What the law requires is kept and pseudonymised (contributions and payments: accounting;
a laureate's application: the use of public money; a published jury's seats and ballots:
its tally), the audit log keeps its entries with the person replaced by a stable
pseudonym, everything else is deleted, files included (after the commit). A running
application, a campaign in progress or an open ballot refuses the erasure with the reason.
The account row itself is deleted, or, when kept rows still point to it, emptied: no
address, no name, no password, inactive."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tremplin.calls.enums import ApplicationState, ProgrammeState
from tremplin.calls.models import Answer, Application, ApplicationImage
from tremplin.campaigns.enums import CampaignState
from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError
from tremplin.core.models import AuditLog, OrganiserMembership, User
from tremplin.jury.enums import JuryState, Outcome
from tremplin.jury.models import Ballot, JuryMember
from tremplin.privacy import actions
from tremplin.privacy.models import ErasureNotice, NoticeRole
from tremplin.privacy.people import Person, pseudonym
from tremplin.privacy.registry import (
    CUSTOM,
    DELETE,
    KEEP,
    PSEUDONYMISE,
    PersonalData,
    declarations,
)


class ErasureRefused(DomainError):
    pass


# The title left on an application whose content was erased but whose row stays.
ERASED_TITLE = "—"


# A submitted application is "running" until the results are published.
RUNNING_PROGRAMME_STATES = (
    ProgrammeState.CALL_OPEN,
    ProgrammeState.CALL_CLOSED,
    ProgrammeState.SCREENING,
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
)
# A campaign before its close: contributors' money is in play.
RUNNING_CAMPAIGN_STATES = (
    CampaignState.DRAFT,
    CampaignState.IN_REVIEW,
    CampaignState.CHANGES_REQUESTED,
    CampaignState.APPROVED,
    CampaignState.SCHEDULED,
    CampaignState.LIVE,
)


def blockers(user) -> list[str]:
    """Why the account cannot be erased now (empty: it can), in the reader's words."""
    reasons = []
    running = Application.objects.filter(
        maker=user,
        state=ApplicationState.SUBMITTED,
        programme__state__in=RUNNING_PROGRAMME_STATES,
    ).select_related("programme")
    for application in running:
        reasons.append(
            _(
                "Your application “%(title)s” to %(programme)s is being examined: withdraw "
                "it first, or wait until the results are published."
            )
            % {"title": application.title, "programme": application.programme.name}
        )
    campaigns = Application.objects.filter(
        maker=user, campaign__state__in=RUNNING_CAMPAIGN_STATES
    ).values_list("campaign__title", flat=True)
    for title in campaigns:
        reasons.append(
            _(
                "Your campaign “%(title)s” is in progress: its contributors must be able to "
                "reach you until it closes."
            )
            % {"title": title}
        )
    for member in JuryMember.objects.filter(user=user).select_related("jury__programme"):
        if member.jury.state == JuryState.OPEN:
            reasons.append(
                _(
                    "You sit on the jury of %(programme)s, whose vote is open: your ballot "
                    "must stay as it is until the jury closes."
                )
                % {"programme": member.jury.programme.name}
            )
    if user.is_staff:
        reasons.append(_("A platform staff account is closed by another member of staff."))
    return reasons


@dataclass
class ErasureReport:
    pseudonym: str
    deleted: int = 0
    pseudonymised: int = 0
    account_deleted: bool = False
    files: list[str] = field(default_factory=list)


def erase_account(user, *, requested_by=None) -> ErasureReport:
    """Erase ``user``'s personal data (see the module). Refused with every reason at once
    when something is running."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        reasons = blockers(user)
        if reasons:
            raise ErasureRefused(reasons)
        person = Person.of_user(user)
        report = ErasureReport(pseudonym(user.pk))
        _notify_organisers(user, report.pseudonym)
        for declaration in declarations():
            _erase(declaration, person, report)
        for declaration in declarations():
            _clear_actors(declaration, user, report)
        report.account_deleted = _close_account(user, report.pseudonym)
        log_action(
            actions.ACCOUNT_ERASED,
            data={
                "pseudonym": report.pseudonym,
                "deleted": report.deleted,
                "pseudonymised": report.pseudonymised,
            },
        )
        files = list(report.files)
        transaction.on_commit(lambda: _delete_files(files))
    return report


def _delete_files(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):  # already gone: nothing to erase
            default_storage.delete(name)


def _files_of(rows, names) -> list[str]:
    if not names:
        return []
    return [value for row in rows.values_list(*names) for value in row if value]


def blank_value(f: models.Field, pseudo: str):
    """What a personal field becomes when its row is kept."""
    if isinstance(f, models.JSONField):
        return f.get_default() if f.has_default() else None
    if isinstance(f, models.EmailField):
        return ""
    if isinstance(f, models.CharField | models.TextField):
        return ""
    if f.null:
        return None
    if isinstance(f, models.DateTimeField | models.DateField):
        return None
    raise ValueError(f"{f.model._meta.label}.{f.name}: no blank value")


def pseudonymise_rows(declaration: PersonalData, rows, pseudo: str) -> int:
    model = declaration.model_class
    changes = {}
    for name in declaration.fields:
        changes[name] = blank_value(model._meta.get_field(name), pseudo)
    for path in declaration.user:
        if "__" in path or path == "pk":
            continue
        f = model._meta.get_field(path)
        if f.null:
            changes[path] = None
    if not changes:
        return rows.count()
    return model._default_manager.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
        **changes
    )


def _erase(declaration: PersonalData, person: Person, report: ErasureReport) -> None:
    if declaration.erasure == CUSTOM:
        handler = CUSTOM_ERASURES.get(declaration.model.lower())
        if handler is None:
            raise ValueError(f"{declaration.model}: custom erasure without a handler")
        handler(declaration, person, report)
        return
    if declaration.erasure == KEEP:
        return
    rows = person.rows(declaration)
    if declaration.erasure == DELETE:
        report.files += _files_of(rows, declaration.files)
        model = declaration.model_class
        count, _detail = model._default_manager.filter(
            pk__in=list(rows.values_list("pk", flat=True))
        ).delete()
        report.deleted += count
    elif declaration.erasure == PSEUDONYMISE:
        report.pseudonymised += pseudonymise_rows(declaration, rows, report.pseudonym)


def _clear_actors(declaration: PersonalData, user, report: ErasureReport) -> None:
    model = declaration.model_class
    for name in declaration.actors:
        report.pseudonymised += model._default_manager.filter(**{name: user.pk}).update(
            **{name: None}
        )


# -- custom erasures -------------------------------------------------------------------


def _is_laureate(application: Application) -> bool:
    if hasattr(application, "campaign"):
        return True
    decision = getattr(application, "decision", None)
    return decision is not None and decision.outcome == Outcome.LAUREATE


def _voted_on(application: Application) -> bool:
    from tremplin.jury.models import Grade, Pick, Score

    return any(m.objects.filter(application=application).exists() for m in (Pick, Grade, Score))


def _erase_applications(declaration: PersonalData, person: Person, report) -> None:
    """A laureate's application is kept (public money), its maker's contact erased; an
    application a jury voted on stays as an empty row (the ballots point to it); any other
    is deleted with its answers and images."""
    for application in Application.objects.filter(maker=person.user).select_related("decision"):
        images = ApplicationImage.objects.filter(application=application)
        answers = Answer.objects.filter(application=application)
        if _is_laureate(application):
            report.pseudonymised += Application.objects.filter(pk=application.pk).update(
                maker_name="", maker_phone=""
            )
            continue
        report.files += _files_of(images, ["image"]) + _files_of(answers, ["file"])
        if _voted_on(application):
            report.deleted += images.delete()[0] + answers.delete()[0]
            changes = {
                name: blank_value(Application._meta.get_field(name), report.pseudonym)
                for name in declaration.fields
            }
            changes["title"] = ERASED_TITLE
            report.pseudonymised += Application.objects.filter(pk=application.pk).update(**changes)
        else:
            report.deleted += application.delete()[0]


def _with_the_application(declaration, person, report) -> None:
    """Answers and images go (or stay) with their application (``_erase_applications``)."""


def _erase_user(declaration, person, report) -> None:
    """The account row is handled last (``_close_account``)."""


def _erase_seats(declaration: PersonalData, person: Person, report) -> None:
    """A seat on a jury that never opened is deleted; on any other, it stays (the ballots
    and the tally point to it), pointing to the emptied account."""
    for member in JuryMember.objects.filter(user=person.user).select_related("jury__programme"):
        if (
            member.jury.state == JuryState.DRAFT
            and not Ballot.objects.filter(member=member).exists()
        ):
            report.deleted += member.delete()[0]


def _erase_comments(declaration: PersonalData, person: Person, report) -> None:
    from tremplin.campaigns.models import Comment

    mine = Comment.objects.filter(author=person.user)
    Comment.objects.filter(reply_to__in=mine).exclude(author=person.user).update(reply_to=None)
    report.deleted += mine.delete()[0]


def _erase_reports(declaration: PersonalData, person: Person, report) -> None:
    """A report still counts, as an anonymous one under the person's pseudonym."""
    from tremplin.campaigns.models import CommentReport

    report.pseudonymised += CommentReport.objects.filter(user=person.user).update(
        user=None, address_hash="erased-" + report.pseudonym
    )


def _replace(value, needles: set[str], pseudo: str):
    if isinstance(value, str):
        return pseudo if value.strip().lower() in needles else value
    if isinstance(value, dict):
        return {k: _replace(v, needles, pseudo) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, needles, pseudo) for v in value]
    return value


def _by_user_or_email(person: Person) -> Q:
    q = Q(user=person.user)
    for email in person.emails:
        q |= Q(email__iexact=email)
    return q


def _erase_audit(declaration: PersonalData, person: Person, report) -> None:
    """Entries are kept (the public body's record), with the person replaced by the
    pseudonym: in ``user``, in the object id of entries about the account, and in any value
    of their data that is one of the person's addresses or names."""
    from tremplin.funding.models import Contribution

    user = person.user
    names = {user.full_name.strip().lower()} if user.full_name.strip() else set()
    names.update(
        n.strip().lower()
        for n in Contribution.objects.filter(_by_user_or_email(person)).values_list(
            "name", flat=True
        )
        if n.strip()
    )
    needles = set(person.emails) | names
    user_type = ContentType.objects.get_for_model(User)
    q = Q(user=user) | Q(content_type=user_type, object_id=str(user.pk))
    for needle in needles:
        q |= Q(data__icontains=needle)
    changed = []
    for entry in AuditLog.objects.filter(q):
        entry.data = _replace(entry.data or {}, needles, report.pseudonym)
        if entry.user_id == user.pk:
            entry.user = None
            entry.data = {**entry.data, "pseudonym": report.pseudonym}
        if entry.content_type_id == user_type.pk and entry.object_id == str(user.pk):
            entry.object_id = report.pseudonym
        changed.append(entry)
    AuditLog.objects.bulk_update(changed, ["user", "data", "object_id"], batch_size=500)
    report.pseudonymised += len(changed)


def _erase_task_rows(declaration: PersonalData, person: Person, report) -> None:
    """Finished tasks whose arguments name one of the person's addresses (the e-mails sent
    to them): deleted. A task still waiting goes out, then is pruned with the others."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    q = Q()
    for email in person.emails:
        q |= Q(args_kwargs__icontains=email)
    if not q:
        return
    rows = DBTaskResult.objects.filter(q).filter(
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    )
    report.deleted += rows.delete()[0]


def _erase_registrations(declaration: PersonalData, person: Person, report) -> None:
    """A place at a workshop still to come is cancelled through the workshop's own rule
    (the first person waiting gets it and is told); then every registration goes."""
    from django.utils import timezone

    from tremplin.coaching.enums import ACTIVE_REGISTRATION_STATES
    from tremplin.coaching.workshops import cancel_registration

    rows = person.rows(declaration)
    upcoming = rows.filter(
        state__in=ACTIVE_REGISTRATION_STATES,
        workshop__starts_at__gt=timezone.now(),
        workshop__cancelled_at__isnull=True,
    )
    for registration in upcoming:
        cancel_registration(registration)
    model = declaration.model_class
    report.deleted += model._default_manager.filter(
        pk__in=list(rows.values_list("pk", flat=True))
    ).delete()[0]


def _notify_organisers(user, pseudo: str) -> None:
    """Notices for the organisers that must know: a laureate leaving, a member of their
    team, a juror whose seat is kept."""
    notices = []
    for application in Application.objects.filter(maker=user).select_related(
        "programme", "decision"
    ):
        if _is_laureate(application):
            notices.append(
                ErasureNotice(
                    organiser_id=application.programme.organiser_id,
                    pseudonym=pseudo,
                    role=NoticeRole.LAUREATE,
                    programme=application.programme,
                    project_title=application.title[:120],
                    kept=_(
                        "The application and its campaign are kept (records of the use of "
                        "public money); the maker's name, phone and account are erased."
                    ),
                )
            )
    for membership in OrganiserMembership.objects.filter(user=user):
        notices.append(
            ErasureNotice(
                organiser_id=membership.organiser_id, pseudonym=pseudo, role=NoticeRole.TEAM
            )
        )
    for member in JuryMember.objects.filter(user=user).select_related("jury__programme"):
        if member.jury.state != JuryState.DRAFT:
            notices.append(
                ErasureNotice(
                    organiser_id=member.jury.programme.organiser_id,
                    pseudonym=pseudo,
                    role=NoticeRole.JUROR,
                    programme=member.jury.programme,
                    kept=_("The seat and the ballots are kept, so that the tally stays the same."),
                )
            )
    ErasureNotice.objects.bulk_create(notices)


def _close_account(user, pseudo: str) -> bool:
    """Delete the account, or empty it when kept rows still point to it. True: deleted."""
    linked = Application.objects.filter(maker=user).exists() or (
        JuryMember.objects.filter(user=user).exists()
    )
    if not linked:
        User.objects.filter(pk=user.pk).delete()
        return True
    User.objects.filter(pk=user.pk).update(
        email=f"{pseudo}@erased.invalid",
        full_name="",
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
        is_coach=False,
        last_login=None,
    )
    return False


CUSTOM_ERASURES = {
    "core.user": _erase_user,
    "core.auditlog": _erase_audit,
    "calls.application": _erase_applications,
    "calls.applicationimage": _with_the_application,
    "calls.answer": _with_the_application,
    "jury.jurymember": _erase_seats,
    "campaigns.comment": _erase_comments,
    "campaigns.commentreport": _erase_reports,
    "django_tasks_database.dbtaskresult": _erase_task_rows,
    "coaching.workshopregistration": _erase_registrations,
}
