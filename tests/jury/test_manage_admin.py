"""The Django admin of juries, for platform staff: the pages render; ballots (and their
picks, grades, scores, recusals) and decisions are read-only; the jury's close and
publication dates cannot be edited there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.jury.factories import BallotFactory, CriterionFactory, JuryMemberFactory, PickFactory
from tests.mfa import login_with_totp
from tremplin.jury.enums import BallotState, Outcome
from tremplin.jury.models import Ballot, Decision, Jury, JuryMember, Pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    return login_with_totp(client, staff)


@pytest.mark.parametrize("model", [Jury, JuryMember, Ballot, Decision])
def test_models_are_registered(model):
    assert admin.site.is_registered(model)


def test_pages_render_and_ballots_are_read_only(admin_client):
    member = JuryMemberFactory()
    jury = member.jury
    CriterionFactory(jury=jury)
    ballot = BallotFactory(jury=jury, partner=member.partner, state=BallotState.DRAFT)
    pick = PickFactory(ballot=ballot)
    decision = Decision.objects.create(
        jury=jury, application=pick.application, outcome=Outcome.LAUREATE
    )
    for obj in (jury, member, ballot, decision):
        opts = obj._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200, change

    assert admin_client.get(reverse("admin:jury_ballot_add")).status_code == 403
    change = reverse("admin:jury_ballot_change", args=[ballot.pk])
    admin_client.post(change, {"state": BallotState.SUBMITTED})
    ballot.refresh_from_db()
    assert ballot.state == BallotState.DRAFT
    delete = reverse("admin:jury_ballot_delete", args=[ballot.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Pick.objects.filter(pk=pick.pk).exists()

    admin_client.post(
        reverse("admin:jury_decision_change", args=[decision.pk]), {"outcome": "not_selected"}
    )
    decision.refresh_from_db()
    assert decision.outcome == Outcome.LAUREATE

    page = admin_client.get(reverse("admin:jury_jury_change", args=[jury.pk])).content.decode()
    assert 'name="closed_at"' not in page and 'name="published_at"' not in page
