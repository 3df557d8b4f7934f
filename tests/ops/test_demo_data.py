"""The demo data: what `tremplin demo` loads, and that loading again duplicates nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState, QuestionKind
from tremplin.calls.models import Answer, Application, Programme, Question
from tremplin.core.audit import entries_for
from tremplin.core.models import (
    AuditLog,
    Organiser,
    OrganiserMembership,
    Partner,
    PartnerMembership,
    User,
)
from tremplin.demo import data
from tremplin.demo.load import DEMO_LOGINS, database_is_empty, load_demo

BRIEF_PARTNERS = {
    "Université de Lille",
    "Université Catholique de Lille",
    "Maker Faire Lille",
    "Techshop Lille",
    "BGE Hauts-de-France",
    "Smart Grands Ensemble",
    "Boulanger",
    "La Condition Publique",
    "Lille Makers",
}


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, EmailAddress, Organiser, OrganiserMembership, Partner, PartnerMembership)
    models += (Programme, Question, Application, Answer, AuditLog)
    return {model.__name__: model.objects.count() for model in models}


# --- the content, checked without a database -------------------------------------------------


def test_demo_content_is_consistent():
    makers = [p.maker.email for p in data.PROJECTS_2019 + data.PROJECTS_DOUAISIS]
    assert len(data.PROJECTS_2019) == 33
    assert len(set(makers)) == len(makers), "every application has its own maker"
    assert {p.name for p in data.MEL_PARTNERS} == BRIEF_PARTNERS
    for project in data.PROJECTS_2019:
        assert project.commune in data.MEL_COMMUNES
        assert project.category in data.MEL_CATEGORIES
        assert 3000 <= project.goal <= 15000
        assert project.budget >= project.goal
    assert len(data.INELIGIBLE_2019) == 5
    assert {q.kind for q in data.QUESTIONS_2020} == set(QuestionKind.values)


# --- the load -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_command_loads_the_demo_programmes():
    assert database_is_empty()
    output = run_demo()
    assert "Loaded the demo data" in output
    assert data.DEMO_PASSWORD in output

    mel = Organiser.objects.get(slug="mel")
    assert mel.name == "Métropole Européenne de Lille"
    # The MEL also has a partner record for its own seat on the jury (see demo/jury.py).
    partners = (
        Partner.objects.filter(organiser=mel)
        .exclude(name=mel.name)
        .annotate(n=Count("memberships"))
    )
    assert {p.name for p in partners} == BRIEF_PARTNERS
    assert all(p.n == 1 for p in partners), "each partner has one member account"

    edition_2019 = Programme.objects.get(slug="mel-makers-2019")
    assert edition_2019.organiser == mel
    # through the jury (demo/jury.py), then its campaigns ran and closed (demo/campaigns.py)
    assert edition_2019.state == ProgrammeState.CAMPAIGNS_CLOSED
    assert not edition_2019.is_accepting_applications()
    assert edition_2019.partners.count() == 9
    applications = edition_2019.applications.all()
    assert applications.filter(state=ApplicationState.SUBMITTED).count() == 33
    assert applications.filter(eligibility=Eligibility.ELIGIBLE).count() == 28
    ineligible = applications.filter(eligibility=Eligibility.INELIGIBLE)
    assert ineligible.count() == 5
    assert all(a.eligibility_reason for a in ineligible)
    assert applications.values("maker").distinct().count() == 33
    for application in applications:
        assert edition_2019.call_opens_at <= application.submitted_at < edition_2019.call_closes_at
        assert application.screened_at > edition_2019.call_closes_at
        application.full_clean()  # lengths, choices: what a form would have accepted
    assert Answer.objects.filter(application__programme=edition_2019).count() == 33 * 4

    edition_2020 = Programme.objects.get(slug="mel-makers-2020")
    assert edition_2020.is_accepting_applications()
    assert set(edition_2020.questions.values_list("kind", flat=True)) == set(QuestionKind.values)
    assert Programme.objects.open_calls().filter(slug="mel-makers-2020").exists()

    douaisis = Organiser.objects.get(slug="douaisis")
    other = Programme.objects.get(organiser=douaisis)
    assert other.applications.filter(state=ApplicationState.SUBMITTED).count() >= 2
    assert not OrganiserMembership.objects.filter(
        organiser=douaisis, user__organiser_memberships__organiser=mel
    ).exists()


@pytest.mark.django_db
def test_audit_log_tells_the_history_of_the_2019_edition():
    load_demo()
    edition = Programme.objects.get(slug="mel-makers-2019")
    actions = list(entries_for(edition).order_by("created_at").values_list("action", flat=True))
    assert actions[:4] == [
        "tremplin.programme.created",
        "tremplin.programme.call_opened",
        "tremplin.programme.call_closed",
        "tremplin.programme.screening_started",
    ]
    application = edition.applications.get(maker__email=data.PROJECTS_2019[0].maker.email)
    history = entries_for(application).filter(organiser=edition.organiser)
    assert set(history.values_list("action", flat=True)) >= {
        "tremplin.application.submitted",
        "tremplin.application.screened",
    }
    submitted = history.get(action="tremplin.application.submitted")
    assert submitted.created_at == application.submitted_at
    assert submitted.created_at.year == 2019


@pytest.mark.django_db
def test_demo_logins_work_and_have_their_roles():
    load_demo()
    for login in DEMO_LOGINS:
        user = authenticate(email=login.email, password=data.DEMO_PASSWORD)
        assert user is not None, login.email
        assert EmailAddress.objects.filter(
            user=user, email=login.email, verified=True, primary=True
        ).exists()
    staff = User.objects.get(email=data.STAFF.email)
    assert staff.is_staff
    assert User.objects.get(email=data.COACH.email).is_coach
    roles = dict(
        OrganiserMembership.objects.filter(organiser__slug="mel").values_list("user__email", "role")
    )
    assert roles == {data.MEL_MANAGER.email: "manager", data.MEL_VIEWER.email: "viewer"}
    maker = User.objects.get(email=data.PROJECTS_2019[0].maker.email)
    assert maker.applications.get().state == ApplicationState.SUBMITTED
    douaisis = OrganiserMembership.objects.get(user__email=data.DOUAISIS_MANAGER.email)
    assert douaisis.organiser.slug == "douaisis"
    # Every account's address is verified, so nobody is asked to confirm it.
    assert not EmailAddress.objects.filter(verified=False).exists()
    # (but the account of the laureate who erased it: emptied, inactive, no address)
    assert EmailAddress.objects.count() == User.objects.filter(is_active=True).count()


@pytest.mark.django_db
def test_running_demo_twice_duplicates_nothing():
    run_demo()
    before = counts()
    output = run_demo()
    assert "already there" in output
    assert counts() == before


@pytest.mark.django_db
def test_demo_keeps_a_database_that_has_other_data(organiser):
    output = run_demo()
    assert "kept it, loaded nothing" in output
    assert not Programme.objects.filter(slug="mel-makers-2019").exists()


@pytest.mark.django_db
def test_second_organiser_cannot_see_the_mel_back_office(client):
    load_demo()
    client.force_login(User.objects.get(email=data.DOUAISIS_MANAGER.email))
    response = client.get(reverse("manage:programmes", args=["mel"]))
    assert response.status_code == 404
    response = client.get(reverse("manage:programmes", args=["douaisis"]))
    assert response.status_code == 200
