"""The applications' verbs: the maker's draft, submission and withdrawal (with their
e-mails, after commit), and the organiser's eligibility screening."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.calls.enums import SCREENING_STATES, ApplicationState, Eligibility, QuestionKind
from tremplin.calls.models import Answer, Application, ApplicationImage, Programme, Question
from tremplin.calls.programmes import TransitionError
from tremplin.calls.rules import can_withdraw
from tremplin.core.audit import log_action
from tremplin.core.mail import send_mail_on_commit


def _ensure_open(programme: Programme) -> None:
    if not programme.is_accepting_applications():
        raise TransitionError(
            _("The call for projects is closed: applications are no longer accepted."),
            code="closed",
        )


@dataclass
class AnswerChange:
    """The new answer to one custom question: a JSON value, or for file questions a new
    (already checked) file, or ``clear_file`` to remove the current one."""

    question: Question
    value: Any = None
    file: File | None = None
    clear_file: bool = False


@dataclass
class ApplicationChanges:
    """What the application form changes besides the standard fields."""

    answers: list[AnswerChange] = field(default_factory=list)
    image_alts: dict[int, str] = field(default_factory=dict)
    removed_images: set[int] = field(default_factory=set)
    new_images: list[tuple[File, str]] = field(default_factory=list)


SUBMISSION_REQUIRED_FIELDS = (
    "title",
    "summary",
    "description",
    "category",
    "commune",
    "maker_profile",
    "maker_name",
    "funding_goal",
    "budget",
)


def _delete_files_on_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def _apply_changes(application: Application, changes: ApplicationChanges) -> None:
    obsolete_files: list[str] = []
    answers = {answer.question_id: answer for answer in application.answers.all()}
    for change in changes.answers:
        if change.question.programme_id != application.programme_id:
            raise TransitionError(_("This question belongs to another programme."))
        answer = answers.get(change.question.pk) or Answer(
            application=application, question=change.question
        )
        if change.question.kind == QuestionKind.FILE:
            if change.file is not None:
                if answer.file:
                    obsolete_files.append(answer.file.name)
                answer.file.save(change.file.name, change.file, save=False)
            elif change.clear_file and answer.file:
                obsolete_files.append(answer.file.name)
                answer.file = ""
            answer.value = None
        else:
            answer.value = change.value
        answer.save()

    images = {image.pk: image for image in application.images.all()}
    unknown = (changes.removed_images | set(changes.image_alts)) - set(images)
    if unknown:
        raise TransitionError(_("This image does not belong to the application."))
    for pk in changes.removed_images:
        obsolete_files.append(images[pk].image.name)
        images.pop(pk).delete()
    for pk, alt_text in changes.image_alts.items():
        if pk in images and images[pk].alt_text != alt_text:
            images[pk].alt_text = alt_text
            images[pk].save(update_fields=["alt_text"])
    maximum = settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION
    if len(images) + len(changes.new_images) > maximum:
        raise TransitionError(
            _("An application can have at most %(max)s images.") % {"max": maximum}
        )
    position = max((image.position for image in images.values()), default=0)
    for content, alt_text in changes.new_images:
        position += 1
        image = ApplicationImage(application=application, alt_text=alt_text, position=position)
        image.image.save(content.name, content, save=False)
        image.save()
    _delete_files_on_commit(obsolete_files)


def missing_for_submission(application: Application) -> list[str]:
    """Names of the standard fields and custom questions (``q_<id>``) a submission lacks."""
    missing = [
        name for name in SUBMISSION_REQUIRED_FIELDS if getattr(application, name) in (None, "")
    ]
    answers = {answer.question_id: answer for answer in application.answers.all()}
    for question in application.programme.questions.filter(required=True):
        answer = answers.get(question.pk)
        if question.kind == QuestionKind.FILE:
            empty = answer is None or not answer.file
        else:
            empty = answer is None or answer.value in (None, "", [])
        if empty:
            missing.append(f"q_{question.pk}")
    return missing


def save_draft(
    application: Application,
    *,
    user,
    created: bool = False,
    changes: ApplicationChanges | None = None,
) -> Application:
    """Persist a maker's draft (or edits of a submitted application) while the call is open.
    The caller has already validated and assigned the standard fields; ``changes`` carries
    the answers to custom questions and the images."""
    _ensure_open(application.programme)
    if application.state == ApplicationState.WITHDRAWN:
        raise TransitionError(_("This application was withdrawn and can no longer be edited."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise TransitionError(
                _("You already have an application to this programme."), code="duplicate"
            ) from None
        if changes is not None:
            _apply_changes(application, changes)
        log_action(
            "tremplin.application.created" if created else "tremplin.application.changed",
            obj=application,
            user=user,
            data={"state": application.state},
        )
    return application


def submit_application(application: Application, *, user) -> Application:
    """Submit before the deadline (Europe/Paris): checks, saves, logs, sends confirmation."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("programme")
            .get(pk=application.pk)
        )
        _ensure_open(locked.programme)
        if locked.state == ApplicationState.WITHDRAWN:
            raise TransitionError(_("This application was withdrawn."))
        if missing_for_submission(locked):
            raise TransitionError(
                _("Fill in every required field before submitting."), code="incomplete"
            )
        first = locked.state == ApplicationState.DRAFT
        locked.state = ApplicationState.SUBMITTED
        if first:
            locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        log_action(
            "tremplin.application.submitted" if first else "tremplin.application.resubmitted",
            obj=locked,
            user=user,
        )
        send_mail_on_commit(
            "calls/email/application_submitted",
            locked.maker.email,
            {
                "maker_name": locked.maker_name or str(locked.maker),
                "title": locked.title,
                "programme": locked.programme.name,
                "reference": locked.reference,
                "deadline": locked.programme.call_closes_at.isoformat(),
                "path": f"/candidatures/{locked.pk}/",
                "first": first,
            },
            language=locked.maker.language,
        )
    application.refresh_from_db()
    return locked


