"""A juror invited by e-mail logs in by code, grades the applications (majority judgment)
and submits the ballot; the organiser closes the jury, reviews the tally, deliberates and
publishes; the laureates page appears. axe-core runs on every page visited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.jury.factories import CandidateFactory
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.jury import administration
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.models import Ballot, Jury

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["Vélo-atelier mobile", "Luthier du futur", "Compost de quartier"]


def _set_up_jury():
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    now = timezone.now()
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2019",
        name="MEL Makers 2019",
        state=ProgrammeState.SCREENING,
        call_opens_at=now - timedelta(days=40),
        call_closes_at=now - timedelta(days=10),
    )
    partner = factories.PartnerFactory(organiser=organiser, name="Lille Makers")
    for title in TITLES:
        CandidateFactory(programme=programme, title=title, summary=f"{title} : le résumé.")
    factories.SubmittedApplicationFactory(
        programme=programme, eligibility=Eligibility.INELIGIBLE, eligibility_reason="Hors sujet"
    )
    jury = Jury(
        programme=programme,
        method=JuryMethod.MAJORITY_JUDGMENT,
        ballot_scope=BallotScope.MEMBER,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        laureate_count=2,
    )
    administration.save_jury(jury, user=manager, partners=[partner])
    administration.invite_member(
        jury, partner, "juree@example.org", user=manager, full_name="Jeanne Juré"
    )
    administration.open_jury(jury, user=manager)
    return organiser, manager, programme, jury


def _code_in(body: str) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(0).strip()


def test_a_juror_votes_and_the_organiser_publishes(
    page, context, live_server, axe, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    organiser, manager, programme, jury = _set_up_jury()

    # The juror follows the link of the invitation and logs in with a code.
    invitation = mailoutbox[-1]
    link = re.search(r"https?://\S+/jury/invitation/\S+/", invitation.body).group(0)
    page.goto(link)
    page.wait_for_url(re.compile("/comptes/login/code/"))
    axe.check(page)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile("/comptes/login/code/confirm/"))
    axe.check(page)
    page.fill("input[name=code]", _code_in(mailoutbox[-1].body))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(f"/jury/{programme.slug}/"))
    axe.check(page)

    # The juror grades each application from its page, then submits the ballot.
    for grade, title in zip(("0", "2", "4"), TITLES, strict=True):
        page.get_by_role("link", name=title).click()
        page.wait_for_load_state()
        axe.check(page)
        page.locator(f"input[name=grade][value='{grade}']").check()
        with page.expect_response(re.compile("/vote/")):
            page.locator("#grade-save").click()
        page.wait_for_load_state()
        page.goto(reverse("jury:ballot", args=[programme.slug]))
    axe.check(page)
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name=re.compile("Soumettre|Submit")).click()
    page.wait_for_load_state()
    axe.check(page)
    assert Ballot.objects.get(jury=jury).state == BallotState.SUBMITTED

    # The organiser logs in, sees the participation (not the grades), closes the jury.
    staff = context.browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    staff.goto(reverse("account_login"))
    staff.fill("input[name=login]", manager.email)
    staff.fill("input[name=password]", factories.PASSWORD)
    staff.locator("form:has(input[name=password]) [type=submit]").click()
    staff.wait_for_load_state()
    staff.goto(reverse("manage:programme", args=["mel", programme.slug]))
    axe.check(staff)
    staff.goto(reverse("jury_manage:participation", args=["mel", programme.slug]))
    axe.check(staff)
    assert "Jeanne Juré" in staff.content()
    staff.goto(reverse("jury_manage:tally", args=["mel", programme.slug]))
    axe.check(staff)  # 403: secret until the close
    staff.goto(reverse("jury_manage:setup", args=["mel", programme.slug]))
    axe.check(staff)
    staff.locator(
        f"form[action='{reverse('jury_manage:transition', args=['mel', programme.slug, 'close'])}']"
        " button"
    ).click()
    staff.wait_for_url(re.compile("/jury/resultats/"))
    axe.check(staff)
    content = staff.content()
    assert "merit-bar" in content
    assert TITLES[0] in content

    # Deliberation pre-filled with the top two; save, then publish.
    staff.goto(reverse("jury_manage:deliberation", args=["mel", programme.slug]))
    axe.check(staff)
    staff.locator("section[aria-labelledby=decisions-title] button[type=submit]").click()
    staff.wait_for_load_state()
    axe.check(staff)
    staff.locator("input[name=confirm]").check()
    staff.locator(
        f"form[action='{reverse('jury_manage:publish', args=['mel', programme.slug])}']"
        " button[type=submit]"
    ).click()
    staff.wait_for_load_state()
    axe.check(staff)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.RESULTS

    # The public laureates page: the first two, not the third.
    page.goto(reverse("jury_public:laureates", args=[programme.slug]))
    axe.check(page)
    content = page.content()
    assert TITLES[0] in content and TITLES[1] in content
    assert TITLES[2] not in content
