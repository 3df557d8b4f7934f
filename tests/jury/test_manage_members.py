"""Jury members: invited by e-mail (the account is created when needed, no password,
verified address), the signed link, sending again, removal; bad input; the page's
queries do not grow with the number of members."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.jury.factories import BallotFactory, JuryMemberFactory
from tests.jury.manage_world import client, close_jury, make_world, open_jury
from tremplin.core.models import AuditLog, PartnerMembership, User
from tremplin.jury import administration, errors
from tremplin.jury.enums import BallotScope
from tremplin.jury.models import JuryMember
from tremplin.jury.tokens import make_invitation_token, read_invitation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def members_url(w) -> str:
    return reverse("jury_manage:members", args=["mel", w.programme.slug])


def invite(w, email: str = "nadia@univ-lille.example", **extra):
    data = {"partner": w.partners[1].pk, "email": email, "full_name": "", "language": "fr"}
    data.update(extra)
    return client(w.manager).post(members_url(w), data)


def test_invitation_creates_the_account_and_sends_the_signed_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            world, "Nadia@Univ-Lille.example", full_name="Nadia Benali", language="en"
        )
    assert response.status_code == 302
    member = JuryMember.objects.get(user__email="nadia@univ-lille.example")
    assert member.partner == world.partners[1]
    assert member.invited_by == world.manager
    assert member.accepted_at is None
    user = member.user
    assert user.full_name == "Nadia Benali"
    assert user.language == "en"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert PartnerMembership.objects.filter(partner=world.partners[1], user=user).exists()
    assert AuditLog.objects.filter(action="tremplin.jury.member_invited").count() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@univ-lille.example"]
    assert "MEL Makers 2019" in message.subject
    token = re.search(r"/jury/invitation/([^/\s]+)/", message.body).group(1)
    assert read_invitation_token(token) == member.pk


def test_an_existing_account_is_reused(world, django_capture_on_commit_callbacks):
    existing = factories.UserFactory(email="pierre@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(world, "PIERRE@example.org").status_code == 302
    assert JuryMember.objects.get(jury=world.jury, user=existing)
    assert User.objects.filter(email__iexact="pierre@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(factories.PASSWORD)  # untouched
    assert len(mail.outbox) == 1


def test_tokens_are_signed_and_expire():
    token = make_invitation_token(42)
    assert read_invitation_token(token) == 42
    assert read_invitation_token(token + "x") is None
    assert read_invitation_token("42") is None
    assert read_invitation_token(token, max_age=-1) is None


BAD_INVITES = {
    "empty": ({"partner": "", "email": ""}, ["partner", "email"]),
    "not an e-mail": ({"email": "pas-une-adresse"}, ["email"]),
    "e-mail too long": ({"email": "a" * 250 + "@example.org"}, ["email"]),
    "name too long": ({"full_name": "N" * 151}, ["full_name"]),
    "unknown language": ({"language": "de"}, ["language"]),
    "forged partner id": ({"partner": "999999"}, ["partner"]),
    "partner id too big": ({"partner": "9" * 40}, ["partner"]),
    "partner id with a NUL byte": ({"partner": "\x00"}, ["partner"]),
    "partner not on the jury": ({"partner": "OTHER"}, ["partner"]),
    "partner of another organiser": ({"partner": "FOREIGN"}, ["partner"]),
}


@pytest.mark.parametrize("case", BAD_INVITES, ids=str)
def test_bad_invitations_are_refused(world, case, django_capture_on_commit_callbacks):
    changes, fields = BAD_INVITES[case]
    off_jury = factories.PartnerFactory(organiser=world.organiser, name="Pas au jury")
    changes = dict(changes)
    if changes.get("partner") == "OTHER":
        changes["partner"] = off_jury.pk
    if changes.get("partner") == "FOREIGN":
        changes["partner"] = world.other_partner.pk
    count = JuryMember.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = (
            invite(world, **changes)
            if "email" not in changes
            else invite(world, changes.pop("email"), **changes)
        )
    assert response.status_code == 400
    for field in fields:
        assert field in response.context["form"].errors
    assert JuryMember.objects.count() == count
    assert mail.outbox == []


def test_a_member_cannot_be_invited_twice(world):
    response = invite(world, world.juror.email)
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    with pytest.raises(errors.JuryError):
        administration.invite_member(
            world.jury, world.partners[0], world.juror.email, user=world.manager
        )


def test_a_name_with_html_is_shown_escaped(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, "x@example.org", full_name="<b>Bob</b><script>alert(1)</script>")
    body = client(world.manager).get(members_url(world)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;b&gt;Bob&lt;/b&gt;" in body


def test_resend_and_remove(world, django_capture_on_commit_callbacks):
    member = JuryMember.objects.get(user=world.juror)
    c = client(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(members_url(world), {"action": "resend", "member": member.pk})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert AuditLog.objects.filter(action="tremplin.jury.invitation_resent").exists()
    response = c.post(members_url(world), {"action": "remove", "member": member.pk})
    assert response.status_code == 302
    assert not JuryMember.objects.filter(pk=member.pk).exists()
    assert AuditLog.objects.filter(action="tremplin.jury.member_removed").exists()


def test_member_actions_refuse_forged_input(world):
    c = client(world.manager)
    other = JuryMemberFactory()  # a member of another jury
    assert c.post(members_url(world), {"action": "remove", "member": other.pk}).status_code == 404
    assert c.post(members_url(world), {"action": "explode", "member": "1"}).status_code == 400
    assert c.post(members_url(world), {"action": "remove", "member": "abc"}).status_code == 400
    for hostile in ("9" * 40, "\x00", "-1"):  # refused or not found, never a 500
        data = {"action": "remove", "member": hostile}
        assert c.post(members_url(world), data).status_code in (400, 404), hostile
    assert JuryMember.objects.filter(pk=other.pk).exists()


def test_a_member_who_submitted_their_own_ballot_stays(world):
    world.jury.ballot_scope = BallotScope.MEMBER
    world.jury.save()
    member = JuryMember.objects.get(user=world.juror)
    BallotFactory(jury=world.jury, partner=member.partner, member=member)
    response = client(world.manager).post(
        members_url(world), {"action": "remove", "member": member.pk}
    )
    assert response.status_code == 400
    assert JuryMember.objects.filter(pk=member.pk).exists()


def test_members_are_frozen_after_the_close(world, django_capture_on_commit_callbacks):
    open_jury(world)
    close_jury(world)
    member = JuryMember.objects.get(user=world.juror)
    c = client(world.manager)
    assert c.post(members_url(world), {"action": "remove", "member": member.pk}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(world).status_code == 400
    assert mail.outbox == []
    assert JuryMember.objects.filter(jury=world.jury).count() == 1


@pytest.mark.parametrize("count", [2, 20])
def test_members_page_queries_do_not_grow(world, count, django_assert_max_num_queries):
    for i in range(count):
        JuryMemberFactory(jury=world.jury, partner=world.partners[i % 2])
    c = client(world.manager)
    with django_assert_max_num_queries(16):
        assert c.get(members_url(world)).status_code == 200