def withdraw_application(application: Application, *, user) -> Application:
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("programme")
            .get(pk=application.pk)
        )
        if locked.state == ApplicationState.WITHDRAWN:
            raise TransitionError(_("This application is already withdrawn."))
        if not can_withdraw(locked):
            raise TransitionError(_("This application can no longer be withdrawn."))
        locked.state = ApplicationState.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["state", "withdrawn_at", "updated_at"])
        log_action("tremplin.application.withdrawn", obj=locked, user=user)
        send_mail_on_commit(
            "calls/email/application_withdrawn",
            locked.maker.email,
            {"title": locked.title, "programme": locked.programme.name},
            language=locked.maker.language,
        )
    application.refresh_from_db()
    return locked


def screen_application(
    application: Application, *, user, eligible: bool, reason: str
) -> Application:
    """Mark a submitted application eligible or ineligible. Ineligibility needs a reason."""
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise TransitionError(_("Give the reason why the application is ineligible."))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("programme")
            .get(pk=application.pk)
        )
        if locked.state != ApplicationState.SUBMITTED:
            raise TransitionError(_("Only submitted applications can be screened."))
        if locked.programme.state not in SCREENING_STATES:
            raise TransitionError(_("Screening starts once the call is closed."))
        previous = locked.eligibility
        locked.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
        locked.eligibility_reason = reason
        locked.screened_at = timezone.now()
        locked.screened_by = user
        locked.save(
            update_fields=[
                "eligibility",
                "eligibility_reason",
                "screened_at",
                "screened_by",
                "updated_at",
            ]
        )
        log_action(
            "tremplin.application.screened",
            obj=locked,
            user=user,
            data={"from": previous, "to": locked.eligibility, "reason": reason},
        )
    application.refresh_from_db()
    return locked
