"""The Django admin of juries, for platform staff: the pages render; ballots and decisions
are read-only; a ballot's content (picks, grades, scores, recusals) is never shown, open
jury or closed; the jury's close and publication dates cannot be edited there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.jury.factories import (
    BallotFactory,
    CandidateFactory,
    CriterionFactory,
    GradeFactory,
    JuryMemberFactory,
    PickFactory,
    RecusalFactory,
    ScoreFactory,
)
from tests.mfa import login_with_totp
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod, Outcome
from tremplin.jury.models import Ballot, Decision, Grade, Jury, JuryMember, Pick, Recusal, Score

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


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize(
    "method", [JuryMethod.FAVOURITES, JuryMethod.MAJORITY_JUDGMENT, JuryMethod.GRID]
)
def test_a_ballots_content_is_never_shown(admin_client, method, closed):
    """Ballot secrecy: staff see whose ballot it is and whether it is submitted (what the
    participation page shows), never what it contains, nor on a page listing related
    objects (the jury's deletion confirmation)."""
    from django.utils import timezone

    member = JuryMemberFactory(
        jury__method=method,
        jury__ballot_scope=BallotScope.MEMBER,
        user__full_name="Juliette Jurée",
    )
    jury = member.jury
    if closed:
        jury.closed_at = timezone.now()
        jury.save()
    ballot = BallotFactory(jury=jury, member=member)
    secret = CandidateFactory(programme=jury.programme, title="Projet-Secret-Vote")
    other = CandidateFactory(programme=jury.programme, title="Projet-Recuse")
    if method == JuryMethod.FAVOURITES:
        vote = PickFactory(ballot=ballot, application=secret)
    elif method == JuryMethod.MAJORITY_JUDGMENT:
        vote = GradeFactory(ballot=ballot, application=secret, value=3)
    else:
        criterion = CriterionFactory(jury=jury, label_fr="Critère-Unique")
        vote = ScoreFactory(ballot=ballot, application=secret, criterion=criterion, value=7)
    RecusalFactory(ballot=ballot, application=other, reason="Conflit-Declare")

    change = admin_client.get(reverse("admin:jury_ballot_change", args=[ballot.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert "Juliette Jurée" in html  # whose ballot: as on the participation page
    for leak in ("Projet-Secret-Vote", "Projet-Recuse", "Conflit-Declare"):
        assert leak not in html, leak
    assert (
        "Projet-Secret-Vote"
        not in admin_client.get(reverse("admin:jury_ballot_changelist")).content.decode()
    )

    delete = admin_client.get(reverse("admin:jury_jury_delete", args=[jury.pk]))
    assert delete.status_code == 200
    html = delete.content.decode()
    for leak in ("Projet-Secret-Vote", f"→ {secret.pk}", "Conflit-Declare"):
        assert leak not in html, leak
    with translation.override("en"):
        for row in (vote, Recusal.objects.get()):
            name = row._meta.object_name.replace("Pick", "Favourite")
            assert str(row) == f"{name} #{row.pk}"
    for model in (Pick, Grade, Score, Recusal):
        assert not admin.site.is_registered(model)
