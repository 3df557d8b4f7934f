"""A person with a record of every kind of personal data the registry declares, built
through the factories and the real payment services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from tests.campaigns.factories import CampaignFactory, CommentFactory, UpdateFactory
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    PartnerMembershipFactory,
    ProgrammeFactory,
    QuestionFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tests.funding.helpers import checkout_data, key, pay
from tests.jury.factories import BallotFactory, JuryFactory, JuryMemberFactory, PickFactory
from tests.privacy import builders
from tremplin.calls.actions import APPLICATION_SUBMITTED
from tremplin.calls.enums import ProgrammeState, QuestionKind
from tremplin.calls.models import ApplicationImage
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import CommentReport, ReviewNote
from tremplin.core.actions import TEAM_MEMBER_ADDED
from tremplin.core.audit import log_action
from tremplin.core.models import User
from tremplin.funding.checkout import start_checkout
from tremplin.jury.enums import Outcome
from tremplin.jury.models import Decision, Recusal
from tremplin.payments.enums import RefundState
from tremplin.payments.models import Refund
from tremplin.privacy.models import AccountWarning

MARK = "zq-marker"


@pytest.fixture(autouse=True)
def _payments_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_REFUND_FAILURES = 0
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@dataclass
class Full:
    user: User
    email: str
    organiser: object
    objects: dict = field(default_factory=dict)


def published_programme(organiser, **kwargs):
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.RESULTS, **kwargs)
    JuryFactory(
        programme=programme,
        closed_at=timezone.now() - timedelta(days=3),
        published_at=timezone.now() - timedelta(days=2),
    )
    return programme


def paid(campaign, amount, *, user=None, **data):
    """A confirmed online contribution, paid through the real services (sandbox)."""
    contribution = start_checkout(
        campaign, checkout_data(amount=amount, **data), idempotency_key=key(), user=user
    )
    pay(contribution)
    contribution.refresh_from_db()
    return contribution


def build_full(organiser, *, laureate: bool = True, refund: bool = True) -> Full:
    user = UserFactory(email=f"{MARK}.person@example.org", full_name=f"Camille {MARK}")
    email = user.email
    objects: dict = {}
    # An application not selected (results published) with an image and a file answer.
    programme = published_programme(organiser)
    application = SubmittedApplicationFactory(
        programme=programme, maker=user, maker_name=f"Camille {MARK}", maker_phone="0600000000"
    )
    file_question = QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    answer = AnswerFactory(application=application, question=file_question, value=None)
    answer.file.save("cv.pdf", ContentFile(b"%PDF-1.4 " + MARK.encode()), save=True)
    AnswerFactory(application=application, value=f"answer {MARK}")
    image = ApplicationImage(application=application, alt_text=f"image {MARK}")
    image.image.save("photo.jpg", ContentFile(b"JPEG" + MARK.encode()), save=True)
    Decision.objects.create(
        jury=programme.jury,
        application=application,
        outcome=Outcome.NOT_SELECTED,
        feedback=f"feedback {MARK}",
    )
    objects["application"] = application
    objects["files"] = [answer.file.name, image.image.name]
    # A laureate's campaign, closed, with news and a review note.
    if laureate:
        campaign = CampaignFactory(
            programme=published_programme(organiser, slug=f"laureate-{MARK}"),
            application__maker=user,
            state=CampaignState.SUCCEEDED,
            closed_at=timezone.now() - timedelta(days=1),
        )
        UpdateFactory(campaign=campaign, author=user, body=f"news {MARK}")
        objects["laureate_answers"] = [AnswerFactory(application=campaign.application)]
        ReviewNote.objects.create(campaign=campaign, author=user, body=f"review {MARK}")
        objects["campaign"] = campaign
        objects.update(builders.as_maker(user, campaign, MARK))
    # Somebody else's live campaign, where the person contributes and comments.
    other = CampaignFactory()
    comment = CommentFactory(campaign=other, author=user, body=f"comment {MARK}")
    reply = CommentFactory(campaign=other, reply_to=comment)
    CommentReport.objects.create(comment=reply, user=user, address_hash="x")
    objects["other_campaign"] = other
    objects.update(builders.as_coach(user, other, organiser))
    objects.update(builders.registrations(user, email, MARK, organiser, other))
    objects["reply"] = reply
    objects["contribution"] = paid(
        other, "30", user=user, email=email, name=f"Camille {MARK}", message=f"msg {MARK}"
    )
    # A contribution made signed out, with the same address.
    objects["guest_contribution"] = paid(other, "15", email=email.upper(), name="C. M.")
    if refund:
        payment = objects["contribution"].payments.get()
        Refund.objects.create(payment=payment, amount=payment.amount, state=RefundState.CREATED)
    # Jury seat on a published jury, a submitted member ballot with a pick and a recusal.
    jury = published_programme(organiser).jury
    member = JuryMemberFactory(jury=jury, user=user)
    ballot = BallotFactory(jury=jury, member=member, submitted_by=user)
    PickFactory(ballot=ballot)
    Recusal.objects.create(
        ballot=ballot,
        application=SubmittedApplicationFactory(programme=jury.programme),
        declared_by=user,
        reason=f"recusal {MARK}",
    )
    objects["ballot"] = ballot
    # Team and partner memberships, an authenticator, an admin log entry, the audit log.
    MembershipFactory(organiser=organiser, user=user)
    partner = PartnerMembershipFactory(user=user, partner__organiser=organiser).partner
    objects.update(builders.relay(user, partner, other))
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type="totp", data={"secret": "s"})
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=f"admin {MARK}",
        action_flag=ADDITION,
        change_message="",
    )
    log_action(APPLICATION_SUBMITTED, obj=application, user=user)
    log_action(
        TEAM_MEMBER_ADDED,
        organiser=organiser,
        data={"member": email, "role": "manager"},
    )
    objects.update(builders.donors(user, email, MARK, paid))
    objects.update(builders.tracking(user, other))
    objects.update(builders.reports(user, organiser, programme))
    AccountWarning.objects.create(
        user=user, last_seen=timezone.now(), deletion_due=timezone.now() + timedelta(days=30)
    )
    return Full(user, email, organiser, objects)


@pytest.fixture
def full(organiser):
    return build_full(organiser)
