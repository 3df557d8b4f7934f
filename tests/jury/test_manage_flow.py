"""The organiser runs a jury end to end through the back-office: set-up, members, opening,
participation, closing, tally, deliberation and publication."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.jury.manage_world import client, closed_programme, make_world
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.core.models import AuditLog
from tremplin.jury import voting
from tremplin.jury.enums import BallotScope, JuryMethod, Outcome
from tremplin.jury.models import Ballot, Decision, Jury, JuryMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def url(name: str, w, *args) -> str:
    return reverse(f"jury_manage:{name}", args=["mel", w.programme.slug, *args])


def paris(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_organiser_runs_a_jury_end_to_end(
    organiser, other_organiser, manager, viewer, maker, django_capture_on_commit_callbacks
):
    programme = closed_programme(organiser, slug="mel-makers-2021", name="MEL Makers 2021")
    partner = factories.PartnerFactory(organiser=organiser, name="Techshop Lille")
    apps = [
        factories.SubmittedApplicationFactory(
            programme=programme, title=f"Projet {i}", eligibility=Eligibility.ELIGIBLE
        )
        for i in range(3)
    ]
    factories.SubmittedApplicationFactory(
        programme=programme, eligibility=Eligibility.INELIGIBLE, eligibility_reason="Hors sujet"
    )
    c = client(manager)
    setup = reverse("jury_manage:setup", args=["mel", programme.slug])

    # The set-up page offers a new jury; saving it creates the jury.
    response = c.get(setup)
    assert response.status_code == 200
    assert "The jury is not set up yet" in response.content.decode()
    now = timezone.now()
    response = c.post(
        setup,
        {
            "method": JuryMethod.FAVOURITES,
            "ballot_scope": BallotScope.PARTNER,
            "max_picks": "2",
            "grades_text": "",
            "criteria_text": "",
            "grid_max_score": "10",
            "opens_at": paris(now - timedelta(hours=1)),
            "closes_at": paris(now + timedelta(days=7)),
            "quorum": "1",
            "laureate_count": "1",
            "partners": [partner.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    jury = Jury.objects.get(programme=programme)
    assert jury.max_picks == 2
    assert list(jury.partners.all()) == [partner]
    assert AuditLog.objects.filter(action="tremplin.jury.created").exists()

    # A member is invited by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("jury_manage:members", args=["mel", programme.slug]),
            {
                "partner": partner.pk,
                "email": "Juree@Example.org",
                "full_name": "",
                "language": "fr",
            },
        )
    assert response.status_code == 302
    member = JuryMember.objects.get(jury=jury)
    assert member.user.email == "juree@example.org"
    assert not member.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/jury/invitation/" in mail.outbox[0].body

    # Open the jury; the juror votes and submits.
    response = c.post(reverse("jury_manage:transition", args=["mel", programme.slug, "open"]))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.JURY
    jury.refresh_from_db()
    ballot = voting.ballot_for(jury, member.user)
    voting.set_pick(ballot, apps[1], True, user=member.user)
    voting.submit_ballot(ballot, user=member.user)

    response = c.get(reverse("jury_manage:participation", args=["mel", programme.slug]))
    assert response.status_code == 200
    assert "Techshop Lille" in response.content.decode()
    assert apps[1].title not in response.content.decode()

    # Close: the tally is shown; deliberation pre-filled with the top 1.
    response = c.post(reverse("jury_manage:transition", args=["mel", programme.slug, "close"]))
    assert response.status_code == 302
    response = c.get(reverse("jury_manage:tally", args=["mel", programme.slug]))
    assert response.status_code == 200
    assert apps[1].title in response.content.decode()

    deliberation = reverse("jury_manage:deliberation", args=["mel", programme.slug])
    response = c.get(deliberation)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    assert data[f"outcome_{apps[1].pk}"] == Outcome.LAUREATE
    response = c.post(deliberation, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.filter(jury=jury).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("jury_manage:publish", args=["mel", programme.slug]), {"confirm": "on"}
        )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.RESULTS
    assert len(mail.outbox) == 1 + 4
    response = client().get(reverse("jury_public:laureates", args=[programme.slug]))
    assert response.status_code == 200
    assert apps[1].title in response.content.decode()
    assert Ballot.objects.filter(jury=jury).count() == 1


def test_the_programme_dashboard_links_to_the_jury(world):
    c = client(world.manager)
    dashboard = reverse("manage:programme", args=["mel", world.programme.slug])
    body = c.get(dashboard).content.decode()
    assert url("setup", world) in body
    assert url("members", world) in body
    assert url("tally", world) not in body  # not before the close
    world.jury.delete()
    body = c.get(dashboard).content.decode()
    assert "The jury is not set up yet." in body
    assert url("setup", world) in body


def test_the_programme_page_links_to_the_laureates_once_published(world):
    page = reverse("calls:programme", args=[world.programme.slug])
    laureates = reverse("jury_public:laureates", args=[world.programme.slug])
    assert laureates not in client().get(page).content.decode()
    world.jury.published_at = timezone.now()
    world.jury.save()
    assert laureates in client().get(page).content.decode()


def test_a_grid_jury_set_up_through_the_form_keeps_its_pages_readable(
    organiser, manager, django_capture_on_commit_callbacks
):
    """Issue #9: saving a grid jury with criteria made the set-up page and the deliberation
    answer 500 on every later GET (the audit history labelled a reverse relation)."""
    programme = closed_programme(organiser, slug="grille-2021", name="Grille 2021")
    partner = factories.PartnerFactory(organiser=organiser, name="Techshop Lille")
    candidate = factories.SubmittedApplicationFactory(
        programme=programme, eligibility=Eligibility.ELIGIBLE
    )
    c = client(manager)
    setup = reverse("jury_manage:setup", args=["mel", programme.slug])
    now = timezone.now()
    data = {
        "method": JuryMethod.GRID,
        "ballot_scope": BallotScope.PARTNER,
        "max_picks": "10",
        "grades_text": "",
        "criteria_text": "Impact | Impact | 2\nFaisabilité | Feasibility | 1",
        "grid_max_score": "10",
        "opens_at": paris(now - timedelta(hours=1)),
        "closes_at": paris(now + timedelta(days=7)),
        "quorum": "0",
        "laureate_count": "1",
        "partners": [partner.pk],
    }
    assert c.post(setup, data).status_code == 302
    data["criteria_text"] = "Impact | Impact | 3\nFaisabilité | Feasibility | 1"
    assert c.post(setup, data).status_code == 302  # an edit of the criteria
    jury = Jury.objects.get(programme=programme)
    assert [(c.label_fr, str(c.weight)) for c in jury.criteria.all()] == [
        ("Impact", "3.00"),
        ("Faisabilité", "1.00"),
    ]
    deliberation = reverse("jury_manage:deliberation", args=["mel", programme.slug])
    for page in (setup, deliberation):
        assert c.get(page).status_code in (200, 403), page
    assert c.get(setup).status_code == 200
    here = SimpleNamespace(programme=programme)
    assert c.post(url("transition", here, "open")).status_code == 302
    assert c.get(setup).status_code == 200
    assert c.post(url("transition", here, "close")).status_code == 302
    for page in (setup, deliberation, reverse("jury_manage:tally", args=["mel", programme.slug])):
        response = c.get(page)
        assert response.status_code == 200, page
    assert candidate.title in response.content.decode()


def test_the_tally_page_has_no_inline_style(organiser, other_organiser, manager, viewer, maker):
    """The grade legend's swatches are drawn with SVG ``fill`` attributes: the CSP needs no
    ``style-src-attr 'unsafe-inline'``."""
    w = make_world(
        organiser, other_organiser, manager, viewer, maker, method=JuryMethod.MAJORITY_JUDGMENT
    )
    w.jury.closed_at = timezone.now()
    w.jury.save()
    html = client(manager).get(url("tally", w)).content.decode()
    assert 'class="merit-legend"' in html
    assert "style=" not in html
    assert html.count('<svg class="swatch"') == len(w.jury.grades)
