"""A visitor signs up, applies to the open call with an image, and the organiser finds the
application. axe-core runs on every page visited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.calls.helpers import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link_in(mail_body: str) -> str:
    match = re.search(r"https?://\S+/comptes/\S+", mail_body)
    assert match, mail_body
    return match.group(0)


def test_visitor_signs_up_applies_and_the_organiser_finds_it(
    page, context, live_server, axe, mailoutbox, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    programme = factories.ProgrammeFactory(
        organiser=organiser, slug="mel-makers-2020", name="MEL Makers 2020"
    )
    factories.QuestionFactory(
        programme=programme,
        kind="yes_no",
        label_fr="Avez-vous déjà un prototype ?",
        label_en="Do you already have a prototype?",
        required=True,
    )

    # The visitor lands on the home page and opens the call.
    page.goto("/")
    axe.check(page)
    page.get_by_role("link", name=re.compile("MEL Makers 2020")).first.click()
    page.wait_for_url(re.compile("/p/mel-makers-2020/"))
    axe.check(page)

    # "Candidater" asks to log in; the visitor signs up instead.
    page.goto(reverse("account_signup"))
    axe.check(page)
    page.fill("input[name=email]", "camille@example.org")
    page.fill("input[name=password1]", "un-mot-de-passe-solide-42")
    page.fill("input[name=password2]", "un-mot-de-passe-solide-42")
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_load_state()
    axe.check(page)

    # The verification e-mail carries the confirmation link.
    assert mailoutbox, "no verification e-mail was sent"
    page.goto(_link_in(mailoutbox[-1].body))
    axe.check(page)
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()

    # The application form, with an image.
    page.goto(reverse("calls:apply", args=[programme.slug]))
    axe.check(page)
    page.fill("input[name=title]", "Atelier mobile de réparation de vélos")
    page.fill("main [name=summary]", "Un atelier qui va de quartier en quartier.")
    page.fill(
        "main [name=description]", "Nous réparons les vélos et apprenons aux habitants à le faire."
    )
    page.select_option("main [name=category]", "Artisanat")
    page.select_option("main [name=commune]", "Roubaix")
    page.select_option("main [name=maker_profile]", "entrepreneur")
    page.fill("main [name=maker_name]", "Camille Martin")
    page.fill("main [name=funding_goal]", "5 000")
    page.fill("main [name=budget]", "7 500,50")
    image = tmp_path / "atelier.png"
    image.write_bytes(image_bytes("PNG", size=(64, 48)))
    page.set_input_files("input[name=new_image_1]", str(image))
    page.fill("main [name=new_image_1_alt]", "Le vélo-atelier devant la gare")
    question_radio = page.locator("input[type=radio][name^=q_]").first
    question_radio.check()
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    axe.check(page)
    assert "Atelier mobile de réparation de vélos" in page.content()

    # The organiser logs in and finds the application.
    staff_page = context.browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    staff_page.goto(reverse("account_login"))
    axe.check(staff_page)
    staff_page.fill("input[name=login]", manager.email)
    staff_page.fill("input[name=password]", factories.PASSWORD)
    staff_page.locator("form:has(input[name=password]) [type=submit]").click()
    staff_page.wait_for_load_state()
    staff_page.goto(reverse("manage:applications", args=[organiser.slug, programme.slug]))
    axe.check(staff_page)
    staff_page.get_by_role("link", name="Atelier mobile de réparation de vélos").click()
    staff_page.wait_for_load_state()
    axe.check(staff_page)
    assert "Camille Martin" in staff_page.content()
    assert staff_page.locator("img[alt='Le vélo-atelier devant la gare']").count() == 1
