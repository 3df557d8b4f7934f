"""A juror invited by e-mail logs in by code, grades every application (majority
judgment) and submits the ballot; a partner's juror picks favourites from the list, the
counter following without reloading the page (htmx). axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.jury.factories import CandidateFactory, JuryFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.jury import administration
from tremplin.jury.enums import BallotState, JuryMethod
from tremplin.jury.models import Ballot, Grade, Pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_in(mail_body: str) -> str:
    codes = [
        line.strip()
        for line in mail_body.splitlines()
        if re.fullmatch(r"\s*[A-Z0-9-]{4,12}\s*", line)
    ]
    assert codes, mail_body
    return codes[0]


def _accept_link(mail_body: str) -> str:
    match = re.search(r"https?://\S+/jury/invitation/\S+/", mail_body)
    assert match, mail_body
    return match.group(0)


def _jury(method: str, max_picks: int = 10):
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2019",
        name="MEL Makers 2019",
        state=ProgrammeState.JURY,
    )
    jury = JuryFactory(programme=programme, method=method, max_picks=max_picks)
    partner = factories.PartnerFactory(organiser=organiser, name="Université de Lille")
    jury.partners.add(partner)
    candidates = [
        CandidateFactory(programme=programme, title=title)
        for title in ("Atelier vélo", "Fablab mobile", "Lampes recyclées")
    ]
    return manager, jury, partner, candidates


def test_juror_logs_in_by_code_grades_and_submits(page, live_server, axe, mailoutbox, settings):
    settings.SITE_URL = live_server.url
    manager, jury, partner, candidates = _jury(JuryMethod.MAJORITY_JUDGMENT)
    administration.invite_member(
        jury, partner, "nadia.benali@univ-lille.example", user=manager, full_name="Nadia Benali"
    )
    accept = _accept_link(mailoutbox[-1].body)

    # The invitation link asks to log in by code, the address already filled in.
    page.goto(accept)
    page.wait_for_url(re.compile("/comptes/"))
    axe.check(page)
    assert page.input_value("input[name=email]") == "nadia.benali@univ-lille.example"
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    axe.check(page)
    page.fill("input[name=code]", _code_in(mailoutbox[-1].body))
    page.locator("main form [type=submit]").first.click()

    # Back on the invitation, accepted, then on the ballot.
    page.wait_for_url(re.compile("/jury/mel-makers-2019/$"))
    axe.check(page)
    assert "Université de Lille" in page.content()

    # Grade each application from its page (the vote panel is swapped in place).
    page.get_by_role("link", name="Atelier vélo").click()
    page.wait_for_url(re.compile("/candidatures/"))
    axe.check(page)
    for index, candidate in enumerate(candidates):
        if index:
            page.goto(reverse("jury:application", args=["mel-makers-2019", candidate.pk]))
        page.locator("#vote-panel input[type=radio]").nth(index + 1).check()
        page.locator("#grade-save").click()
        page.locator("#vote-panel .message-success").wait_for()
        axe.check(page)
    assert Grade.objects.count() == 3

    # A conflict of interest is refused without the box ticked, with the error on the field.
    page.locator("form[action$='recuser/'] [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field-invalid").count() == 1
    axe.check(page)

    # Submit from the list.
    page.goto(reverse("jury:ballot", args=["mel-makers-2019"]))
    page.check("input[name=confirm]")
    page.locator("form[action$='soumettre/'] [type=submit]").click()
    page.wait_for_load_state()
    axe.check(page)
    ballot = Ballot.objects.get()
    assert ballot.state == BallotState.SUBMITTED
    assert ballot.submitted_by.email == "nadia.benali@univ-lille.example"
    page.goto(reverse("jury:home"))
    axe.check(page)


def test_favourites_from_the_list_update_the_counter(page, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    _manager, jury, partner, candidates = _jury(JuryMethod.FAVOURITES, max_picks=2)
    user = factories.UserFactory(email="juror@example.org")
    from tremplin.jury.models import JuryMember

    JuryMember.objects.create(jury=jury, partner=partner, user=user)
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    page.goto(reverse("jury:ballot", args=["mel-makers-2019"]))
    axe.check(page)
    counter = page.locator("#pick-counter")
    assert re.search(r"0 / 2", counter.inner_text())
    url_before = page.url
    for candidate in candidates[:2]:
        page.locator(f"#toggle-{candidate.pk}").click()
        page.locator(f"#row-{candidate.pk} .badge-success").wait_for()
    assert re.search(r"2 / 2", counter.inner_text())
    assert page.url == url_before  # no reload
    # A third favourite is refused in the row, with the reason.
    page.locator(f"#toggle-{candidates[2].pk}").click()
    page.locator(f"#row-{candidates[2].pk} .errorlist").wait_for()
    assert Pick.objects.count() == 2
    axe.check(page)
    # Removing one frees a place.
    page.locator(f"#toggle-{candidates[0].pk}").click()
    # A function, not an expression: Playwright would eval() an expression, which the
    # page's Content-Security-Policy forbids.
    page.wait_for_function(
        "() => document.querySelector('#pick-counter').innerText.includes('1 / 2')"
    )
    assert Pick.objects.count() == 1
