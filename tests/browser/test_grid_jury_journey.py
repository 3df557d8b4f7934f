"""A criteria-grid jury run in the browser from set-up to publication (issue #9: saving a
grid jury with criteria made the set-up page and the deliberation answer 500): the
organiser sets the jury up through the form (method, criteria, window, partner), invites
a juror and opens the jury; the juror logs in by code, scores every application on every
criterion and submits; the organiser closes, reads the tally, deliberates and publishes.
axe-core runs on every page visited; a CSP violation fails the test."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.jury.factories import CandidateFactory
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.core.dates import PARIS
from tremplin.jury.enums import BallotState, JuryMethod
from tremplin.jury.models import Ballot, Jury, Score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["Vélo-atelier mobile", "Luthier du futur", "Compost de quartier"]
# Scores per application on (Impact ×2, Faisabilité ×1): weighted 9, 6.33, 2.33.
SCORES = {TITLES[0]: (9, 9), TITLES[1]: (6, 7), TITLES[2]: (2, 3)}


def _world():
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    now = timezone.now()
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-grille",
        name="MEL Makers grille",
        state=ProgrammeState.SCREENING,
        call_opens_at=now - timedelta(days=40),
        call_closes_at=now - timedelta(days=10),
    )
    factories.PartnerFactory(organiser=organiser, name="Lille Makers")
    for title in TITLES:
        CandidateFactory(programme=programme, title=title, summary=f"{title} : le résumé.")
    factories.SubmittedApplicationFactory(
        programme=programme, eligibility=Eligibility.INELIGIBLE, eligibility_reason="Hors sujet"
    )
    return manager, programme


def _local(moment) -> str:
    return timezone.localtime(moment, PARIS).strftime("%Y-%m-%dT%H:%M")


def _code_in(body: str) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(0).strip()


def _log_in(page, user) -> None:
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()


def test_a_grid_jury_from_set_up_to_publication(
    page, context, live_server, axe, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    manager, programme = _world()
    slug = programme.slug
    now = timezone.now()

    # The organiser sets the grid jury up through the form.
    staff = context.browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _log_in(staff, manager)
    setup = reverse("jury_manage:setup", args=["mel", slug])
    staff.goto(setup)
    axe.check(staff)
    staff.locator(f"input[name=method][value={JuryMethod.GRID}]").check()
    staff.locator("input[name=ballot_scope][value=member]").check()
    staff.fill("textarea[name=criteria_text]", "Impact | Impact | 2\nFaisabilité | Feasibility | 1")
    staff.fill("input[name=grid_max_score]", "10")
    staff.fill("input[name=opens_at]", _local(now - timedelta(hours=1)))
    staff.fill("input[name=closes_at]", _local(now + timedelta(days=7)))
    staff.fill("input[name=laureate_count]", "2")
    staff.get_by_label("Lille Makers").check()
    staff.locator("main form[method=post]:has(textarea[name=criteria_text]) button").click()
    staff.wait_for_load_state()
    jury = Jury.objects.get(programme=programme)
    assert jury.method == JuryMethod.GRID
    assert [c.label_fr for c in jury.criteria.all()] == ["Impact", "Faisabilité"]
    staff.goto(setup)  # the page that answered 500 after a grid was saved
    axe.check(staff)
    assert "Impact" in staff.content()

    # The organiser invites a juror, then opens the jury.
    staff.goto(reverse("jury_manage:members", args=["mel", slug]))
    axe.check(staff)
    staff.fill("input[name=email]", "juree@example.org")
    staff.fill("input[name=full_name]", "Jeanne Juré")
    staff.locator("main form.form-card button[type=submit]").click()
    staff.wait_for_load_state()
    axe.check(staff)
    staff.goto(setup)
    open_url = reverse("jury_manage:transition", args=["mel", slug, "open"])
    staff.locator(f"form[action='{open_url}'] button").click()
    staff.wait_for_load_state()
    axe.check(staff)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.JURY

    # The juror follows the invitation, logs in by code and scores every application.
    invitation = next(m for m in mailoutbox if "/jury/invitation/" in m.body)
    link = re.search(r"https?://\S+/jury/invitation/\S+/", invitation.body).group(0)
    page.goto(link)
    page.wait_for_url(re.compile("/comptes/login/code/"))
    axe.check(page)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile("/comptes/login/code/confirm/"))
    page.fill("input[name=code]", _code_in(mailoutbox[-1].body))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(f"/jury/{slug}/"))
    axe.check(page)
    criteria = list(jury.criteria.all())
    for title, values in SCORES.items():
        page.get_by_role("link", name=title).click()
        page.wait_for_load_state()
        axe.check(page)
        for criterion, value in zip(criteria, values, strict=True):
            page.fill(f"input[name=score_{criterion.pk}]", str(value))
        with page.expect_response(re.compile("/vote/")):
            page.locator("#scores-save").click()
        page.wait_for_load_state()
        axe.check(page)
        page.goto(reverse("jury:ballot", args=[slug]))
    axe.check(page)
    assert Score.objects.filter(ballot__jury=jury).count() == 6
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name=re.compile("Soumettre|Submit")).click()
    page.wait_for_load_state()
    axe.check(page)
    assert Ballot.objects.get(jury=jury).state == BallotState.SUBMITTED

    # The organiser closes the jury and reads the tally: the weighted averages, in order.
    staff.goto(reverse("jury_manage:participation", args=["mel", slug]))
    axe.check(staff)
    staff.goto(setup)
    close_url = reverse("jury_manage:transition", args=["mel", slug, "close"])
    staff.locator(f"form[action='{close_url}'] button").click()
    staff.wait_for_url(re.compile("/jury/resultats/"))
    axe.check(staff)
    rows = staff.locator("table.tally-table tbody th[scope=row]").all_inner_texts()
    assert [next(t for t in TITLES if t in row) for row in rows] == TITLES
    assert "Faisabilité" in staff.content()

    # Deliberation pre-filled with the top two; save, then publish.
    staff.goto(reverse("jury_manage:deliberation", args=["mel", slug]))
    axe.check(staff)
    staff.locator("section[aria-labelledby=decisions-title] button[type=submit]").click()
    staff.wait_for_load_state()
    axe.check(staff)
    staff.locator("input[name=confirm]").check()
    publish_url = reverse("jury_manage:publish", args=["mel", slug])
    staff.locator(f"form[action='{publish_url}'] button[type=submit]").click()
    staff.wait_for_load_state()
    axe.check(staff)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.RESULTS
    staff.goto(setup)
    axe.check(staff)

    # The public laureates page: the first two, not the third.
    page.goto(reverse("jury_public:laureates", args=[slug]))
    axe.check(page)
    content = page.content()
    assert TITLES[0] in content and TITLES[1] in content
    assert TITLES[2] not in content
