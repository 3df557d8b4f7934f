"""The application verbs of calls.applications: check, save, log, mail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories
from tests.calls.helpers import image_bytes
from tremplin.calls import applications, rules
from tremplin.calls.applications import AnswerChange, ApplicationChanges
from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState, QuestionKind
from tremplin.calls.models import Answer, Application, ApplicationImage
from tremplin.calls.programmes import TransitionError
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _new_application(programme, maker, **fields):
    defaults = {
        "title": "Atelier vélo",
        "summary": "Un atelier.",
        "description": "Une description.",
        "category": "Artisanat",
        "commune": "Lille",
        "maker_profile": "entrepreneur",
        "maker_name": "Camille",
        "funding_goal": Decimal("5000"),
        "budget": Decimal("8000"),
    }
    defaults.update(fields)
    return Application(programme=programme, maker=maker, **defaults)


def _close(programme):
    programme.call_opens_at = timezone.now() - timedelta(days=40)
    programme.call_closes_at = timezone.now() - timedelta(minutes=1)
    programme.save()


def _actions(application):
    return list(
        AuditLog.objects.filter(object_id=str(application.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


def test_draft_then_submit_before_deadline(programme, maker, django_capture_on_commit_callbacks):
    application = _new_application(programme, maker)
    with django_capture_on_commit_callbacks(execute=True):
        applications.save_draft(application, user=maker, created=True)
    assert application.state == ApplicationState.DRAFT
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(application, user=maker)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    assert _actions(application) == [
        "tremplin.application.created",
        "tremplin.application.submitted",
    ]
    assert AuditLog.objects.filter(organiser=programme.organiser).count() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [maker.email]


def test_nothing_is_stored_after_the_deadline(programme, maker, django_capture_on_commit_callbacks):
    _close(programme)
    application = _new_application(programme, maker)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError) as caught:
        applications.save_draft(application, user=maker, created=True)
    assert caught.value.code == "closed"
    assert Application.objects.count() == 0
    assert AuditLog.objects.count() == 0
    assert mail.outbox == []


def test_submit_after_the_deadline_is_refused(programme, maker, django_capture_on_commit_callbacks):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    _close(programme)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        applications.submit_application(application, user=maker)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.submitted_at is None
    assert mail.outbox == []


def test_submit_before_the_call_opens_is_refused(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    programme.call_opens_at = timezone.now() + timedelta(days=1)
    programme.save()
    with pytest.raises(TransitionError):
        applications.submit_application(application, user=maker)


@pytest.mark.parametrize("state", [ProgrammeState.DRAFT, ProgrammeState.CALL_CLOSED])
def test_submit_when_the_call_is_not_open_is_refused(programme, maker, state):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    programme.state = state
    programme.save()
    with pytest.raises(TransitionError):
        applications.submit_application(application, user=maker)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_edit_after_submission_keeps_it_submitted(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    applications.submit_application(application, user=maker)
    submitted_at = Application.objects.get().submitted_at
    application.title = "Nouveau titre"
    applications.save_draft(application, user=maker)
    applications.submit_application(application, user=maker)
    application.refresh_from_db()
    assert application.title == "Nouveau titre"
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at == submitted_at
    assert _actions(application)[-2:] == [
        "tremplin.application.changed",
        "tremplin.application.resubmitted",
    ]


def test_edit_after_the_deadline_is_refused(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    applications.submit_application(application, user=maker)
    _close(programme)
    application.refresh_from_db()
    application.title = "Trop tard"
    with pytest.raises(TransitionError):
        applications.save_draft(application, user=maker)
    assert Application.objects.get().title != "Trop tard"


def test_double_submit_keeps_one_application(programme, maker, django_capture_on_commit_callbacks):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(application, user=maker)
    first_at = Application.objects.get().submitted_at
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(application, user=maker)
    assert Application.objects.count() == 1
    assert Application.objects.get().submitted_at == first_at
    assert len(mail.outbox) == 2  # a confirmation, then "your changes are saved"
    assert mail.outbox[0].subject != mail.outbox[1].subject


def test_second_application_of_the_same_maker_is_refused(programme, maker):
    factories.ApplicationFactory(programme=programme, maker=maker)
    with pytest.raises(TransitionError) as caught:
        applications.save_draft(_new_application(programme, maker), user=maker, created=True)
    assert caught.value.code == "duplicate"
    assert Application.objects.count() == 1


def test_incomplete_application_cannot_be_submitted(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker, budget=None)
    with pytest.raises(TransitionError) as caught:
        applications.submit_application(application, user=maker)
    assert caught.value.code == "incomplete"
    assert applications.missing_for_submission(application) == ["budget"]


def test_required_question_must_be_answered_to_submit(programme, maker):
    question = factories.QuestionFactory(programme=programme, required=True)
    factories.QuestionFactory(programme=programme, required=False)
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    assert applications.missing_for_submission(application) == [f"q_{question.pk}"]
    with pytest.raises(TransitionError):
        applications.submit_application(application, user=maker)
    applications.save_draft(
        application,
        user=maker,
        changes=ApplicationChanges(answers=[AnswerChange(question=question, value="Oui")]),
    )
    applications.submit_application(application, user=maker)
    assert Application.objects.get().state == ApplicationState.SUBMITTED


def test_required_yes_no_question_accepts_no(programme, maker):
    question = factories.QuestionFactory(
        programme=programme, kind=QuestionKind.YES_NO, required=True
    )
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    applications.save_draft(
        application,
        user=maker,
        changes=ApplicationChanges(answers=[AnswerChange(question=question, value=False)]),
    )
    assert applications.missing_for_submission(application) == []


def test_answer_to_a_question_of_another_programme_is_refused(programme, maker):
    foreign = factories.QuestionFactory()
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    with pytest.raises(TransitionError):
        applications.save_draft(
            application,
            user=maker,
            changes=ApplicationChanges(answers=[AnswerChange(question=foreign, value="x")]),
        )
    assert not Answer.objects.exists()


def test_image_limit_is_enforced_by_the_service(programme, maker, settings):
    settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION = 2
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    images = [(ContentFile(image_bytes(), name=f"{i}.jpg"), "") for i in range(3)]
    with pytest.raises(TransitionError):
        applications.save_draft(
            application, user=maker, changes=ApplicationChanges(new_images=images)
        )
    assert not ApplicationImage.objects.exists()


def test_images_are_added_described_and_removed(
    programme, maker, django_capture_on_commit_callbacks
):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    applications.save_draft(
        application,
        user=maker,
        changes=ApplicationChanges(
            new_images=[(ContentFile(image_bytes(), name="a.jpg"), "Un vélo")]
        ),
    )
    image = ApplicationImage.objects.get()
    stored_name = image.image.name
    assert stored_name.startswith("applications/images/")
    assert image.image.storage.exists(stored_name)
    applications.save_draft(
        application, user=maker, changes=ApplicationChanges(image_alts={image.pk: "Deux vélos"})
    )
    assert ApplicationImage.objects.get().alt_text == "Deux vélos"
    with django_capture_on_commit_callbacks(execute=True):
        applications.save_draft(
            application, user=maker, changes=ApplicationChanges(removed_images={image.pk})
        )
    assert not ApplicationImage.objects.exists()
    assert not image.image.storage.exists(stored_name)


def test_withdraw(programme, maker, django_capture_on_commit_callbacks):
    application = factories.SubmittedApplicationFactory(programme=programme, maker=maker)
    with django_capture_on_commit_callbacks(execute=True):
        applications.withdraw_application(application, user=maker)
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert application.withdrawn_at is not None
    assert _actions(application) == ["tremplin.application.withdrawn"]
    assert len(mail.outbox) == 1
    assert application.title in mail.outbox[0].body


def test_withdraw_twice_is_refused(programme, maker):
    application = factories.SubmittedApplicationFactory(programme=programme, maker=maker)
    applications.withdraw_application(application, user=maker)
    with pytest.raises(TransitionError):
        applications.withdraw_application(application, user=maker)


def test_withdrawn_application_cannot_be_edited_or_submitted(programme, maker):
    application = factories.SubmittedApplicationFactory(programme=programme, maker=maker)
    applications.withdraw_application(application, user=maker)
    application.title = "Encore"
    with pytest.raises(TransitionError):
        applications.save_draft(application, user=maker)
    with pytest.raises(TransitionError):
        applications.submit_application(application, user=maker)
    assert Application.objects.get().state == ApplicationState.WITHDRAWN


def test_withdraw_after_screening_is_refused(programme, maker):
    application = factories.SubmittedApplicationFactory(
        programme=programme, maker=maker, eligibility=Eligibility.ELIGIBLE
    )
    assert not rules.can_withdraw(application)
    with pytest.raises(TransitionError):
        applications.withdraw_application(application, user=maker)


def test_withdraw_after_the_deadline_is_allowed_until_the_jury(programme, maker):
    application = factories.SubmittedApplicationFactory(programme=programme, maker=maker)
    _close(programme)
    programme.state = ProgrammeState.CALL_CLOSED
    programme.save()
    assert rules.can_withdraw(application)
    programme.state = ProgrammeState.JURY
    programme.save()
    application.refresh_from_db()
    assert not rules.can_withdraw(application)
