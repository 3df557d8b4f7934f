"""Erasure (GDPR art. 17): no personal field of any declared model is left about the
person but what the law keeps (pseudonymised), the ledger stays exact, files are deleted,
the audit log keeps its entries under a stable pseudonym, a running application or an open
ballot refuses it, and the organiser is told of a laureate leaving."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.conftest import login
from tests.factories import SubmittedApplicationFactory, UserFactory
from tests.jury.factories import JuryFactory, JuryMemberFactory
from tests.privacy.conftest import MARK, build_full
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Answer, Application, ApplicationImage
from tremplin.campaigns.models import Comment, CommentReport
from tremplin.core.models import AuditLog, User
from tremplin.funding import ledger
from tremplin.funding.models import Contribution
from tremplin.jury.models import Ballot, JuryMember
from tremplin.privacy import actions
from tremplin.privacy.erasure import ErasureRefused, blockers, erase_account
from tremplin.privacy.models import ErasureNotice, NoticeRole
from tremplin.privacy.people import pseudonym
from tremplin.privacy.registry import KEEP, declarations

pytestmark = pytest.mark.django_db


def _text_of_every_declared_row() -> str:
    """Every value of every row of every declared model, as text."""
    out = []
    for declaration in declarations():
        model = declaration.model_class
        for row in model._default_manager.values():
            out.append(repr(row))
    return "\n".join(out)


def test_nothing_personal_is_left_but_what_the_law_keeps(
    organiser, django_capture_on_commit_callbacks
):
    full = build_full(organiser, laureate=False, refund=False)
    user = full.user
    assert MARK in _text_of_every_declared_row()
    with django_capture_on_commit_callbacks(execute=True):
        report = erase_account(user)
    # the marker (in names, addresses, answers, comments, messages, files…) is gone from
    # every declared model, but from the rows the law keeps as they are (KEEP)
    kept = {d.model_class for d in declarations() if d.erasure == KEEP}
    leftovers = []
    for declaration in declarations():
        model = declaration.model_class
        if model in kept:
            continue
        for row in model._default_manager.values():
            if MARK in repr(row) or full.email in repr(row).lower():
                leftovers.append(f"{declaration.model}: {row}")
    assert not leftovers, leftovers
    assert report.pseudonym == pseudonym(user.pk)
    # the account is emptied (a published jury's seat points to it), not usable
    shell = User.objects.get(pk=user.pk)
    assert shell.email == f"{report.pseudonym}@erased.invalid"
    assert not shell.full_name and not shell.is_active and not shell.has_usable_password()
    # files deleted after the commit
    for name in full.objects["files"]:
        assert not default_storage.exists(name)
    # the not-selected application a jury voted on? it had no votes: deleted
    assert not Application.objects.filter(pk=full.objects["application"].pk).exists()
    assert not Answer.objects.filter(application_id=full.objects["application"].pk).exists()
    # contributions kept, without identity; the ledger is exact
    for key in ("contribution", "guest_contribution"):
        c = Contribution.objects.get(pk=full.objects[key].pk)
        assert c.state == "confirmed" and c.name == "" and c.email == "" and c.user is None
    assert ledger.audit().clean, ledger.audit().problems
    # the ballot and the seat stay (the tally), without the person's name on them
    ballot = Ballot.objects.get(pk=full.objects["ballot"].pk)
    assert ballot.submitted_by is None and ballot.member.user_id == user.pk
    # the reply to the erased comment stays, detached
    assert not Comment.objects.filter(author_id=user.pk).exists()
    assert Comment.objects.filter(pk=full.objects["reply"].pk, reply_to=None).exists()
    assert CommentReport.objects.get().address_hash == "erased-" + report.pseudonym
    # the audit log keeps its entries, under the pseudonym
    entries = AuditLog.objects.exclude(action=actions.ACCOUNT_ERASED)
    assert not entries.filter(user_id=user.pk).exists()
    assert entries.filter(data__pseudonym=report.pseudonym).exists()
    member_added = entries.get(action="tremplin.team.member_added")
    assert member_added.data["member"] == report.pseudonym
    assert AuditLog.objects.filter(action=actions.ACCOUNT_ERASED).count() == 1


def test_the_pseudonym_is_stable_and_tells_nothing(settings):
    assert pseudonym(42) == pseudonym(42) != pseudonym(43)
    # the id does not show through (a long id: a short one may appear in the hex by chance)
    assert "123456789" not in pseudonym(123456789)
    assert re.fullmatch(r"p-[0-9a-f]{16}", pseudonym(42))
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert pseudonym(42) != pseudonym(41)


def test_an_account_with_nothing_kept_is_deleted(organiser):
    user = UserFactory()
    report = erase_account(user)
    assert report.account_deleted
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_laureate_leaving_is_kept_pseudonymised_and_the_organiser_told(organiser):
    full = build_full(organiser)
    campaign = full.objects["campaign"]
    erase_account(full.user)
    application = Application.objects.get(pk=campaign.application_id)
    assert application.maker_name == "" and application.maker_phone == ""
    assert application.title  # the project itself stays: records of public money
    assert Answer.objects.filter(application=application).exists() == bool(
        full.objects["laureate_answers"]
    )
    notice = ErasureNotice.objects.get(role=NoticeRole.LAUREATE)
    assert notice.organiser == organiser and notice.project_title == application.title
    assert notice.pseudonym == pseudonym(full.user.pk)
    assert ErasureNotice.objects.filter(role=NoticeRole.TEAM, organiser=organiser).exists()
    assert ledger.audit().clean


def test_a_running_application_blocks_the_erasure(organiser):
    user = UserFactory()
    SubmittedApplicationFactory(maker=user, programme__state=ProgrammeState.CALL_OPEN)
    assert blockers(user)
    with pytest.raises(ErasureRefused) as refusal:
        erase_account(user)
    assert "being examined" in refusal.value.messages[0]
    assert User.objects.get(pk=user.pk).email == user.email


def test_an_open_ballot_blocks_the_erasure(organiser):
    member = JuryMemberFactory(jury=JuryFactory())  # open now, programme in JURY
    with pytest.raises(ErasureRefused) as refusal:
        erase_account(member.user)
    assert "vote is open" in refusal.value.messages[0]
    assert JuryMember.objects.filter(pk=member.pk).exists()


def test_a_seat_on_a_jury_that_never_opened_is_deleted(organiser):
    member = JuryMemberFactory(jury=JuryFactory(programme__state=ProgrammeState.CALL_OPEN))
    report = erase_account(member.user)
    assert not JuryMember.objects.filter(pk=member.pk).exists()
    assert report.account_deleted


def test_an_application_voted_on_stays_as_an_empty_row(organiser):
    from tests.jury.factories import BallotFactory, PickFactory
    from tests.privacy.conftest import published_programme

    programme = published_programme(organiser)
    user = UserFactory()
    application = SubmittedApplicationFactory(
        programme=programme, maker=user, maker_name="Zoé", description="secret plans"
    )
    PickFactory(ballot=BallotFactory(jury=programme.jury), application=application)
    erase_account(user)
    application.refresh_from_db()
    assert application.maker_name == "" and application.description == ""
    assert not ApplicationImage.objects.filter(application=application).exists()


# -- the page ---------------------------------------------------------------------------


def test_the_person_erases_their_account_from_their_page(organiser):
    user = UserFactory()
    client = login(user)
    page = client.get(reverse("privacy:account"))
    assert b"Erase my account" in page.content or b"Effacer" in page.content
    response = client.post(
        reverse("privacy:erase"), {"email": user.email.upper(), "understood": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    # signed out
    assert client.get(reverse("privacy:account")).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "", "understood": "on"},
        {"email": "someone@else.org", "understood": "on"},
        {"email": "a\x00b", "understood": "on"},
        {"email": "x" * 100_000, "understood": "on"},
        {"email": "<script>alert(1)</script>", "understood": "on"},
        {"email": "9" * 40},
    ],
)
def test_a_bad_confirmation_changes_nothing(organiser, data):
    user = UserFactory()
    response = login(user).post(reverse("privacy:erase"), data)
    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).is_active
    assert b"<script>alert(1)</script>" not in response.content


def test_a_blocked_erasure_says_why_on_the_page(organiser):
    user = UserFactory()
    SubmittedApplicationFactory(maker=user, programme__state=ProgrammeState.JURY)
    client = login(user)
    page = client.get(reverse("privacy:account"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"being examined" in page.content
    response = client.post(reverse("privacy:erase"), {"email": user.email, "understood": "on"})
    assert response.status_code == 409
    assert User.objects.get(pk=user.pk).is_active


def test_erasing_contributors_keeps_the_ledger_clean(organiser):
    from tests.campaigns.factories import CampaignFactory
    from tests.privacy.conftest import paid

    campaign = CampaignFactory()
    people = [UserFactory() for _ in range(3)]
    for person in people:
        paid(campaign, "12.34", user=person, email=person.email, name=person.full_name)
    paid(campaign, "5", email="guest@example.org", name="Guest")
    before = ledger.audit()
    for person in people:
        erase_account(person)
    after = ledger.audit()
    assert after.clean, after.problems
    assert (after.contributions, after.raised) == (before.contributions, before.raised)
    from django.core.management import call_command

    call_command("audit-ledger")  # exits 0 when clean
